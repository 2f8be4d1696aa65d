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

from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment
from balie.contact_moments.queries import documents_of_contact_moment, get_contact_moment_for
from balie.correspondence.permissions import can_register_post
from balie.correspondence.queries import post_items_of_contact_moment
from balie.mailboxes.queries import sent_mail_of_contact
from balie.parties.models import Party
from balie.parties.queries import get_party_for

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.contacts import ContactMomentForm
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


@require_GET
@employee_required
def contact_moment_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    moment = get_contact_moment_for(request.user, uuid)
    if moment.party is not None:
        log_access(request, moment.party)
    context = {
        "moment": moment,
        "documents": documents_of_contact_moment(request.user, moment),
        "post_items": post_items_of_contact_moment(request.user, moment.uuid),
        "can_register_post": can_register_post(request.user),
    }
    sent_mail = sent_mail_of_contact(request.user, moment)  # mail out: its state, a bounce plainly
    context.update(sent_mail=sent_mail, sent_mail_list=[sent_mail] if sent_mail else [])
    return render(request, "backoffice/contacts/detail.html", context)
