"""Every change to a complaint: one transaction each, the step checked in `workflow.check_step`,
an audit record, the case's status moved with it (cases.actions), mails through the outbox.

The complaint coordinator works the flow and must be independent of the department concerned; the
investigator (of the department concerned, never of the coordinator's own department) investigates.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import acts_for_municipality, is_employee
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.cases import actions as case_actions
from balie.cases.models import Case, CaseRelation, CaseType, Origin, RoleKind, StatusType
from balie.cases.registries import Intake, intake_handlers
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import Channel
from balie.core.outbox import write_message
from balie.documents.actions import discard_new_files_on_failure
from balie.documents.letters.actions import make_letter
from balie.documents.models import Letter, LetterTemplate
from balie.parties.models import Party

from . import letters as proposals
from .models import Complaint, ComplaintState, ConversionTarget, InadmissibleReason, Outcome, Theme
from .permissions import can_coordinate_complaints
from .workflow import (
    INADMISSIBLE_REASONS,
    RESULTS,
    STATUS_OF_STATE,
    acknowledge_due,
    check_step,
)

MAIL_SENDER = "complaints.mail"
COMPLAINT_FIELDS = [
    "state",
    "channel",
    "received_on",
    "department_concerned",
    "theme",
    "coordinator",
    "investigator",
    "admissible",
    "inadmissible_reason",
    "acknowledged_on",
    "answer_due",
    "extension_days",
    "outcome",
    "answered_on",
    "closed_on",
]


P = ParamSpec("P")
R = TypeVar("R")


def _atomic_leaving_no_files(func: Callable[P, R]) -> Callable[P, R]:
    """One transaction; a letter written in it is deleted again when the transaction fails."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with discard_new_files_on_failure(), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


def _lock(complaint: Complaint) -> Complaint:
    Complaint.objects.select_for_update().filter(pk=complaint.pk).values_list("pk").get()
    return Complaint.objects.select_related(
        "case", "case__version", "department_concerned", "coordinator", "investigator"
    ).get(pk=complaint.pk)


def _require_coordinator(by: User, complaint: Complaint | None = None) -> None:
    if not can_coordinate_complaints(by):
        raise ValidationError(_("Alleen een klachtencoördinator kan dit doen."))
    if complaint is not None and complaint.department_concerned_id == by.department_id:
        raise ValidationError(
            _(
                "Een klachtencoördinator van de betrokken dienst zelf behandelt deze klacht niet "
                "(onafhankelijkheid)."
            )
        )


def _status(case: Case, name: str) -> StatusType:
    return StatusType.objects.get(version_id=case.version_id, name=name)


def _move_case(complaint: Complaint, *, by: User, reason: str = "") -> Case:
    """Bring the case to the status of the complaint's (new) step, if it is not there yet."""
    name = STATUS_OF_STATE[complaint.state]
    case = complaint.case
    if case.status_type.name != name:
        case = case_actions.set_status(case=case, status_type=_status(case, name), by=by, reason=reason)
        complaint.case = case
    return case


def _close_case(complaint: Complaint, *, result: str, by: User, note: str = "") -> None:
    case = complaint.case
    result_type = case.version.result_types.get(name=RESULTS[result])
    complaint.case = case_actions.close_case(case=case, result_type=result_type, by=by, note=note[:4000])
    complaint.closed_on = timezone.localdate()


def _save(complaint: Complaint, before: Mapping[str, Any], *, by: User, reason: str = "") -> Complaint:
    complaint.full_clean(
        exclude=[
            "case",
            "department_concerned",
            "coordinator",
            "investigator",
            "converted_to",
            "converted_from",
        ],
        validate_unique=False,
    )
    complaint.save()
    record_change(
        instance=complaint,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(complaint, COMPLAINT_FIELDS)),
        by=by,
        reason=reason,
    )
    return complaint


def initiator_of(case: Case) -> Party | None:
    role = case.roles.filter(kind=RoleKind.INITIATOR).select_related("party").order_by("id").first()
    return role.party if role else None


# --- intake ---------------------------------------------------------------------------------


def _complaint_case_type() -> CaseType:
    case_type = CaseType.objects.filter(code=settings.BALIE_COMPLAINT_CASE_TYPE).first()
    if case_type is None:
        raise ValidationError(_("Het zaaktype voor klachten is nog niet ingesteld (balie setup_complaints)."))
    return case_type


