"""The post room: register a stack of letters with the keyboard only (Enter saves and starts the
next), upload the scanner's files (each PDF split on separator sheets in the background, with its
progress), complete the letters of a batch one after the other, print the separator sheet."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balie.accounts.models import User
from balie.contact_moments.queries import get_contact_moment_for
from balie.correspondence.actions import complete_details, register_incoming, register_outgoing
from balie.correspondence.batches import retry_batch, upload_scans
from balie.correspondence.models import PostChannel, PostItem
from balie.correspondence.permissions import can_register_post
from balie.correspondence.queries import (
    get_batch_for,
    get_post_item_for,
    has_unfinished,
    items_to_complete,
    next_to_complete,
    recent_batches,
    recent_registrations,
)
from balie.correspondence.scans import separator_sheet_pdf
from balie.parties.models import Party
from balie.parties.queries import get_party_ref_for

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.post import CompleteForm, PostRoomForm, RegisterOutgoingForm, ScanUploadForm
from .case_pages import log_person_accesses

RECENT = 10
RENAMED = {"scan": "scan", "attachments": "scan"}


def _registrar(request: EmployeeRequest) -> None:
    if not can_register_post(request.user):
        raise Http404


def _party(request: EmployeeRequest, value: str) -> Party | None:
    if not value:
        return None
    try:
        return get_party_ref_for(request.user, value)
    except Http404:
        raise ValidationError({"party": _("Kies een klant uit de zoekresultaten.")}) from None


def _contact_moment_ref(request: EmployeeRequest, value: uuid.UUID | None) -> uuid.UUID | None:
    """The contact moment a letter came with (handed over at the counter), as the employee may
    see it; contact moments sit beside the post register, so only its public id is kept."""
    if value is None:
        return None
    try:
        return get_contact_moment_for(request.user, value).uuid
    except Http404:
        raise ValidationError(
            {"contact_moment": _("Dit contact bestaat niet of u mag het niet zien.")}
        ) from None


def _stack_initial(request: EmployeeRequest) -> dict[str, Any]:
    """Channel and date of the stack being registered, kept from the letter before; or the
    contact moment (and its customer) a letter came with."""
    initial: dict[str, Any] = {}
    contact = request.GET.get("contact", "")
    if contact:
        try:
            moment = get_contact_moment_for(request.user, contact)
        except Http404:
            moment = None
        if moment is not None:
            initial.update(contact_moment=moment.uuid, channel=PostChannel.COUNTER)
            if moment.party_id is not None and moment.party is not None:
                initial["party"] = str(moment.party.uuid)
    channel = request.GET.get("kanaal", "")
    if channel in PostChannel.values:
        initial["channel"] = channel
    try:
        received = dt.date.fromisoformat(request.GET.get("ontvangen", "")[:10])
    except ValueError:
        received = None
    if received is not None and received <= timezone.localdate():
        initial["received_on"] = received
    return initial


def _page(request: EmployeeRequest, form: PostRoomForm, upload_form: ScanUploadForm) -> HttpResponse:
    user = request.user
    recent = recent_registrations(user, limit=RECENT)
    batches = recent_batches(user)
    shown = form.prepare_pickers(user, form.data if form.preview else None)
    log_person_accesses(request, shown + [item.party for item in recent if item.party is not None])
    context = {
        "form": form,
        "upload_form": upload_form,
        "recent": recent,
        "batches": batches,
        "polling": has_unfinished(batches),
        "to_complete": items_to_complete(user),
    }
    return render(request, "backoffice/post/post_room.html", context)


@require_http_methods(["GET", "POST"])
@employee_required
def post_room(request: EmployeeRequest) -> HttpResponse:
    """Register one incoming letter; on success, the same page, empty, for the next one."""
    _registrar(request)
    user = request.user
    upload_form = ScanUploadForm(department=user.department)
    if request.method != "POST":
        return _page(request, PostRoomForm(initial=_stack_initial(request)), upload_form)
    form = PostRoomForm(request.POST, request.FILES)
    form.preview = form.wants_search(request.POST)
    if not form.preview and form.is_valid():
        data = form.cleaned_data
        try:
            item = register_incoming(
                by=user,
                channel=data["channel"],
                received_on=data["received_on"],
                party=_party(request, data["party"]),
                department=data["department"],
                handler=data["handler"],
                scan=data["scan"],
                contact_moment_ref=_contact_moment_ref(request, data["contact_moment"]),
                **form.sender_arguments(),
            )
        except ValidationError as error:
            add_domain_errors(form, error, rename=RENAMED)
        else:
            if item.is_incoming:
                messages.success(
                    request,
                    _("%(number)s is geregistreerd voor %(department)s.")
                    % {"number": item.number, "department": item.department.name},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Dit is het ondertekende exemplaar van onze brief %(number)s: "
                        "de scan is bij %(number)s gevoegd, er is geen nieuw poststuk geregistreerd."
                    )
                    % {"number": item.number},
                )
            query = urlencode({"kanaal": data["channel"], "ontvangen": data["received_on"].isoformat()})
            return redirect(f"{reverse('backoffice:post_room')}?{query}")
    return _page(request, form, upload_form)


@require_POST
@employee_required
def scan_upload(request: EmployeeRequest) -> HttpResponse:
    """The scanner's files: each becomes a batch to split, or an item to complete; a refused file
    says why and does not stop the others."""
    _registrar(request)
    user = request.user
    upload_form = ScanUploadForm(request.POST, request.FILES, department=user.department)
    if not upload_form.is_valid():
        return _page(request, PostRoomForm(initial=_stack_initial(request)), upload_form)
    data = upload_form.cleaned_data
    outcomes = upload_scans(
        files=data["uploads"],
        by=user,
        department=data["department"],
        received_on=data["received_on"],
        confidential=data["confidential"],
    )
    for outcome in outcomes:
        if outcome.error:
            messages.error(
                request, _("%(file)s: %(reason)s") % {"file": outcome.filename, "reason": outcome.error}
            )
        elif outcome.batch is not None:
            messages.success(
                request, _("%(file)s wordt gesplitst; volg het hieronder.") % {"file": outcome.filename}
            )
        elif outcome.item is not None:
            messages.success(
                request,
                _("%(file)s is %(number)s; vul het aan.")
                % {"file": outcome.filename, "number": outcome.item.number},
            )
    return redirect(reverse("backoffice:post_room") + "#scans")


@require_GET
@employee_required
def batches(request: EmployeeRequest) -> HttpResponse:
    _registrar(request)
    batches = recent_batches(request.user)
    context = {
        "batches": batches,
        "polling": has_unfinished(batches),
        "to_complete": items_to_complete(request.user),
    }
    return render(request, "backoffice/post/_batches.html", context)


@require_POST
@employee_required
def batch_retry(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    _registrar(request)
    batch = get_batch_for(request.user, uuid)
    try:
        retry_batch(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(file)s wordt opnieuw gesplitst.") % {"file": batch.original_filename})
    return redirect(reverse("backoffice:post_room") + "#scans")


@require_GET
@employee_required
def separator_sheet(request: EmployeeRequest) -> HttpResponse:
    """The separator sheet to print (one A4 page; print as many as the stack needs)."""
    _registrar(request)
    pdf = separator_sheet_pdf(municipality=str(settings.BALIE_MUNICIPALITY_NAME))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="scheidingsblad.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- completing the letters of a batch ------------------------------------------------------------


def _complete_initial(item: PostItem) -> dict[str, Any]:
    return {
        "received_on": item.received_on,
        "department": item.department.uuid,
        "confidential": item.confidential,
        "subject": item.subject,
    }


@require_http_methods(["GET", "POST"])
@employee_required
def post_complete(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """Sender and subject of a letter from a batch; Enter saves and opens the next one."""
    _registrar(request)
    user = request.user
    item = get_post_item_for(user, uuid)
    if not item.needs_details:
        messages.info(request, _("%(number)s is al aangevuld.") % {"number": item.number})
        return redirect("backoffice:post_item", uuid=item.uuid)
    data = request.POST if request.method == "POST" else None
    form = CompleteForm(data, initial=_complete_initial(item))
    form.preview = data is not None and form.wants_search(data)
    if data is not None and not form.preview and form.is_valid():
        cleaned = form.cleaned_data
        try:
            complete_details(
                item=item,
                by=user,
                party=_party(request, cleaned["party"]),
                received_on=cleaned["received_on"],
                department=cleaned["department"],
                handler=cleaned["handler"],
                **form.sender_arguments(),
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("%(number)s is aangevuld.") % {"number": item.number})
            following = next_to_complete(user, item)
            if following is not None:
                return redirect("backoffice:post_complete", uuid=following.uuid)
            return redirect("backoffice:post_room")
    log_person_accesses(request, form.prepare_pickers(user, data if form.preview else None))
    documents = list(item.documents.select_related("document__current_version"))
    context = {
        "item": item,
        "form": form,
        "documents": documents,
        "remaining": len(items_to_complete(user)),
    }
    return render(request, "backoffice/post/complete.html", context)


# --- outgoing post, registered by hand ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@employee_required
def post_register_outgoing(request: EmployeeRequest) -> HttpResponse:
    _registrar(request)
    user: User = request.user
    data = request.POST if request.method == "POST" else None
    form = RegisterOutgoingForm(data, request.FILES or None)
    form.preview = data is not None and form.wants_search(data)
    if data is not None and not form.preview and form.is_valid():
        cleaned = form.cleaned_data
        try:
            item = register_outgoing(
                by=user,
                channel=cleaned["channel"],
                subject=cleaned["subject"],
                party=_party(request, cleaned["party"]),
                correspondent_name=cleaned["correspondent_name"],
                confidential=cleaned["confidential"],
                letter=cleaned["letter"],
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("%(number)s is geregistreerd.") % {"number": item.number})
            return redirect("backoffice:post_item", uuid=item.uuid)
    log_person_accesses(request, form.prepare_pickers(user, data if form.preview else None))
    return render(request, "backoffice/post/outgoing_new.html", {"form": form})
