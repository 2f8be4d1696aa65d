"""Registering a case: from the case menu (optionally for a customer or as a sub-case), or from a
contact moment ("Maak er een zaak van"). Step one picks the case type, step two its form."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from balie.cases.actions import register_case
from balie.cases.models import Case, CaseType, Origin, RoleKind
from balie.cases.queries import case_types_in_use, cases_for, get_case_for, version_in_force
from balie.contact_moments.actions import register_case_from_contact_moment
from balie.contact_moments.models import ContactMoment
from balie.contact_moments.queries import get_contact_moment_for
from balie.parties.models import Party
from balie.parties.queries import get_party_ref_for

from ..access import EmployeeRequest, employee_required
from ..forms.case_attributes import AttributeForm
from ..forms.cases import CaseTypeChoiceForm, RegisterCaseForm
from .case_pages import log_person_accesses


def _case_type(request: EmployeeRequest) -> CaseType | None:
    value = request.POST.get("case_type") if request.method == "POST" else request.GET.get("zaaktype")
    if not value:
        return None
    try:
        return case_types_in_use().filter(uuid=uuid.UUID(str(value))).first()
    except ValueError:
        return None


def _visible_or_none(lookup: Any, user: Any, value: str) -> Any:
    if not value:
        return None
    try:
        return lookup(user, value)
    except Http404:
        return None


def _add_errors(form: RegisterCaseForm, attributes: AttributeForm, error: ValidationError) -> None:
    """register_case's errors: attribute codes to the attribute form, the rest to the main form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages_ in error.message_dict.items():
        if key in attributes.fields:
            attributes.add_error(key, messages_)
            continue
        name = "initiator" if key == "parties" else key
        form.add_error(name if name in form.fields else None, messages_)


def _register_page(request: EmployeeRequest, *, moment: ContactMoment | None = None) -> HttpResponse:
    user = request.user
    case_type = _case_type(request)
    initiator: Party | None = None
    parent: Case | None = None
    if moment is None:
        initiator = _visible_or_none(get_party_ref_for, user, request.GET.get("klant", ""))
        parent = _visible_or_none(get_case_for, user, request.GET.get("hoofdzaak", ""))
    context: dict[str, Any] = {"moment": moment, "initiator": initiator, "parent_case": parent}
    if case_type is None:
        chooser = CaseTypeChoiceForm(request.GET if "zaaktype" in request.GET else None)
        return render(request, "backoffice/cases/register.html", {**context, "chooser": chooser})

    version = version_in_force(case_type)
    assert version is not None  # case_types_in_use() only lists types with a version in force
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"case_type": case_type.uuid}
    if moment is not None:
        initial["subject"] = (moment.topic.name if moment.topic else moment.summary.splitlines()[0])[:200]
        initial["description"] = moment.summary
    if initiator is not None:
        initial["initiator"] = str(initiator.uuid)
    if parent is not None:
        initial["parent"] = parent.uuid
    form = RegisterCaseForm(data, initial=initial, with_initiator=moment is None, parents=cases_for(user))
    attributes = AttributeForm(data, definitions=version.attributes.all())
    preview = data is not None and (form.wants_search(data) or attributes.wants_search(data))
    form.preview = attributes.preview = preview

    if data is not None and not preview and form.is_valid() and attributes.is_valid():
        try:
            case = _register(request, form, attributes, moment)
        except ValidationError as error:
            _add_errors(form, attributes, error)
        else:
            messages.success(request, _("Zaak %(number)s is geregistreerd.") % {"number": case.number})
            return redirect("backoffice:case", uuid=case.uuid)

    query = data if preview else None
    log_person_accesses(request, form.prepare_pickers(user, query) + attributes.prepare_pickers(user, query))
    context.update({"form": form, "attribute_form": attributes, "case_type": case_type, "version": version})
    return render(request, "backoffice/cases/register.html", context)


def _register(
    request: EmployeeRequest, form: RegisterCaseForm, attributes: AttributeForm, moment: ContactMoment | None
) -> Case:
    data = form.cleaned_data
    if moment is not None:
        return register_case_from_contact_moment(
            contact_moment=moment,
            case_type=data["case_type"],
            by=request.user,
            subject=data["subject"],
            description=data["description"],
            attributes=attributes.values(),
        )
    parties = []
    if data.get("initiator"):
        try:
            parties.append((get_party_ref_for(request.user, data["initiator"]), RoleKind.INITIATOR.value))
        except Http404:
            raise ValidationError({"initiator": _("Kies een klant uit de zoekresultaten.")}) from None
    return register_case(
        case_type=data["case_type"],
        by=request.user,
        subject=data["subject"],
        description=data["description"],
        origin=Origin.BACKOFFICE,
        parties=parties,
        attributes=attributes.values(),
        parent=data.get("parent"),
    )


@require_http_methods(["GET", "POST"])
@employee_required
def case_register(request: EmployeeRequest) -> HttpResponse:
    return _register_page(request)


@require_http_methods(["GET", "POST"])
@employee_required
def case_from_contact_moment(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    moment = get_contact_moment_for(request.user, uuid)
    if moment.case is not None:
        case = _visible_or_none(get_case_for, request.user, str(moment.case.uuid))
        if case is None:
            messages.info(request, _("Dit contact hoort al bij een zaak."))
            return redirect("backoffice:contact_moment", uuid=moment.uuid)
        messages.info(request, _("Dit contact hoort al bij zaak %(number)s.") % {"number": case.number})
        return redirect("backoffice:case", uuid=case.uuid)
    return _register_page(request, moment=moment)