ORIGIN_OF_CHANNEL: dict[str, str] = {
    Channel.EMAIL: Origin.EMAIL,
    Channel.WEB: Origin.PORTAL,
    Channel.LETTER: Origin.POST,
}


@transaction.atomic
def register_complaint(intake: Intake) -> Case:
    """The intake handler for "complaint": a complaint case from any channel (a back-office form, a
    mail rule, the portal, a report converted into a complaint). `intake.extra` may name the
    `department` concerned (a Department), a `theme`, the date of the facts (`facts_on`) and a
    `coordinator`; the registering coordinator coordinates when none is named."""
    by = intake.by
    if not acts_for_municipality(by):
        raise ValidationError(_("Alleen een medewerker van de gemeente kan een klacht registreren."))
    extra = dict(intake.extra)
    errors: dict[str, str] = {}
    if intake.channel not in Channel.values:
        errors["channel"] = _("Kies een kanaal.")
    if not intake.subject.strip():
        errors["subject"] = _("Geef de klacht een onderwerp.")
    if not intake.text.strip():
        errors["text"] = _("Beschrijf de klacht.")
    theme = extra.get("theme") or Theme.OTHER
    if theme not in Theme.values:
        errors["theme"] = _("Kies een thema.")
    department = extra.get("department")
    if department is not None and not isinstance(department, Department):
        errors["department"] = _("Kies een dienst.")
    facts_on = extra.get("facts_on")
    received_on = timezone.localdate(intake.received_at)
    if facts_on is not None and (not isinstance(facts_on, dt.date) or facts_on > received_on):
        errors["facts_on"] = _("De feiten kunnen niet na de ontvangst van de klacht liggen.")
    if intake.received_at > timezone.now():
        errors["received_at"] = _("De klacht kan niet in de toekomst ontvangen zijn.")
    coordinator = extra.get("coordinator")
    if coordinator is None and can_coordinate_complaints(by):
        coordinator = by
    if coordinator is not None and not can_coordinate_complaints(coordinator):
        errors["coordinator"] = _("Kies een klachtencoördinator.")
    elif coordinator is not None and department is not None and coordinator.department_id == department.pk:
        errors["coordinator"] = _("De coördinator mag niet van de betrokken dienst zijn.")
    if errors:
        raise ValidationError(errors)
    case = case_actions.register_case(
        case_type=_complaint_case_type(),
        by=by,
        subject=intake.subject,
        description=intake.text,
        origin=ORIGIN_OF_CHANNEL.get(intake.channel, Origin.BACKOFFICE),
        parties=[(intake.party, RoleKind.INITIATOR)] if intake.party is not None else [],
        registered_at=intake.received_at,
    )
    complaint = Complaint.objects.create(
        case=case,
        channel=intake.channel,
        received_on=received_on,
        facts_on=facts_on,
        department_concerned=department,
        theme=theme,
        coordinator=coordinator,
        acknowledge_due=acknowledge_due(received_on),
        answer_due=case.deadline,
        converted_from=intake.converted_from,
    )
    record_creation(instance=complaint, fields=COMPLAINT_FIELDS, by=by)
    if intake.source:
        case_actions.add_case_note(
            case=case, by=by, text=_("Binnengekomen via %(source)s") % {"source": intake.source}
        )
    if intake.converted_from is not None:
        _relate(case, intake.converted_from, by=by)
    if intake.documents:
        complaint.documents.add(*intake.documents)
    return case


def _relate(case: Case, other: Case, *, by: User) -> None:
    if not CaseRelation.objects.filter(case__in=[case, other], other__in=[case, other]).exists():
        case_actions.relate_cases(case=case, other=other, by=by)


# --- coordinator and investigator -----------------------------------------------------------


@transaction.atomic
def assign_coordinator(*, complaint: Complaint, by: User, coordinator: User) -> Complaint:
    _require_coordinator(by)
    complaint = _lock(complaint)
    if not complaint.is_open:
        raise ValidationError(_("Deze klacht is afgesloten."))
    if not can_coordinate_complaints(coordinator):
        raise ValidationError({"coordinator": _("Kies een klachtencoördinator.")})
    if coordinator.department_id == complaint.department_concerned_id:
        raise ValidationError({"coordinator": _("De coördinator mag niet van de betrokken dienst zijn.")})
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.coordinator = coordinator
    return _save(complaint, before, by=by)


