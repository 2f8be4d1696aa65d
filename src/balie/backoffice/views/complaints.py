"""The complaint pages: the coordinator's board (new, to acknowledge, due soon, overdue), intake
from any channel, one complaint with its steps, and the annual report with its exports."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balie.accounts.permissions import can_read_management_figures
from balie.accounts.queries import active_departments, active_employees
from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.cases.models import CaseType
from balie.cases.queries import case_timeline
from balie.cases.registries import Intake, intake_handlers
from balie.complaints import actions
from balie.complaints import letters as proposals
from balie.complaints.charts import Chart
from balie.complaints.export import report_docx, report_pdf
from balie.complaints.models import Complaint, ComplaintState, InadmissibleReason
from balie.complaints.permissions import can_coordinate_complaints
from balie.complaints.queries import board_for, get_complaint_for
from balie.complaints.report import annual_report
from balie.complaints.workflow import allowed_steps, suggested_inadmissibility
from balie.documents.letters.queries import usable_templates
from balie.parties.models import PartyKind
from balie.parties.queries import get_party_for

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.complaints import (
    AdmissibilityForm,
    AnswerForm,
    ComplaintIntakeForm,
    ConvertForm,
    DepartmentForm,
    ExtendForm,
    InvestigatorForm,
    MessageForm,
    YearForm,
)

# The reglement's main line, shown as steps on the complaint's page.
MAIN_STEPS = [
    ComplaintState.REGISTERED,
    ComplaintState.ADMISSIBLE,
    ComplaintState.ACKNOWLEDGED,
    ComplaintState.INVESTIGATING,
    ComplaintState.ANSWERED,
    ComplaintState.CLOSED,
]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@employee_required
def complaint_board(request: EmployeeRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/complaints/board.html",
        {"board": board_for(request.user), "coordinator": can_coordinate_complaints(request.user)},
    )


@require_http_methods(["GET", "POST"])
@employee_required
def complaint_register(request: EmployeeRequest) -> HttpResponse:
    """Intake at the counter, by phone, from a letter or an e-mail: the "complaint" intake handler."""
    party = None
    if request.GET.get("klant"):
        party = get_party_for(request.user, request.GET["klant"])
    initial = {"received_on": timezone.localdate(), "channel": "counter"}
    form = ComplaintIntakeForm(request.POST or None, initial=initial, departments=active_departments())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received_on: dt.date = data["received_on"]
        now = timezone.localtime()
        received_at = (
            now
            if received_on == now.date()
            else timezone.make_aware(dt.datetime.combine(received_on, dt.time(12)))
        )
        extra: dict[str, Any] = {"theme": data["theme"], "facts_on": data["facts_on"]}
        if data["department"] is not None:
            extra["department"] = data["department"]
        try:
            case = intake_handlers.get("complaint")(
                Intake(
                    kind="complaint",
                    channel=data["channel"],
                    party=None if data["anonymous"] else party,
                    subject=data["subject"],
                    text=data["text"],
                    received_at=received_at,
                    by=request.user,
                    source="backoffice",
                    extra=extra,
                )
            )
        except ValidationError as error:
            add_domain_errors(form, error, rename={"received_at": "received_on"})
        else:
            complaint = Complaint.objects.get(case=case)
            messages.success(request, _("Klacht %(number)s geregistreerd.") % {"number": case.number})
            if can_coordinate_complaints(request.user):
                return redirect("backoffice:complaint", uuid=complaint.uuid)
            return redirect("backoffice:complaints")
    return render(request, "backoffice/complaints/register.html", {"form": form, "party": party})


def _templates(request: EmployeeRequest) -> Any:
    return usable_templates(request.user).exclude(current_version=None)


def _forms(request: EmployeeRequest, complaint: Complaint) -> dict[str, Any]:
    """The forms of the steps the complaint may take now, with the proposed texts filled in."""
    steps = allowed_steps(complaint)
    party = actions.initiator_of(complaint.case)
    templates = _templates(request)
    forms: dict[str, Any] = {}
    if "decide_admissible" in steps:
        suggestion = suggested_inadmissibility(complaint, anonymous=party is None)
        forms["admissibility"] = AdmissibilityForm(initial={"decision": suggestion or None})
        if suggestion:
            forms["admissibility"].fields["decision"].help_text = _(
                "Voorstel volgens het reglement: %(reason)s."
            ) % {"reason": InadmissibleReason(suggestion).label}
        forms["department"] = DepartmentForm(
            initial={"department": complaint.department_concerned_id, "theme": complaint.theme},
            departments=active_departments(),
        )
    if "convert" in steps:
        forms["convert"] = ConvertForm(
            case_types=CaseType.objects.filter(active=True).exclude(code=settings.BALIE_COMPLAINT_CASE_TYPE)
        )
    if "acknowledge" in steps:
        subject, body = proposals.acknowledgement(complaint, party)
        forms["acknowledge"] = MessageForm(initial={"subject": subject, "body": body}, templates=templates)
    if "assign_investigator" in steps:
        employees = active_employees().filter(department=complaint.department_concerned)
        forms["investigator"] = InvestigatorForm(
            initial={"investigator": complaint.investigator_id}, employees=employees
        )
    if "extend" in steps and not complaint.extension_days:
        new_due = complaint.answer_due + dt.timedelta(days=settings.BALIE_COMPLAINT_EXTENSION_DAYS)
        subject, body = proposals.extension(complaint, party, _("[reden]"), new_due)
        forms["extend"] = ExtendForm(initial={"subject": subject, "body": body}, templates=templates)
    if "answer" in steps:
        subject, _body = proposals.answer(complaint, party, "", "", "")
        forms["answer"] = AnswerForm(initial={"subject": subject}, templates=templates)
        forms["answer"].fields["body"].help_text = _(
            "Leeg: Balie stelt de e-mail samen uit het oordeel, de motivering en de verbeteractie"
            " (met de verwijzing naar de ombudsdienst als het reglement dat vraagt)."
        )
    return forms


def _page(request: EmployeeRequest, complaint: Complaint, **override: Any) -> HttpResponse:
    party = actions.initiator_of(complaint.case)
    if party is not None and party.kind == PartyKind.PERSON:  # the complainant's name on a page: a read
        log_personal_data_accesses(
            by=request.user,
            subject_uuids=[party.uuid],
            subject_type=PartyKind.PERSON,
            channel=AccessChannel.PAGE,
            location=request.path,
        )
    forms = {**_forms(request, complaint), **override} if can_coordinate_complaints(request.user) else {}
    return render(
        request,
        "backoffice/complaints/detail.html",
        {
            "complaint": complaint,
            "case": complaint.case,
            "party": party,
            "forms": forms,
            "coordinator": can_coordinate_complaints(request.user),
            "steps": allowed_steps(complaint),
            "timeline": case_timeline(request.user, complaint.case, limit=50),
            "states": [(state, ComplaintState(state).label) for state in MAIN_STEPS],
            "today": timezone.localdate(),
        },
        status=422 if override else 200,
    )


@require_GET
@employee_required
def complaint_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _page(request, get_complaint_for(request.user, uuid))


def _message(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "how": data["how"],
        "subject": data["subject"],
        "body": data["body"],
        "template": data["template"],
    }


STEP_FORMS: dict[str, tuple[str, Any]] = {
    "ontvankelijkheid": ("admissibility", AdmissibilityForm),
    "dienst": ("department", DepartmentForm),
    "omzetten": ("convert", ConvertForm),
    "bevestigen": ("acknowledge", MessageForm),
    "onderzoeker": ("investigator", InvestigatorForm),
    "verlengen": ("extend", ExtendForm),
    "beantwoorden": ("answer", AnswerForm),
}


def _bound(request: EmployeeRequest, step: str, complaint: Complaint) -> tuple[str, Any]:
    key, form_class = STEP_FORMS[step]
    kwargs: dict[str, Any] = {}
    if form_class in (DepartmentForm,):
        kwargs["departments"] = active_departments()
    elif form_class is ConvertForm:
        kwargs["case_types"] = CaseType.objects.filter(active=True).exclude(
            code=settings.BALIE_COMPLAINT_CASE_TYPE
        )
    elif form_class is InvestigatorForm:
        kwargs["employees"] = active_employees()
    elif issubclass(form_class, MessageForm):
        kwargs["templates"] = _templates(request)
    return key, form_class(request.POST, **kwargs)


def _run(step: str, complaint: Complaint, by: Any, data: dict[str, Any]) -> Complaint:
    if step == "ontvankelijkheid":
        admissible = data["decision"] == "admissible"
        return actions.decide_admissibility(
            complaint=complaint,
            by=by,
            admissible=admissible,
            reason="" if admissible else data["decision"],
            note=data["note"],
        )
    if step == "dienst":
        return actions.set_department_concerned(
            complaint=complaint, by=by, department=data["department"], theme=data["theme"]
        )
    if step == "omzetten":
        return actions.convert_complaint(
            complaint=complaint, by=by, target=data["target"], case_type=data["case_type"]
        )
    if step == "bevestigen":
        return actions.acknowledge_complaint(complaint=complaint, by=by, **_message(data))
    if step == "onderzoeker":
        return actions.assign_investigator(complaint=complaint, by=by, investigator=data["investigator"])
    if step == "verlengen":
        return actions.extend_complaint(complaint=complaint, by=by, reason=data["reason"], **_message(data))
    if data["how"] == "email" and not data["body"].strip():
        party = actions.initiator_of(complaint.case)
        subject, data["body"] = proposals.answer(
            complaint, party, data["outcome"], data["answer_text"], data["improvement_action"]
        )
        data["subject"] = data["subject"] or subject
    return actions.answer_complaint(
        complaint=complaint,
        by=by,
        outcome=data["outcome"],
        answer_text=data["answer_text"],
        improvement_action=data["improvement_action"],
        **_message(data),
    )


@require_POST
@employee_required
def complaint_step(request: EmployeeRequest, uuid: uuid.UUID, step: str) -> HttpResponse:
    complaint = get_complaint_for(request.user, uuid)
    if not can_coordinate_complaints(request.user):
        raise Http404
    if step in ("onderzoek", "afsluiten"):
        try:
            if step == "onderzoek":
                actions.start_investigation(complaint=complaint, by=request.user)
            else:
                actions.close_complaint(complaint=complaint, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("backoffice:complaint", uuid=complaint.uuid)
    if step not in STEP_FORMS:
        raise Http404
    key, form = _bound(request, step, complaint)
    if form.is_valid():
        try:
            _run(step, complaint, request.user, form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("backoffice:complaint", uuid=complaint.uuid)
    return _page(request, Complaint.objects.get(pk=complaint.pk), **{key: form})


def _report_year(request: EmployeeRequest) -> int:
    if not (can_coordinate_complaints(request.user) or can_read_management_figures(request.user)):
        raise Http404
    form = YearForm(request.GET)
    year = form.cleaned_data.get("jaar") if form.is_valid() else None
    return year or timezone.localdate().year - 1


@require_GET
@employee_required
def complaint_report(request: EmployeeRequest) -> HttpResponse:
    year = _report_year(request)
    report = annual_report(year)
    charts = [
        Chart("per-dienst", _("Klachten per dienst"), report.by_department),
        Chart("per-thema", _("Klachten per thema"), report.by_theme),
        Chart("per-kanaal", _("Klachten per kanaal"), report.by_channel),
        Chart("per-oordeel", _("Beantwoorde klachten per oordeel"), report.by_outcome),
    ]
    this_year = timezone.localdate().year
    return render(
        request,
        "backoffice/complaints/report.html",
        {"report": report, "charts": charts, "years": list(range(this_year, this_year - 6, -1))},
    )


@require_GET
@employee_required
def complaint_report_file(request: EmployeeRequest, year: int, kind: str) -> HttpResponse:
    if not (can_coordinate_complaints(request.user) or can_read_management_figures(request.user)):
        raise Http404
    report = annual_report(year)
    if kind == "docx":
        response = HttpResponse(report_docx(report), content_type=DOCX)
    elif kind == "pdf":
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="jaarverslag-klachten-{year}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response
