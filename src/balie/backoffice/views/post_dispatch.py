"""Sending outgoing post: the "Verzenden" page of an item (the channel proposed from what is known
of the addressee), resending a failed dispatch, recording one that came back; and the post room's
print batches (make the day's batch, download its PDF, confirm it went to the post). Each post:
validate, call one action, back to the page with a message."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.correspondence.dispatch import addressee_name, dispatch_item, record_bounce, resend_dispatch
from balie.correspondence.dispatch_queries import (
    batch_dispatches,
    dispatches_of_item,
    get_dispatch_for,
    get_print_batch_for,
    propose_channel,
    recent_print_batches,
    waiting_for_print,
)
from balie.correspondence.models import DispatchState, PostItem, PostStatus
from balie.correspondence.permissions import can_route_post, can_work_post_item
from balie.correspondence.print_batches import (
    can_print_post,
    confirm_posted,
    make_print_batch,
    print_batch_pdf,
)
from balie.correspondence.queries import get_post_item_for, item_documents
from balie.parties.models import PartyKind

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.dispatch import BounceForm, DispatchForm
from .case_pages import log_person_accesses

RENAMED = {"address": "street", "party": "__all__", "letter": "__all__"}
WAITING_SHOWN = 200


def can_dispatch(user: Any, item: PostItem) -> bool:
    """The page offers "Verzenden": an outgoing item not filed, to whom works it. The action
    checks it all again."""
    return bool(
        not item.is_incoming
        and item.status in (PostStatus.REGISTERED, PostStatus.SENT)
        and not item.needs_details
        and (can_work_post_item(user, item) or can_route_post(user))
    )


def dispatch_card(user: Any, item: PostItem) -> dict[str, Any]:
    """The context of the item page's dispatch card (backoffice/post/_dispatch_card.html)."""
    dispatches = dispatches_of_item(item)
    bounced = [d for d in dispatches if d.state == DispatchState.BOUNCED]
    return {
        "dispatches": dispatches,
        # A bounce is news until the item went out again (or a copy arrived another way).
        "bounce": bounced[0] if bounced and item.status == PostStatus.REGISTERED else None,
        "can_dispatch": can_dispatch(user, item),
        "works": can_work_post_item(user, item) or can_route_post(user),
        "can_print": can_print_post(user),
    }


def _item_url(item: PostItem) -> str:
    return reverse("backoffice:post_item", args=[item.uuid]) + "#verzending"


def _outgoing(request: EmployeeRequest, uuid: uuid.UUID) -> PostItem:
    item = get_post_item_for(request.user, uuid)
    if item.is_incoming:
        raise Http404
    return item


@require_http_methods(["GET", "POST"])
@employee_required
def post_dispatch(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = _outgoing(request, uuid)
    if not can_dispatch(request.user, item):
        raise Http404
    proposal = propose_channel(item)
    addressee = addressee_name(item)
    if request.method == "POST":
        form = DispatchForm(request.POST, proposal=proposal, addressee=addressee)
        if form.is_valid():
            try:
                dispatch = dispatch_item(item=item, by=request.user, **form.arguments())
            except ValidationError as error:
                add_domain_errors(form, error, rename=RENAMED)
            else:
                messages.success(
                    request,
                    _("Het poststuk gaat uit via %(channel)s naar %(address)s.")
                    % {"channel": dispatch.get_channel_display(), "address": dispatch.address},
                )
                return redirect(_item_url(item))
    else:
        form = DispatchForm(proposal=proposal, addressee=addressee)
    log_person_accesses(request, [item.party] if item.party is not None else [])
    context = {
        "item": item,
        "form": form,
        "proposal": proposal,
        "addressee": addressee,
        "documents": [row for row in item_documents(request.user, item) if row.role != "scan"],
        "dispatches": dispatches_of_item(item),
    }
    return render(request, "backoffice/post/dispatch.html", context)


@require_POST
@employee_required
def post_dispatch_resend(request: EmployeeRequest, uuid: uuid.UUID, dispatch: uuid.UUID) -> HttpResponse:
    item = _outgoing(request, uuid)
    found = get_dispatch_for(request.user, item, dispatch)
    try:
        again = resend_dispatch(dispatch=found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Opnieuw verstuurd via %(channel)s.") % {"channel": again.get_channel_display()}
        )
    return redirect(_item_url(item))


@require_POST
@employee_required
def post_dispatch_bounce(request: EmployeeRequest, uuid: uuid.UUID, dispatch: uuid.UUID) -> HttpResponse:
    item = _outgoing(request, uuid)
    found = get_dispatch_for(request.user, item, dispatch)
    form = BounceForm(request.POST, prefix=f"terug-{found.uuid}")
    if not form.is_valid():
        messages.error(request, _("Geef de reden op waarom de verzending terugkwam."))
        return redirect(_item_url(item))
    try:
        record_bounce(dispatch=found, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.warning(request, _("Genoteerd: de verzending kwam terug."))
    return redirect(_item_url(item))


# --- print batches ------------------------------------------------------------------------------


def _printer(request: EmployeeRequest) -> None:
    if not can_print_post(request.user):
        raise Http404


@require_http_methods(["GET", "POST"])
@employee_required
def print_batches(request: EmployeeRequest) -> HttpResponse:
    _printer(request)
    if request.method == "POST":
        try:
            batch = make_print_batch(by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Printbatch %(number)s is klaar om te printen.") % {"number": batch.number}
            )
            return redirect("backoffice:print_batch", uuid=batch.uuid)
        return redirect("backoffice:print_batches")
    waiting = list(waiting_for_print(request.user)[: WAITING_SHOWN + 1])
    log_person_accesses(request, [d.item.party for d in waiting[:WAITING_SHOWN] if d.item.party is not None])
    context = {
        "waiting": waiting[:WAITING_SHOWN],
        "more_waiting": len(waiting) > WAITING_SHOWN,
        "registered_waiting": sum(1 for d in waiting if d.registered_mail),
        "batches": recent_print_batches(request.user),
    }
    return render(request, "backoffice/post/print_batches.html", context)


@require_GET
@employee_required
def print_batch(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    _printer(request)
    batch = get_print_batch_for(request.user, uuid)
    dispatches = batch_dispatches(batch)
    log_person_accesses(request, [d.item.party for d in dispatches if d.item.party is not None])
    context = {
        "batch": batch,
        "registered": [d for d in dispatches if d.registered_mail],
        "ordinary": [d for d in dispatches if not d.registered_mail],
    }
    return render(request, "backoffice/post/print_batch.html", context)


@require_GET
@employee_required
def print_batch_download(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """The batch's PDF, made from what it holds. Its letters name persons: an access-log row each."""
    _printer(request)
    batch = get_print_batch_for(request.user, uuid)
    dispatches = batch_dispatches(batch)
    log_personal_data_accesses(
        by=request.user,
        subject_uuids=[
            d.item.party.uuid
            for d in dispatches
            if d.item.party is not None and d.item.party.kind == PartyKind.PERSON
        ],
        subject_type=PartyKind.PERSON,
        channel=AccessChannel.PAGE,
        location=request.path,
    )
    response = HttpResponse(print_batch_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@employee_required
def print_batch_confirm(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    _printer(request)
    batch = get_print_batch_for(request.user, uuid)
    try:
        confirm_posted(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Printbatch %(number)s is op de post: de brief is verstuurd.",
                "Printbatch %(number)s is op de post: de %(letters)s brieven zijn verstuurd.",
                batch.letters,
            )
            % {"number": batch.number, "letters": batch.letters},
        )
    return redirect("backoffice:print_batch", uuid=batch.uuid)