@transaction.atomic
def set_department_concerned(
    *, complaint: Complaint, by: User, department: Department, theme: str | None = None
) -> Complaint:
    _require_coordinator(by)
    complaint = _lock(complaint)
    if not complaint.is_open:
        raise ValidationError(_("Deze klacht is afgesloten."))
    if theme is not None and theme not in Theme.values:
        raise ValidationError({"theme": _("Kies een thema.")})
    if complaint.coordinator is not None and complaint.coordinator.department_id == department.pk:
        raise ValidationError(
            {"department": _("De coördinator hoort bij deze dienst; duid eerst een andere coördinator aan.")}
        )
    if complaint.investigator is not None and complaint.investigator.department_id != department.pk:
        raise ValidationError({"department": _("De onderzoeker hoort niet bij deze dienst.")})
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.department_concerned = department
    if theme is not None:
        complaint.theme = theme
    return _save(complaint, before, by=by)


@transaction.atomic
def assign_investigator(*, complaint: Complaint, by: User, investigator: User) -> Complaint:
    """The investigator works in the department concerned, never in the coordinator's own."""
    _require_coordinator(by)
    complaint = _lock(complaint)
    _require_coordinator(by, complaint)
    check_step(complaint, "assign_investigator")
    coordinator = complaint.coordinator or by
    if not is_employee(investigator):
        raise ValidationError({"investigator": _("Kies een actieve medewerker.")})
    if complaint.department_concerned_id is None:
        raise ValidationError({"investigator": _("Duid eerst de betrokken dienst aan.")})
    if investigator.department_id == coordinator.department_id:
        raise ValidationError(
            {"investigator": _("De onderzoeker mag niet van de dienst van de klachtencoördinator zijn.")}
        )
    if investigator.department_id != complaint.department_concerned_id:
        raise ValidationError({"investigator": _("De onderzoeker hoort bij de betrokken dienst.")})
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.investigator = investigator
    if complaint.coordinator is None:
        complaint.coordinator = by
    return _save(complaint, before, by=by)


# --- admissibility ------------------------------------------------------------------------


@transaction.atomic
def decide_admissibility(
    *, complaint: Complaint, by: User, admissible: bool, reason: str = "", note: str = ""
) -> Complaint:
    """Admissible; or inadmissible with a reason (anonymous, facts too old, already handled:
    the case closes as inadmissible; not a complaint: it waits to be converted)."""
    _require_coordinator(by)
    complaint = _lock(complaint)
    _require_coordinator(by, complaint)
    if admissible:
        check_step(complaint, "decide_admissible")
        if reason:
            raise ValidationError(
                {"reason": _("Een ontvankelijke klacht heeft geen reden van onontvankelijkheid.")}
            )
    elif reason == InadmissibleReason.NOT_A_COMPLAINT:
        check_step(complaint, "decide_not_a_complaint")
    else:
        check_step(complaint, "decide_inadmissible")
        if reason not in INADMISSIBLE_REASONS:
            raise ValidationError({"reason": _("Kies de reden van onontvankelijkheid.")})
    if not admissible and not note.strip() and reason != InadmissibleReason.ANONYMOUS:
        raise ValidationError({"note": _("Motiveer de onontvankelijkheid.")})
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.admissible = admissible
    complaint.inadmissible_reason = "" if admissible else reason
    complaint.admissibility_note = note.strip()[:500]
    complaint.admissibility_decided_on = timezone.localdate()
    if admissible:
        complaint.state = ComplaintState.ADMISSIBLE
    elif reason == InadmissibleReason.NOT_A_COMPLAINT:
        complaint.state = ComplaintState.NOT_A_COMPLAINT
    else:
        complaint.state = ComplaintState.INADMISSIBLE
    label = _("ontvankelijk") if admissible else InadmissibleReason(reason).label
    _move_case(complaint, by=by, reason=str(label))
    if complaint.state == ComplaintState.INADMISSIBLE:
        _close_case(complaint, result=ComplaintState.INADMISSIBLE, by=by, note=complaint.admissibility_note)
    return _save(complaint, before, by=by, reason=note)


# --- letters and mails to the complainant ---------------------------------------------------


def case_letter_values(complaint: Complaint) -> dict[str, Any]:
    case = complaint.case
    return {
        "number": case.number,
        "type": case.version.name,
        "subject": case.subject,
        "registered_on": case.registered_at,
        "deadline": complaint.answer_due,
        "department": complaint.department_concerned.name if complaint.department_concerned else "",
        "handler": complaint.coordinator.get_full_name() if complaint.coordinator else "",
    }


