"""Every change to a case: one transaction each, audited, events published in the transaction.

Actions that change a running case lock its row first (`_lock`), so concurrent changes queue
behind each other and the status history stays complete and ordered. They return the locked,
up-to-date case; callers use that object from then on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, Role, Team, User
from balie.accounts.permissions import (
    can_assign_cases,
    can_change_deadline,
    can_handle_cases,
    can_reopen_case,
)
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.core.calendar import WorkingDayCalendar
from balie.core.events import DomainEvent, publish
from balie.core.numbering import next_number
from balie.core.outbox import write_message
from balie.documents.actions import (
    StoredFile,
    check_file,
    check_new_document,
    create_document,
    create_version,
    destroy_documents,
    discard_new_files_on_failure,
    write_file,
)
from balie.documents.models import Document, DocumentVersion
from balie.parties.actions import current_address
from balie.parties.models import Party

from .attributes import clean_attributes
from .deadlines import add_days, days_between
from .models import (
    AssignmentRule,
    Case,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseRelation,
    CaseRole,
    CaseStatus,
    CaseTask,
    CaseType,
    CaseTypeVersion,
    DocumentType,
    EventKind,
    Origin,
    ResultType,
    RetentionStart,
    RoleKind,
    StatusType,
    VersionState,
)
from .workflow import check_transition, end_status, first_status

CASE_REGISTER = "C"
CUSTOMER_MAIL_SENDER = "cases.customer_mail"
CASE_FIELDS = [
    "number",
    "case_type",
    "subject",
    "description",
    "origin",
    "confidential",
    "attributes",
    "department",
    "team",
    "handler",
    "deadline",
]
ASSIGNMENT_FIELDS = ["department", "team", "handler"]


def format_case_number(year: int, number: int) -> str:
    return f"{CASE_REGISTER}{year}-{number:06d}"


def _require_handler(by: User) -> None:
    if not can_handle_cases(by):
        raise ValidationError(_("Alleen een medewerker van de gemeente kan zaken behandelen."))


def _lock(case: Case) -> Case:
    """Lock the case row, then read it fresh with what the actions need.

    Two queries on purpose: a locking query that joins the status type would, after waiting for
    a concurrent status change, recheck the changed row against the old status type's row and
    find nothing (PostgreSQL's READ COMMITTED recheck), so the waiter got DoesNotExist."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
    return Case.objects.select_related("status_type", "version", "department", "case_type").get(pk=case.pk)


def _event(
    case: Case, kind: str, *, by: User | None, text: str = "", data: Mapping[str, Any] | None = None
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, kind=kind, at=timezone.now(), by=by, text=text[:500], data=dict(data or {})
    )
    publish(
        DomainEvent(
            type=f"be.balie.case.{kind}",
            subject=str(case.uuid),
            department=case.department.code if case.department_id else "",
            data={
                "case": str(case.uuid),
                "number": case.number,
                "case_type": case.case_type.code,
                "status": case.status_type.name,
                "closed": case.closed_at is not None,
                **dict(data or {}),
            },
        )
    )
    return event


def published_version(case_type: CaseType) -> CaseTypeVersion:
    version = case_type.versions.filter(state=VersionState.PUBLISHED).first()
    if version is None or not case_type.active:
        raise ValidationError({"case_type": _("Dit zaaktype is (nog) niet in gebruik.")})
    return version


def _create_tasks_for(case: Case, status_type: StatusType) -> None:
    CaseTask.objects.bulk_create(
        CaseTask(
            case=case,
            item_type=item,
            status_type=status_type,
            description=item.description,
            required=item.required,
        )
        for item in status_type.checklist.all()
    )


def _append_status(
    case: Case, status_type: StatusType, *, by: User, reason: str, at: dt.datetime, first: bool = False
) -> CaseStatus:
    """Append to the history and move the case's current-status copy, in the caller's lock."""
    sequence = 1 if first else case.status_count + 1
    row = CaseStatus.objects.create(
        case=case, sequence=sequence, status_type=status_type, set_at=at, set_by=by, reason=reason.strip()
    )
    case.status_type = status_type
    case.status_set_at = at
    case.status_count = sequence
    if status_type.informs_customer:
        # Through the outbox: delivered after commit, retried while the mail server is down.
        write_message(
            sender=CUSTOMER_MAIL_SENDER, destination=f"case:{case.number}", payload={"case_status_id": row.pk}
        )
    return row


# --- register --------------------------------------------------------------------------------


def _check_roles(version: CaseTypeVersion, parties: Sequence[tuple[Party, str]]) -> None:
    allowed = set(version.role_types.values_list("kind", flat=True))
    errors: list[str] = []
    for party, kind in parties:
        if kind not in RoleKind.values:
            errors.append(_("Onbekende rol '%(kind)s'.") % {"kind": kind})
        elif allowed and kind not in allowed:
            errors.append(_("Dit zaaktype kent geen rol '%(kind)s'.") % {"kind": RoleKind(kind).label})
        if party.merged_into_id is not None:
            errors.append(_("%(name)s is samengevoegd; kies de overblijvende klant.") % {"name": party})
    if errors:
        raise ValidationError({"parties": errors})


def _pick_handler(version: CaseTypeVersion, department: Department, team: Team | None) -> User | None:
    """Round-robin: each case of the type goes to the next eligible handler in turn (a counter
    per case type from core.numbering, so concurrent registrations never pick the same turn).
    Least loaded: the one with the fewest open cases. Eligible: active case handlers of the unit."""
    if version.assignment_rule == AssignmentRule.QUEUE:
        return None
    handlers = User.objects.filter(
        is_active=True, kind="employee", role_assignments__role=Role.CASE_HANDLER, department=department
    )
    if team is not None:
        handlers = handlers.filter(team=team)
    if version.assignment_rule == AssignmentRule.ROUND_ROBIN:
        eligible = list(handlers.order_by("id"))
        if not eligible:
            return None
        turn = next_number(register=f"rr-{version.case_type_id}", year=0)
        return eligible[(turn - 1) % len(eligible)]
    loaded = handlers.annotate(
        open_cases=Count("handled_cases", filter=Q(handled_cases__closed_at__isnull=True))
    ).order_by("open_cases", "id")
    return loaded.first()


@transaction.atomic
def register_case(
    *,
    case_type: CaseType,
    by: User,
    subject: str,
    origin: str = Origin.BACKOFFICE,
    description: str = "",
    origin_ref: Any = None,
    parties: Sequence[tuple[Party, str]] = (),
    attributes: Mapping[str, Any] | None = None,
    confidential: bool | None = None,
    team: Team | None = None,
    handler: User | None = None,
    parent: Case | None = None,
    registered_at: dt.datetime | None = None,
    department: Department | None = None,
) -> Case:
    """Register a case of the version of `case_type` in force, with its parties and attributes,
    its first status and tasks, a deadline from the lead time, and a handler by the type's rule.
    `department`: where a flow's own routing rules send it (a report's category and area);
    default the version's department."""
    _require_handler(by)
    version = published_version(case_type)
    if origin not in Origin.values:
        raise ValidationError({"origin": _("Onbekende herkomst.")})
    errors: dict[str, Any] = {}
    if not subject.strip():
        errors["subject"] = _("Geef de zaak een onderwerp.")
    try:
        cleaned = clean_attributes(version.attributes.all(), attributes or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        _check_roles(version, parties)
    except ValidationError as error:
        errors.update(error.message_dict)
    department = department or version.department
    if team is not None and team.department_id != department.pk:
        errors["team"] = _("Dit team hoort niet bij de dienst van het zaaktype.")
    if handler is not None and (not handler.is_active or handler.kind != "employee"):
        errors["handler"] = _("Kies een actieve medewerker.")
    if errors:
        raise ValidationError(errors)

    now = registered_at or timezone.now()
    today = timezone.localdate(now)
    status_type = first_status(version.pk)
    deadline = add_days(today, version.lead_time_days, version.lead_time_unit)
    if handler is None and team is None:
        team = version.assignment_team
    if handler is None:
        handler = _pick_handler(version, department, team)
    case = Case(
        number=format_case_number(today.year, next_number(register=CASE_REGISTER, year=today.year)),
        case_type=case_type,
        version=version,
        subject=subject.strip(),
        description=description.strip(),
        origin=origin,
        origin_ref=origin_ref,
        registered_at=now,
        registered_by=by,
        confidential=version.confidential if confidential is None else confidential,
        attributes=cleaned,
        parent=parent,
        department=department,
        team=team,
        handler=handler,
        assigned_at=now if handler else None,
        status_type=status_type,
        status_set_at=now,
        start_date=today,
        deadline=deadline,
        original_deadline=deadline,
    )
    case.full_clean(
        exclude=[
            "case_type",
            "version",
            "registered_by",
            "department",
            "team",
            "handler",
            "status_type",
            "parent",
        ],
        validate_unique=False,
    )
    case.save()
    _append_status(case, status_type, by=by, reason="", at=now, first=True)
    _create_tasks_for(case, status_type)
    for party, kind in parties:
        address = current_address(party)
        CaseRole.objects.get_or_create(
            case=case,
            party=party,
            kind=kind,
            defaults={"address_snapshot": address.as_snapshot() if address else None},
        )
    record_creation(instance=case, fields=CASE_FIELDS, by=by)
    _event(case, EventKind.REGISTERED, by=by, text=case.subject, data={"origin": origin})
    return case


# --- status ----------------------------------------------------------------------------------


@transaction.atomic
def set_status(*, case: Case, status_type: StatusType, by: User, reason: str = "") -> Case:
    """Move the case to `status_type` if its case type allows it from the current status."""
    _require_handler(by)
    case = _lock(case)
    check_transition(case, status_type)
    previous = case.status_type
    _append_status(case, status_type, by=by, reason=reason, at=timezone.now())
    case.save(update_fields=["status_type", "status_set_at", "status_count", "updated_at"])
    _create_tasks_for(case, status_type)
    _event(
        case,
        EventKind.STATUS,
        by=by,
        text=reason,
        data={"from": previous.name, "to": status_type.name},
    )
    return case


def _archive_action_date(case: Case, result: ResultType, closed_on: dt.date) -> dt.date:
    start = closed_on
    if result.retention_start == RetentionStart.ATTRIBUTE and result.retention_attribute:
        value = (case.attributes or {}).get(result.retention_attribute)
        if value:
            start = dt.date.fromisoformat(value)
    try:
        return start.replace(year=start.year + result.retention_years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + result.retention_years, day=28)


@transaction.atomic
def close_case(
    *, case: Case, result_type: ResultType | None, by: User, note: str = "", reason: str = ""
) -> Case:
    """Close with a result: the end status is appended and the archive action date is set."""
    _require_handler(by)
    case = _lock(case)
    if result_type is None:
        raise ValidationError({"result_type": _("Kies een resultaat om de zaak af te sluiten.")})
    if result_type.version_id != case.version_id:
        raise ValidationError({"result_type": _("Dit resultaat hoort niet bij het zaaktype van de zaak.")})
    end = end_status(case.version_id)
    check_transition(case, end, closing=True)
    now = timezone.now()
    before = snapshot(case, ["result_type", "result_note", "closed_at", "archive_action_date"])
    _append_status(case, end, by=by, reason=reason, at=now)
    if case.suspended_since is not None:
        _resume(case, on=timezone.localdate(now))
    case.result_type = result_type
    case.result_note = note.strip()
    case.closed_at = now
    case.archival_nomination = result_type.archival_nomination
    case.archive_action_date = _archive_action_date(case, result_type, timezone.localdate(now))
    case.full_clean(
        exclude=[
            "case_type",
            "version",
            "registered_by",
            "department",
            "team",
            "handler",
            "status_type",
            "parent",
            "result_type",
        ],
        validate_unique=False,
    )
    case.save()
    record_change(
        instance=case,
        action=ChangeAction.UPDATE,
        changes=diff(
            before, snapshot(case, ["result_type", "result_note", "closed_at", "archive_action_date"])
        ),
        by=by,
        reason=reason,
    )
    _event(case, EventKind.CLOSED, by=by, text=result_type.name, data={"result": result_type.name})
    return case


@transaction.atomic
def reopen_case(*, case: Case, by: User, reason: str) -> Case:
    """Reopen a closed case: back to the status before the end, result and archive date cleared."""
    if not can_reopen_case(by):
        raise ValidationError(_("Je hebt geen toestemming om zaken te heropenen."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden om de zaak te heropenen.")})
    case = _lock(case)
    if case.closed_at is None:
        raise ValidationError(_("Deze zaak is niet afgesloten."))
    back_to = (
        CaseStatus.objects.filter(case=case)
        .exclude(status_type=case.status_type)
        .order_by("-sequence")
        .select_related("status_type")
        .first()
    )
    assert back_to is not None, "a closed case has a status before its end status"
    before = snapshot(case, ["result_type", "closed_at", "archive_action_date"])
    _append_status(case, back_to.status_type, by=by, reason=reason, at=timezone.now())
    case.result_type = None
    case.result_note = ""
    case.closed_at = None
    case.archival_nomination = ""
    case.archive_action_date = None
    case.save()
    record_change(
        instance=case,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(case, ["result_type", "closed_at", "archive_action_date"])),
        by=by,
        reason=reason,
    )
    _event(case, EventKind.REOPENED, by=by, text=reason, data={"status": back_to.status_type.name})
    return case


# --- assignment ------------------------------------------------------------------------------


def _assign(
    case: Case, *, by: User, department: Department | None, team: Team | None, handler: User | None
) -> bool:
    department = department or case.department
    errors: dict[str, str] = {}
    if team is not None and team.department_id != department.pk:
        errors["team"] = _("Dit team hoort niet bij de gekozen dienst.")
    if handler is not None and (not handler.is_active or handler.kind != "employee"):
        errors["handler"] = _("Kies een actieve medewerker.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(case, ASSIGNMENT_FIELDS)
    case.department = department
    case.team = team
    case.handler = handler
    changes = diff(before, snapshot(case, ASSIGNMENT_FIELDS))
    if not changes:
        return False
    case.assigned_at = timezone.now() if handler else None
    case.save(update_fields=["department", "team", "handler", "assigned_at", "updated_at"])
    record_change(instance=case, action=ChangeAction.UPDATE, changes=changes, by=by)
    _event(
        case,
        EventKind.ASSIGNED,
        by=by,
        text=str(handler or team or department),
        data={"department": department.code, "handler": handler.username if handler else ""},
    )
    return True


def _may_assign(by: User, case: Case, handler: User | None, department: Department | None) -> None:
    """Everyone who works cases may take an unassigned case of their own department, or give
    back their own; a team lead or functional administrator reassigns anything."""
    if can_assign_cases(by):
        return
    own_department = case.department_id == by.department_id and (
        department is None or department.pk == by.department_id
    )
    taking = handler is not None and handler.pk == by.pk and case.handler_id in (None, by.pk)
    giving_back = handler is None and case.handler_id == by.pk
    if not (own_department and (taking or giving_back)):
        raise ValidationError(_("Je mag deze zaak niet aan iemand anders toewijzen."))


@transaction.atomic
def assign_case(
    *,
    case: Case,
    by: User,
    handler: User | None,
    team: Team | None = None,
    department: Department | None = None,
) -> Case:
    _require_handler(by)
    case = _lock(case)
    if case.closed_at is not None:
        raise ValidationError(_("Deze zaak is afgesloten."))
    _may_assign(by, case, handler, department)
    _assign(case, by=by, department=department, team=team, handler=handler)
    return case


@transaction.atomic
def assign_cases(
    *,
    cases: Iterable[Case],
    by: User,
    handler: User | None,
    team: Team | None = None,
    department: Department | None = None,
) -> int:
    """Bulk reassign (a team lead's action): all or nothing; returns how many changed."""
    if not can_assign_cases(by):
        raise ValidationError(_("Alleen een teamverantwoordelijke kan zaken in bulk toewijzen."))
    changed = 0
    for case in sorted(cases, key=lambda c: c.pk):  # lock in a fixed order: no deadlocks
        locked = _lock(case)
        if locked.closed_at is not None:
            raise ValidationError(_("Zaak %(number)s is afgesloten.") % {"number": locked.number})
        changed += _assign(locked, by=by, department=department, team=team, handler=handler)
    return changed


# --- deadline --------------------------------------------------------------------------------


@transaction.atomic
def suspend_case(*, case: Case, by: User, reason: str) -> Case:
    """Waiting for the customer: the deadline clock stops until `resume_case`."""
    _require_handler(by)
    case = _lock(case)
    if not case.version.suspension_allowed:
        raise ValidationError(_("Dit zaaktype laat geen opschorting toe."))
    if case.closed_at is not None:
        raise ValidationError(_("Deze zaak is afgesloten."))
    if case.suspended_since is not None:
        raise ValidationError(_("Deze zaak is al opgeschort."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden voor de opschorting.")})
    limit = case.version.max_suspension_days
    if limit and case.suspended_days >= limit:
        raise ValidationError(
            _("De maximale opschorting van %(days)d dagen is al bereikt.") % {"days": limit}
        )
    case.suspended_since = timezone.localdate()
    case.suspension_reason = reason.strip()[:300]
    case.save(update_fields=["suspended_since", "suspension_reason", "updated_at"])
    record_change(
        instance=case,
        action=ChangeAction.UPDATE,
        changes={"suspended_since": [None, str(case.suspended_since)]},
        by=by,
        reason=reason,
    )
    _event(case, EventKind.SUSPENDED, by=by, text=reason)
    return case


def _resume(case: Case, *, on: dt.date) -> int:
    """Move the deadline by the days the case was suspended (in the type's unit, capped by the
    type's maximum); returns the days added."""
    assert case.suspended_since is not None
    calendar = WorkingDayCalendar()
    unit = case.version.lead_time_unit
    days = days_between(case.suspended_since, on, unit, calendar)
    limit = case.version.max_suspension_days
    if limit:
        days = max(0, min(days, limit - case.suspended_days))
    case.deadline = add_days(case.deadline, days, unit, calendar)
    case.suspended_days += days
    case.suspended_since = None
    case.suspension_reason = ""
    return days


@transaction.atomic
def resume_case(*, case: Case, by: User, on: dt.date | None = None) -> Case:
    """End the suspension: the deadline moves by exactly the (working) days it lasted."""
    _require_handler(by)
    case = _lock(case)
    if case.suspended_since is None:
        raise ValidationError(_("Deze zaak is niet opgeschort."))
    on = on or timezone.localdate()
    if on < case.suspended_since:
        raise ValidationError(_("De opschorting kan niet eindigen voor ze begon."))
    before = snapshot(case, ["deadline", "suspended_days"])
    days = _resume(case, on=on)
    case.save(
        update_fields=["deadline", "suspended_days", "suspended_since", "suspension_reason", "updated_at"]
    )
    record_change(
        instance=case,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(case, ["deadline", "suspended_days"])),
        by=by,
    )
    _event(case, EventKind.RESUMED, by=by, data={"days": days, "deadline": case.deadline.isoformat()})
    return case


@transaction.atomic
def extend_case(*, case: Case, by: User, days: int, reason: str) -> Case:
    """The one extension the case type allows, with a reason."""
    _require_handler(by)
    case = _lock(case)
    version = case.version
    if not version.extension_allowed:
        raise ValidationError(_("Dit zaaktype laat geen verlenging toe."))
    if case.closed_at is not None:
        raise ValidationError(_("Deze zaak is afgesloten."))
    if case.extended_days:
        raise ValidationError(_("Deze zaak is al eens verlengd; dat kan maar één keer."))
    errors: dict[str, str] = {}
    if days < 1 or (version.max_extension_days and days > version.max_extension_days):
        errors["days"] = _("Verleng met 1 tot %(max)d dagen.") % {"max": version.max_extension_days}
    if not reason.strip():
        errors["reason"] = _("Geef een reden voor de verlenging.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(case, ["deadline", "extended_days"])
    case.deadline = add_days(case.deadline, days, version.lead_time_unit)
    case.extended_days = days
    case.extension_reason = reason.strip()[:300]
    case.save(update_fields=["deadline", "extended_days", "extension_reason", "updated_at"])
    record_change(
        instance=case,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(case, ["deadline", "extended_days"])),
        by=by,
        reason=reason,
    )
    _event(
        case,
        EventKind.EXTENDED,
        by=by,
        text=reason,
        data={"days": days, "deadline": case.deadline.isoformat()},
    )
    return case


@transaction.atomic
def change_deadline(*, case: Case, by: User, deadline: dt.date, reason: str) -> Case:
    """Set the deadline by hand: a team lead's permission, always with a reason."""
    if not can_change_deadline(by):
        raise ValidationError(_("Je hebt geen toestemming om de termijn te wijzigen."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden voor de nieuwe termijn.")})
    case = _lock(case)
    if case.closed_at is not None:
        raise ValidationError(_("Deze zaak is afgesloten."))
    if deadline < case.start_date:
        raise ValidationError({"deadline": _("De termijn kan niet voor de start van de zaak liggen.")})
    before = snapshot(case, ["deadline"])
    case.deadline = deadline
    case.reminder_sent_on = None
    case.escalated_on = None
    case.save(update_fields=["deadline", "reminder_sent_on", "escalated_on", "updated_at"])
    record_change(
        instance=case,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(case, ["deadline"])),
        by=by,
        reason=reason,
    )
    _event(case, EventKind.DEADLINE, by=by, text=reason, data={"deadline": deadline.isoformat()})
    return case


# --- tasks, notes, parties, attributes, relations --------------------------------------------


@transaction.atomic
def complete_case_task(*, task: CaseTask, by: User) -> CaseTask:
    _require_handler(by)
    case = _lock(task.case)
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    if case.closed_at is not None:
        raise ValidationError(_("Deze zaak is afgesloten."))
    if task.done_at is not None:
        raise ValidationError(_("Deze taak is al afgewerkt."))
    task.done_at = timezone.now()
    task.done_by = by
    task.save(update_fields=["done_at", "done_by", "updated_at"])
    _event(case, EventKind.TASK_DONE, by=by, text=task.description)
    return task


@transaction.atomic
def reopen_case_task(*, task: CaseTask, by: User) -> CaseTask:
    _require_handler(by)
    case = _lock(task.case)
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    if case.closed_at is not None:
        raise ValidationError(_("Deze zaak is afgesloten."))
    if task.done_at is None:
        raise ValidationError(_("Deze taak is nog niet afgewerkt."))
    task.done_at = None
    task.done_by = None
    task.save(update_fields=["done_at", "done_by", "updated_at"])
    _event(case, EventKind.TASK_REOPENED, by=by, text=task.description)
    return task


@transaction.atomic
def add_case_note(*, case: Case, by: User, text: str) -> CaseNote:
    _require_handler(by)
    if not text.strip():
        raise ValidationError({"text": _("Een notitie kan niet leeg zijn.")})
    note = CaseNote(case=case, text=text.strip(), author=by)
    note.full_clean(exclude=["case", "author"], validate_unique=False)
    note.save()
    _event(case, EventKind.NOTE, by=by, text=note.text[:200])
    return note


@transaction.atomic
def add_case_party(*, case: Case, party: Party, kind: str, by: User) -> CaseRole:
    _require_handler(by)
    case = _lock(case)
    _check_roles(case.version, [(party, kind)])
    if CaseRole.objects.filter(case=case, party=party, kind=kind).exists():
        raise ValidationError({"party": _("Deze klant heeft die rol al in de zaak.")})
    address = current_address(party)
    role = CaseRole.objects.create(
        case=case, party=party, kind=kind, address_snapshot=address.as_snapshot() if address else None
    )
    _event(case, EventKind.PARTY, by=by, text=f"{RoleKind(kind).label}: {party.display_name}")
    return role


@transaction.atomic
def update_case_attributes(*, case: Case, by: User, values: Mapping[str, Any]) -> Case:
    """Change some attributes; every value is checked against its definition first."""
    _require_handler(by)
    case = _lock(case)
    if case.closed_at is not None:
        raise ValidationError(_("Deze zaak is afgesloten."))
    new = clean_attributes(case.version.attributes.all(), values, current=case.attributes, partial=True)
    changes = {
        key: [case.attributes.get(key), new.get(key)]
        for key in set(new) | set(case.attributes)
        if case.attributes.get(key) != new.get(key)
    }
    if not changes:
        return case
    case.attributes = new
    case.save(update_fields=["attributes", "updated_at"])
    record_change(instance=case, action=ChangeAction.UPDATE, changes={"attributes": [None, changes]}, by=by)
    _event(case, EventKind.ATTRIBUTES, by=by, data={"changed": sorted(changes)})
    return case


@transaction.atomic
def relate_cases(*, case: Case, other: Case, by: User) -> CaseRelation:
    _require_handler(by)
    if case.pk == other.pk:
        raise ValidationError(_("Een zaak kan niet aan zichzelf gekoppeld worden."))
    if CaseRelation.objects.filter(Q(case=case, other=other) | Q(case=other, other=case)).exists():
        raise ValidationError(_("Deze zaken zijn al gekoppeld."))
    relation = CaseRelation.objects.create(case=case, other=other, created_by=by)
    _event(case, EventKind.RELATED, by=by, text=other.number)
    _event(other, EventKind.RELATED, by=by, text=case.number)
    return relation


def move_cases_to_survivor(survivor: Party, duplicate: Party) -> int:
    """Merge handler: the duplicate's case roles move to the survivor (no duplicates)."""
    moved = 0
    for role in CaseRole.objects.filter(party=duplicate):
        if CaseRole.objects.filter(case_id=role.case_id, party=survivor, kind=role.kind).exists():
            role.delete()
        else:
            role.party = survivor
            role.save(update_fields=["party"])
            moved += 1
    return moved


# --- documents -------------------------------------------------------------------------------


def _check_document_type(case: Case, document_type: DocumentType | None) -> None:
    if document_type is not None and document_type.version_id != case.version_id:
        raise ValidationError(
            {"document_type": _("Dit documenttype hoort niet bij het zaaktype van de zaak.")}
        )


def _require_open(case: Case) -> None:
    if case.closed_at is not None:
        raise ValidationError(_("Deze zaak is afgesloten."))


def _document_event(case: Case, link: CaseDocument, version: int, *, by: User) -> None:
    document = link.document
    # The timeline is read by everyone who sees the case: a confidential document is not named.
    text = _("vertrouwelijk document") if document.confidential else document.title
    if version > 1:
        text = _("%(title)s (versie %(number)d)") % {"title": text, "number": version}
    _event(
        case,
        EventKind.DOCUMENT,
        by=by,
        text=text,
        data={
            "document": str(document.uuid),
            "version": version,
            "document_type": link.document_type.name if link.document_type else "",
        },
    )


def attach_document(
    *, case: Case, by: User, file: Any, title: str, document_type: DocumentType | None = None
) -> CaseDocument:
    """Store `file` as a new document of the case, filed under one of the case type's document
    types. It belongs to the case's department, and is confidential when the case or the
    document type is. The file is checked and written before the case is locked; if anything
    after that refuses, it is deleted again."""
    _require_handler(by)
    errors: dict[str, list[str]] = {}
    try:
        _check_document_type(case, document_type)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        title, mime_type = check_new_document(file=file, title=title)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _require_open(case)
    with discard_new_files_on_failure():
        stored = write_file(file, mime_type=mime_type)
        return _link_document(case=case, by=by, stored=stored, title=title, document_type=document_type)


@transaction.atomic
def _link_document(
    *, case: Case, by: User, stored: StoredFile, title: str, document_type: DocumentType | None
) -> CaseDocument:
    case = _lock(case)
    _require_open(case)
    document = create_document(
        stored=stored,
        title=title,
        by=by,
        confidential=case.confidential or bool(document_type and document_type.confidential),
        department=case.department,
    )
    link = CaseDocument.objects.create(
        case=case, document=document, document_type=document_type, added_by=by, added_at=timezone.now()
    )
    _document_event(case, link, 1, by=by)
    return link


def add_document_version(*, case: Case, document: Document, file: Any, by: User) -> DocumentVersion:
    """A new version of one of the case's documents (e.g. a letter edited in Word)."""
    _require_handler(by)
    if not CaseDocument.objects.filter(case=case, document=document).exists():
        raise ValidationError(_("Dit document hoort niet bij deze zaak."))
    _require_open(case)
    mime_type = check_file(file)
    with discard_new_files_on_failure():
        stored = write_file(file, mime_type=mime_type)
        return _add_document_version(case=case, document=document, stored=stored, by=by)


@transaction.atomic
def _add_document_version(*, case: Case, document: Document, stored: StoredFile, by: User) -> DocumentVersion:
    case = _lock(case)
    _require_open(case)
    link = CaseDocument.objects.select_related("document", "document_type").get(case=case, document=document)
    version = create_version(document=link.document, stored=stored, by=by)
    _document_event(case, link, version.number, by=by)
    return version


def release_case_documents(case: Case, by: User) -> int:
    """Case destruction handler: the case's documents are destroyed with it, unless another case
    still holds them (then only the link goes)."""
    ids = set(CaseDocument.objects.filter(case=case).values_list("document_id", flat=True))
    if not ids:
        return 0
    shared = set(
        CaseDocument.objects.filter(document_id__in=ids)
        .exclude(case=case)
        .values_list("document_id", flat=True)
    )
    CaseDocument.objects.filter(case=case).delete()
    return destroy_documents(
        documents=Document.objects.filter(pk__in=ids - shared),
        by=by,
        reason=_("Zaak %(number)s vernietigd na archiefbeoordeling.") % {"number": case.number},
    )
