"""Registering a contact (from the 360° view or for an anonymous caller) and reading one."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.contact_moments.actions import answer_web_question, register_contact_moment
from balie.contact_moments.models import Channel, ContactMoment, Direction
from balie.contact_moments.queries import documents_of_contact_moment, get_contact_moment_for
from balie.correspondence.permissions import can_register_post
from balie.correspondence.queries import post_items_of_contact_moment
from balie.mailboxes.queries import sent_mail_of_contact
from balie.parties.models import Party
from balie.parties.queries import get_party_for

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.contacts import ContactMomentForm, WebAnswerForm
from .parties import log_access, party_page, timeline_context

# Domain field names that the form calls otherwise.
RENAMED = {"duration_seconds": "duration_minutes"}


def _register(request: EmployeeRequest, form: ContactMomentForm, party: Party | None) -> ContactMoment | None:
    if not form.is_valid():
        return None
    try:
        return register_contact_moment(by=request.user, party=party, **form.action_arguments())
    except ValidationError as error:
        add_domain_errors(form, error, rename=RENAMED)
        return None


@require_POST
@employee_required
def register_for_party(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """The quick panel on the 360° view. With htmx: the panel comes back, and the timeline with it."""
    party = get_party_for(request.user, uuid)
    form = ContactMomentForm(request.POST)
    moment = _register(request, form, party)
    if moment is not None:
        messages.success(request, _("Het contact is geregistreerd."))
        if not request.htmx:
            return redirect(reverse("backoffice:party", args=[party.uuid]) + "#tijdlijn")
        form = ContactMomentForm()
    if not request.htmx:
        return party_page(request, party, contact_form=form)
    context = {"party": party, "contact_form": form, "registered": moment}
    if moment is not None:
        context.update(timeline_context(request, party))
        log_access(request, party)
    return render(request, "backoffice/parties/_contact_panel_response.html", context)


@employee_required
def register_anonymous(request: EmployeeRequest) -> HttpResponse:
    """A standalone page for a caller who does not give a name (or not yet)."""
    form = ContactMomentForm(request.POST or None)
    if request.method == "POST":
        moment = _register(request, form, None)
        if moment is not None:
            messages.success(request, _("Het contact is geregistreerd."))
            return redirect("backoffice:contact_moment", uuid=moment.uuid)
    return render(request, "backoffice/contacts/new.html", {"contact_form": form, "handoff_inline": True})


@require_GET
@employee_required
def handoff_fields(request: EmployeeRequest) -> HttpResponse:
    """The hand-off part of the contact panel, loaded when the employee opens it."""
    return render(request, "backoffice/parties/_handoff_fields.html", {"contact_form": ContactMomentForm()})


def _is_web_question(moment: ContactMoment) -> bool:
    return (
        moment.channel == Channel.WEB
        and moment.direction == Direction.INBOUND
        and moment.party_id is not None
    )


@require_GET
@employee_required
def contact_moment_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _detail(request, get_contact_moment_for(request.user, uuid))


def _detail(
    request: EmployeeRequest, moment: ContactMoment, answer_form: WebAnswerForm | None = None
) -> HttpResponse:
    if moment.party is not None:
        log_access(request, moment.party)
    web_question = _is_web_question(moment)
    context = {
        "moment": moment,
        "documents": documents_of_contact_moment(request.user, moment),
        "post_items": post_items_of_contact_moment(request.user, moment.uuid),
        "can_register_post": can_register_post(request.user),
        "web_question": web_question,
        "answers": list(moment.replies.select_related("employee").order_by("registered_at"))
        if web_question
        else [],
        "answer_form": answer_form or WebAnswerForm(),
    }
    sent_mail = sent_mail_of_contact(request.user, moment)  # mail out: its state, a bounce plainly
    context.update(sent_mail=sent_mail, sent_mail_list=[sent_mail] if sent_mail else [])
    return render(request, "backoffice/contacts/detail.html", context, status=400 if answer_form else 200)


@require_POST
@employee_required
def answer_in_portal(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """Answer a question from the e-loket; the citizen reads it there."""
    moment = get_contact_moment_for(request.user, uuid)
    form = WebAnswerForm(request.POST)
    if form.is_valid():
        try:
            answer_web_question(question=moment, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            problems = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for name, texts in problems.items():
                for text in texts:
                    if name in form.fields:
                        form.add_error(name, text)
                    else:
                        messages.error(request, text)  # about the contact, not the form: said above the page
        else:
            messages.success(request, _("Het antwoord staat in het e-loket van de klant."))
            return redirect("backoffice:contact_moment", uuid=moment.uuid)
    return _detail(request, moment, answer_form=form)