def _tell_complainant(
    complaint: Complaint,
    *,
    by: User,
    how: str,
    subject: str,
    body: str,
    template: LetterTemplate | None,
    to: str = "",
) -> Letter | None:
    """By e-mail (an outbox message, sent after commit, retried) or by letter from a template
    (merged, converted and stored now). Returns the letter."""
    party = initiator_of(complaint.case)
    if how == "email":
        address = to.strip() or (proposals.email_of(party) if party else "")
        if not address:
            raise ValidationError({"how": _("De klager heeft geen e-mailadres; stuur een brief.")})
        if not body.strip() or not subject.strip():
            raise ValidationError({"body": _("Schrijf het onderwerp en de tekst van de e-mail.")})
        write_message(
            sender=MAIL_SENDER,
            destination=f"complaint:{complaint.case.number}",
            payload={
                "case": complaint.case.pk,
                "party": party.pk if party else None,
                "to": address,
                "subject": subject.strip()[:200],
                "body": body.strip(),
                "by": by.pk,
            },
        )
        return None
    if how == "letter":
        if template is None:
            raise ValidationError({"template": _("Kies een briefsjabloon.")})
        if party is None:
            raise ValidationError({"how": _("Een anonieme klager krijgt geen brief.")})
        return make_letter(
            template=template,
            by=by,
            party=party,
            case=case_letter_values(complaint),
            item={"subject": subject.strip()[:200]},
            confidential=True,
            department=complaint.case.department,
        )
    raise ValidationError({"how": _("Kies e-mail of brief.")})


@_atomic_leaving_no_files
def acknowledge_complaint(
    *,
    complaint: Complaint,
    by: User,
    how: str,
    subject: str = "",
    body: str = "",
    template: LetterTemplate | None = None,
) -> Complaint:
    """Confirm receipt to the complainant (the proposal from `letters.acknowledgement`, reviewed)."""
    _require_coordinator(by)
    complaint = _lock(complaint)
    _require_coordinator(by, complaint)
    check_step(complaint, "acknowledge")
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.acknowledgement_letter = _tell_complainant(
        complaint, by=by, how=how, subject=subject, body=body, template=template
    )
    complaint.acknowledged_on = timezone.localdate()
    complaint.state = ComplaintState.ACKNOWLEDGED
    _move_case(complaint, by=by, reason=_("per brief") if how == "letter" else _("per e-mail"))
    return _save(complaint, before, by=by)


@transaction.atomic
def start_investigation(*, complaint: Complaint, by: User) -> Complaint:
    _require_coordinator(by)
    complaint = _lock(complaint)
    _require_coordinator(by, complaint)
    check_step(complaint, "start_investigation")
    if complaint.investigator_id is None:
        raise ValidationError({"investigator": _("Duid eerst een onderzoeker van de betrokken dienst aan.")})
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.state = ComplaintState.INVESTIGATING
    _move_case(complaint, by=by, reason=str(complaint.investigator))
    return _save(complaint, before, by=by)


