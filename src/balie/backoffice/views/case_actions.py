"""The actions on the case page. Each view: validate its small form, call one action, and either
go back to the case page with a message, or show the page again with the errors at the form."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.cases.actions import (
    add_case_note,
    add_case_party,
    add_document_version,
    assign_case,
    attach_document,
    change_deadline,
    close_case,
    complete_case_task,
    extend_case,
    relate_cases,
    reopen_case,
    reopen_case_task,
    resume_case,
    set_status,
    suspend_case,
    update_case_attributes,
)
from balie.cases.models import Case
from balie.cases.queries import case_timeline, get_case_document_for, get_case_for
from balie.parties.queries import get_party_ref_for

from ..access import EmployeeRequest, employee_required
from ..forms.case_attributes import AttributeForm
from ..forms.cases import (
    AddPartyForm,
    AssignForm,
    AttachDocumentForm,
    CloseForm,
    DeadlineForm,
    DocumentVersionForm,
    ExtendForm,
    NoteForm,
    ReasonForm,
    RelateForm,
    StatusForm,
    version_form_key,
)
from ..forms.common import add_domain_errors
from .case_pages import available_actions, case_page

# Domain error keys that a form calls otherwise.
RENAMED = {"parties": "party"}


def case_url(case: Case, anchor: str = "") -> str:
    return reverse("backoffice:case", args=[case.uuid]) + (f"#{anchor}" if anchor else "")


def _run(
    request: EmployeeRequest,
    case: Case,
    key: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
    anchor: str = "",
) -> HttpResponse:
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error, rename=RENAMED)
        else:
            messages.success(request, done)
            return redirect(case_url(case, anchor))
    return case_page(request, case, bound={key: form})


@require_POST
@employee_required
def case_set_status(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = StatusForm(request.POST, allowed=available_actions(request.user, case)["statuses"])
    return _run(
        request,
        case,
        "status",
        form,
        lambda data: set_status(
            case=case, status_type=data["status"], by=request.user, reason=data["reason"]
        ),
        _("De status is gewijzigd."),
    )


@require_POST
@employee_required
def case_close(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = CloseForm(request.POST, version=case.version)
    return _run(
        request,
        case,
        "close",
        form,
        lambda data: close_case(
            case=case, result_type=data["result_type"], by=request.user, note=data["note"]
        ),
        _("De zaak is afgesloten."),
    )


@require_POST
@employee_required
def case_reopen(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = ReasonForm(request.POST, prefix="heropenen")
    return _run(
        request,
        case,
        "reopen",
        form,
        lambda data: reopen_case(case=case, by=request.user, reason=data["reason"]),
        _("De zaak is heropend."),
    )


@require_POST
@employee_required
def case_suspend(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = ReasonForm(request.POST, prefix="opschorten")
    return _run(
        request,
        case,
        "suspend",
        form,
        lambda data: suspend_case(case=case, by=request.user, reason=data["reason"]),
        _("De zaak is opgeschort: de termijn staat stil."),
    )


@require_POST
@employee_required
def case_resume(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    try:
        case = resume_case(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        date = case.deadline.strftime("%d/%m/%Y")
        messages.success(request, _("De zaak loopt weer; de uiterste datum is nu %(date)s.") % {"date": date})
    return redirect(case_url(case))


@require_POST
@employee_required
def case_extend(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = ExtendForm(request.POST, version=case.version)
    return _run(
        request,
        case,
        "extend",
        form,
        lambda data: extend_case(case=case, by=request.user, days=data["days"], reason=data["reason"]),
        _("De termijn is verlengd."),
    )


@require_POST
@employee_required
def case_change_deadline(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = DeadlineForm(request.POST)
    return _run(
        request,
        case,
        "deadline",
        form,
        lambda data: change_deadline(
            case=case, by=request.user, deadline=data["deadline"], reason=data["reason"]
        ),
        _("De uiterste datum is gewijzigd."),
    )


@require_POST
@employee_required
def case_assign(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = AssignForm(request.POST)
    return _run(
        request,
        case,
        "assign",
        form,
        lambda data: assign_case(
            case=case,
            by=request.user,
            department=data["department"],
            team=data["team"],
            handler=data["handler"],
        ),
        _("De zaak is toegewezen."),
    )


@require_POST
@employee_required
def case_give_back(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """My case goes back to the queue of its team or department."""
    case = get_case_for(request.user, uuid)
    try:
        assign_case(case=case, by=request.user, handler=None, team=case.team)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De zaak staat terug in de wachtrij."))
    return redirect(case_url(case))


@require_POST
@employee_required
def case_add_party(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """Add the party chosen; the picker's "Zoeken" without JavaScript shows the page with results."""
    case = get_case_for(request.user, uuid)
    form = AddPartyForm(request.POST, version=case.version)
    if form.wants_search(request.POST):
        form.preview = True
        return case_page(request, case, bound={"party": form})

    def act(data: dict[str, Any]) -> object:
        try:
            party = get_party_ref_for(request.user, data["party"])
        except Http404:
            raise ValidationError({"party": _("Kies een klant uit de zoekresultaten.")}) from None
        return add_case_party(case=case, party=party, kind=data["kind"], by=request.user)

    return _run(request, case, "party", form, act, _("De betrokkene is toegevoegd."), "betrokkenen")


@require_POST
@employee_required
def case_attributes(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = AttributeForm(request.POST, definitions=case.version.attributes.all())
    if form.wants_search(request.POST):  # a party attribute's "Zoeken" without JavaScript
        form.preview = True
        return case_page(request, case, bound={"attributes": form})
    return _run(
        request,
        case,
        "attributes",
        form,
        lambda data: update_case_attributes(case=case, by=request.user, values=form.values()),
        _("De kenmerken zijn bewaard."),
        "kenmerken",
    )


@require_POST
@employee_required
def case_relate(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = RelateForm(request.POST)

    def act(data: dict[str, Any]) -> object:
        try:
            other = get_case_for(request.user, data["number"])
        except Http404:
            raise ValidationError({"number": _("Geen zaak gevonden met dit nummer.")}) from None
        return relate_cases(case=case, other=other, by=request.user)

    return _run(request, case, "relate", form, act, _("De zaken zijn gekoppeld."), "verwante-zaken")


@require_POST
@employee_required
def case_add_note(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = NoteForm(request.POST)
    return _run(
        request,
        case,
        "note",
        form,
        lambda data: add_case_note(case=case, by=request.user, text=data["text"]),
        _("De notitie is bewaard."),
        "notities",
    )


def _toggle_task(
    request: EmployeeRequest, uuid: uuid.UUID, task_uuid: uuid.UUID, *, done: bool
) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    task = get_object_or_404(case.tasks, uuid=task_uuid)
    try:
        if done:
            complete_case_task(task=task, by=request.user)
        else:
            reopen_case_task(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if not request.htmx:
        return redirect(case_url(case, "checklist"))
    offered = available_actions(request.user, case)
    context = {
        "case": case,
        "offered": offered,
        "tasks": list(case.tasks.filter(status_type=case.status_type).select_related("done_by")),
        "events": case_timeline(request.user, case),
        "focus_task": task.uuid,
    }
    return render(request, "backoffice/cases/_tasks_response.html", context)


@require_POST
@employee_required
def case_task_complete(request: EmployeeRequest, uuid: uuid.UUID, task: uuid.UUID) -> HttpResponse:
    return _toggle_task(request, uuid, task, done=True)


@require_POST
@employee_required
def case_task_reopen(request: EmployeeRequest, uuid: uuid.UUID, task: uuid.UUID) -> HttpResponse:
    return _toggle_task(request, uuid, task, done=False)


@require_POST
@employee_required
def case_attach_document(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    form = AttachDocumentForm(request.POST, request.FILES, version=case.version)
    return _run(
        request,
        case,
        "document",
        form,
        lambda data: attach_document(
            case=case,
            by=request.user,
            file=data["file"],
            title=data["title"],
            document_type=data["document_type"],
        ),
        _("Het document is toegevoegd."),
        "documenten",
    )


@require_POST
@employee_required
def case_document_version(request: EmployeeRequest, uuid: uuid.UUID, document: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    link = get_case_document_for(request.user, case, document)
    form = DocumentVersionForm(request.POST, request.FILES, document=link.document)
    return _run(
        request,
        case,
        version_form_key(link.document),
        form,
        lambda data: add_document_version(
            case=case, document=link.document, file=data["file"], by=request.user
        ),
        _("De nieuwe versie is bewaard."),
        "documenten",
    )