@_atomic_leaving_no_files
def extend_complaint(
    *,
    complaint: Complaint,
    by: User,
    reason: str,
    how: str,
    subject: str = "",
    body: str = "",
    template: LetterTemplate | None = None,
) -> Complaint:
    """The one extension of the reglement (BALIE_COMPLAINT_EXTENSION_DAYS), with a reason, told to
    the complainant before the answer deadline passes."""
    _require_coordinator(by)
    complaint = _lock(complaint)
    _require_coordinator(by, complaint)
    check_step(complaint, "extend")
    if complaint.extension_days:
        raise ValidationError(_("Deze klacht is al eens verlengd; dat kan maar één keer."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden voor de verlenging.")})
    if timezone.localdate() > complaint.answer_due:
        raise ValidationError(_("De antwoordtermijn is al verstreken; verlengen kan alleen ervoor."))
    days = settings.BALIE_COMPLAINT_EXTENSION_DAYS
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.case = case_actions.extend_case(case=complaint.case, by=by, days=days, reason=reason)
    complaint.extension_days = days
    complaint.extension_reason = reason.strip()[:300]
    complaint.extended_on = timezone.localdate()
    complaint.answer_due = complaint.case.deadline
    complaint.answer_warned_on = None
    complaint.overdue_warned_on = None
    _tell_complainant(complaint, by=by, how=how, subject=subject, body=body, template=template)
    return _save(complaint, before, by=by, reason=reason)


@_atomic_leaving_no_files
def answer_complaint(
    *,
    complaint: Complaint,
    by: User,
    outcome: str,
    answer_text: str,
    improvement_action: str = "",
    how: str,
    subject: str = "",
    body: str = "",
    template: LetterTemplate | None = None,
) -> Complaint:
    """The reasoned answer with the outcome (and the improvement action when founded), sent as
    reviewed; it names the ombudsman when the reglement says so."""
    _require_coordinator(by)
    complaint = _lock(complaint)
    _require_coordinator(by, complaint)
    check_step(complaint, "answer")
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Kies het oordeel.")
    if not answer_text.strip():
        errors["answer_text"] = _("Schrijf het antwoord (de motivering).")
    if outcome in (Outcome.FOUNDED, Outcome.PARTLY_FOUNDED) and not improvement_action.strip():
        errors["improvement_action"] = _("Een (deels) gegronde klacht krijgt een verbeteractie.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.outcome = outcome
    complaint.answer_text = answer_text.strip()
    complaint.improvement_action = improvement_action.strip()
    complaint.ombudsman_mentioned = bool(settings.BALIE_COMPLAINT_MENTION_OMBUDSMAN)
    complaint.answer_letter = _tell_complainant(
        complaint, by=by, how=how, subject=subject, body=body, template=template
    )
    complaint.answered_on = timezone.localdate()
    complaint.state = ComplaintState.ANSWERED
    _move_case(complaint, by=by, reason=str(Outcome(outcome).label))
    return _save(complaint, before, by=by)


@transaction.atomic
def close_complaint(*, complaint: Complaint, by: User) -> Complaint:
    _require_coordinator(by)
    complaint = _lock(complaint)
    _require_coordinator(by, complaint)
    check_step(complaint, "close")
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.state = ComplaintState.CLOSED
    _close_case(complaint, result=complaint.outcome, by=by, note=complaint.improvement_action)
    return _save(complaint, before, by=by)


# --- not a complaint: convert --------------------------------------------------------------


@transaction.atomic
def convert_complaint(
    *,
    complaint: Complaint,
    by: User,
    target: str,
    case_type: CaseType | None = None,
    note: str = "",
) -> Complaint:
    """Turn what is not a complaint into what it is, keeping both histories: a report (through the
    "report" intake handler), a contact moment (a question), or a case of another type; the new
    case is related to the complaint case, which closes as converted."""
    _require_coordinator(by)
    complaint = _lock(complaint)
    _require_coordinator(by, complaint)
    check_step(complaint, "convert")
    case = complaint.case
    party = initiator_of(case)
    before = snapshot(complaint, COMPLAINT_FIELDS)
    if target == ConversionTarget.REPORT:
        try:
            handler = intake_handlers.get("report")
        except KeyError:
            raise ValidationError(
                {"target": _("Meldingen kunnen (nog) niet in Balie geregistreerd worden.")}
            ) from None
        new = handler(
            Intake(
                kind="report",
                channel=complaint.channel,
                party=party,
                subject=case.subject,
                text=case.description,
                received_at=case.registered_at,
                by=by,
                source=f"complaint:{case.number}",
                converted_from=case,
            )
        )
        _relate(new, case, by=by)
        complaint.converted_to = new
    elif target == ConversionTarget.CASE:
        if case_type is None or case_type.code == settings.BALIE_COMPLAINT_CASE_TYPE:
            raise ValidationError({"case_type": _("Kies het zaaktype waarin de vraag behandeld wordt.")})
        new = case_actions.register_case(
            case_type=case_type,
            by=by,
            subject=case.subject,
            description=case.description,
            parties=[(party, RoleKind.INITIATOR)] if party else [],
            origin_ref=case.uuid,
        )
        _relate(new, case, by=by)
        complaint.converted_to = new
    elif target == ConversionTarget.CONTACT:
        register_contact_moment(
            by=by,
            channel=complaint.channel,
            summary=f"{case.subject}\n\n{case.description}"[:2000],
            party=party,
            registered_at=case.registered_at,
            case=case,
        )
    else:
        raise ValidationError({"target": _("Kies waarin de klacht omgezet wordt.")})
    complaint.state = ComplaintState.CONVERTED
    target_label = str(ConversionTarget(target).label)
    _close_case(complaint, result=ComplaintState.CONVERTED, by=by, note=note or target_label)
    return _save(complaint, before, by=by, reason=target_label)
