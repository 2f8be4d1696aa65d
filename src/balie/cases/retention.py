"""Retention: closed cases whose archive action date has passed, reviewed by the archivist.

1. A daily job (`list_cases_due_for_review`, scheduled in apps.py) puts every closed case whose
   archive action date has passed on the review list (a `RetentionReview`, `pending`); a case that
   was postponed comes back when its new date has passed; a case reopened since leaves the list.
2. The archivist decides, per case or for a selection (all or nothing): approve the destruction
   (nomination "destroy" only), postpone to a later date with a reason, or, for a case nominated
   "keep", keep it permanently or mark it for transfer to the archive.
3. Destruction is its own action after the approval (`destroy_cases`): the case and its dependent
   rows are deleted; higher apps let go of their rows first (`case_destruction_handlers`, e.g. the
   contact moments keep existing without their case link); a `DestroyedCase` keeps the minimal
   record (number, type, dates, result, who reviewed, who destroyed) and the change history an
   entry. The one who destroys may be the one who reviewed; both are recorded.

Every action checks the archivist's permission and the case's state again under a row lock, and
changes nothing when it refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from balie.accounts.models import User
from balie.accounts.permissions import can_review_retention
from balie.audit.actions import erase_recorded_values, record_change
from balie.audit.models import ChangeAction
from balie.core.events import DomainEvent, publish

from .models import (
    ArchivalNomination,
    Case,
    CaseEvent,
    CaseStatus,
    DestroyedCase,
    EventKind,
    RetentionDecision,
    RetentionReview,
)
from .registries import case_destruction_handlers

MAX_POSTPONE_YEARS = 100
OPEN_DECISIONS = (RetentionDecision.PENDING, RetentionDecision.DESTROY)


# --- the daily job ---------------------------------------------------------------------------


def list_cases_due_for_review(*, today: dt.date | None = None) -> dict[str, int]:
    """Bring the review list up to date; returns how many cases were listed, relisted and dropped."""
    today = today or timezone.localdate()
    now = timezone.now()
    # One INSERT … SELECT over the partial index on the archive action date; a case listed by
    # another run meanwhile is skipped (the review is unique per case).
    reviews, cases = RetentionReview._meta.db_table, Case._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {reviews} (case_id, listed_at, due_on, decision, reason)
            SELECT c.id, %s, c.archive_action_date, %s, ''
            FROM {cases} c
            WHERE c.closed_at IS NOT NULL AND c.archive_action_date IS NOT NULL
                AND c.archive_action_date <= %s
                AND NOT EXISTS (SELECT 1 FROM {reviews} r WHERE r.case_id = c.id)
            ON CONFLICT (case_id) DO NOTHING
            """,
            [
                connection.ops.adapt_datetimefield_value(now),
                RetentionDecision.PENDING.value,
                connection.ops.adapt_datefield_value(today),
            ],
        )
        listed = max(0, cursor.rowcount)

    relisted = 0
    postponed = RetentionReview.objects.filter(
        decision=RetentionDecision.POSTPONED,
        case__closed_at__isnull=False,
        case__archive_action_date__lte=today,
    ).values_list("pk", "case__archive_action_date")
    for pk, new_date in list(postponed):
        relisted += RetentionReview.objects.filter(pk=pk, decision=RetentionDecision.POSTPONED).update(
            decision=RetentionDecision.PENDING,
            listed_at=now,
            due_on=new_date,
            reviewed_by=None,
            reviewed_at=None,
            reason="",
        )

    # Reopened (no archive action date any more) or given a later date by hand: off the list.
    dropped, _per_model = RetentionReview.objects.filter(
        Q(case__closed_at__isnull=True)
        | Q(case__archive_action_date__isnull=True)
        | Q(case__archive_action_date__gt=today),
        decision__in=OPEN_DECISIONS,
    ).delete()
    return {"listed": listed, "relisted": relisted, "dropped": dropped}


@task()
def review_retention_due() -> dict[str, int]:
    return list_cases_due_for_review()


# --- reads for the archivist -----------------------------------------------------------------


def retention_reviews_for(
    user: Any, *, decisions: Sequence[str] = (RetentionDecision.PENDING,), case_type_id: int | None = None
) -> QuerySet[RetentionReview]:
    """The review list (by archive action date), for the archivist only."""
    if not can_review_retention(user):
        return RetentionReview.objects.none()
    rows = RetentionReview.objects.filter(decision__in=list(decisions))
    if case_type_id:
        rows = rows.filter(case__case_type_id=case_type_id)
    return rows.select_related(
        "case__case_type", "case__department", "case__result_type", "reviewed_by"
    ).order_by("due_on", "id")


def destroyed_cases_for(user: Any, *, case_type_code: str = "") -> QuerySet[DestroyedCase]:
    if not can_review_retention(user):
        return DestroyedCase.objects.none()
    rows = DestroyedCase.objects.all()
    if case_type_code:
        rows = rows.filter(case_type_code=case_type_code)
    return rows.order_by("-destroyed_at", "-id")


# --- decisions -------------------------------------------------------------------------------


def _require_archivist(by: User) -> None:
    if not can_review_retention(by):
        raise ValidationError(_("Alleen de archivaris beoordeelt zaken voor vernietiging."))


def _lock(reviews: Iterable[RetentionReview]) -> list[RetentionReview]:
    """The reviews and their cases, locked (cases first, in id order: no deadlocks); refuses when
    one of them is no longer there (destroyed or taken off the list meanwhile)."""
    wanted = {review.pk for review in reviews}
    if not wanted:
        raise ValidationError(_("Kies minstens één zaak."))
    case_ids = list(
        RetentionReview.objects.filter(pk__in=wanted).order_by("case_id").values_list("case_id", flat=True)
    )
    list(Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk").values_list("pk"))
    # Lock without joins, then read with them: a locking query that joins would, after waiting,
    # recheck a changed row against the old joined rows (see actions._lock).
    present = list(
        RetentionReview.objects.select_for_update().filter(pk__in=wanted).order_by("pk").values_list("pk")
    )
    locked = list(
        RetentionReview.objects.filter(pk__in=[pk for (pk,) in present])
        .select_related(
            "case__case_type", "case__department", "case__result_type", "case__status_type", "reviewed_by"
        )
        .order_by("due_on", "id")
    )
    if len(locked) != len(wanted):
        raise ValidationError(
            _("Een of meer zaken staan niet meer op de lijst (intussen vernietigd of beoordeeld).")
        )
    return locked


def _check_due(review: RetentionReview, today: dt.date) -> Case:
    case = review.case
    if case.closed_at is None or case.archive_action_date is None:
        raise ValidationError(_("Zaak %(number)s is niet (meer) afgesloten.") % {"number": case.number})
    if case.archive_action_date > today:
        raise ValidationError(
            _("De archiefactiedatum van zaak %(number)s (%(date)s) is nog niet bereikt.")
            % {"number": case.number, "date": case.archive_action_date.strftime("%d/%m/%Y")}
        )
    return case


def _check_open(review: RetentionReview) -> None:
    if review.decision not in OPEN_DECISIONS:
        raise ValidationError(
            _("Over zaak %(number)s is al beslist (%(decision)s).")
            % {"number": review.case.number, "decision": review.get_decision_display()}
        )


def _decide(
    review: RetentionReview, *, decision: str, by: User, reason: str, text: str, at: dt.datetime
) -> None:
    before = review.decision
    review.decision = decision
    review.reviewed_by = by
    review.reviewed_at = at
    review.reason = reason
    review.save(update_fields=["decision", "reviewed_by", "reviewed_at", "reason"])
    case = review.case
    record_change(
        instance=case,
        action=ChangeAction.UPDATE,
        changes={"retention": [before, decision]},
        by=by,
        reason=reason,
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.RETENTION,
        at=at,
        by=by,
        text=(f"{text}: {reason}" if reason else text)[:500],
        data={"decision": decision},
    )


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationError({"reason": _("Geef een reden.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Een reden is hoogstens 500 tekens lang.")})
    try:
        RetentionReview._meta.get_field("reason").run_validators(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from error
    return reason


@transaction.atomic
def approve_destruction(*, reviews: Iterable[RetentionReview], by: User, reason: str = "") -> int:
    """Approve the destruction of due cases nominated "destroy" (all or nothing)."""
    _require_archivist(by)
    reason = _clean_reason(reason, required=False)
    today, now = timezone.localdate(), timezone.now()
    locked = _lock(reviews)
    for review in locked:
        _check_open(review)
        case = _check_due(review, today)
        if case.archival_nomination != ArchivalNomination.DESTROY:
            raise ValidationError(
                _("Zaak %(number)s moet blijvend bewaard worden; ze kan niet vernietigd worden.")
                % {"number": case.number}
            )
    for review in locked:
        _decide(
            review,
            decision=RetentionDecision.DESTROY,
            by=by,
            reason=reason,
            text=_("Vernietiging goedgekeurd"),
            at=now,
        )
    return len(locked)


@transaction.atomic
def postpone_retention(
    *, reviews: Iterable[RetentionReview], by: User, until: dt.date | None, reason: str
) -> int:
    """Give the cases a later archive action date, with a reason; they come back on the list then."""
    _require_archivist(by)
    today, now = timezone.localdate(), timezone.now()
    errors: dict[str, str] = {}
    if until is None or until <= today:
        errors["until"] = _("Kies een datum na vandaag.")
    elif until.year > today.year + MAX_POSTPONE_YEARS:
        errors["until"] = _("Stel hoogstens %(years)d jaar uit.") % {"years": MAX_POSTPONE_YEARS}
    try:
        reason = _clean_reason(reason, required=True)
    except ValidationError as error:
        errors.update({key: messages[0] for key, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    assert until is not None
    locked = _lock(reviews)
    for review in locked:
        _check_open(review)
        _check_due(review, today)
    for review in locked:
        case = review.case
        old = case.archive_action_date
        case.archive_action_date = until
        case.save(update_fields=["archive_action_date", "updated_at"])
        record_change(
            instance=case,
            action=ChangeAction.UPDATE,
            changes={"archive_action_date": [str(old), str(until)]},
            by=by,
            reason=reason,
        )
        _decide(
            review,
            decision=RetentionDecision.POSTPONED,
            by=by,
            reason=reason,
            text=_("Uitgesteld tot %(date)s") % {"date": until.strftime("%d/%m/%Y")},
            at=now,
        )
    return len(locked)


@transaction.atomic
def keep_permanently(
    *, reviews: Iterable[RetentionReview], by: User, transfer: bool = False, reason: str = ""
) -> int:
    """Cases nominated "keep": kept permanently, or marked for transfer to the archive. Final."""
    _require_archivist(by)
    reason = _clean_reason(reason, required=False)
    today, now = timezone.localdate(), timezone.now()
    locked = _lock(reviews)
    for review in locked:
        _check_open(review)
        case = _check_due(review, today)
        if case.archival_nomination != ArchivalNomination.KEEP:
            raise ValidationError(
                _("Zaak %(number)s is voor vernietiging genomineerd, niet om te bewaren.")
                % {"number": case.number}
            )
    decision = RetentionDecision.TRANSFER if transfer else RetentionDecision.KEEP
    text = _("Over te brengen naar het archief") if transfer else _("Blijvend bewaren")
    for review in locked:
        _decide(review, decision=decision, by=by, reason=reason, text=text, at=now)
    return len(locked)


# --- destruction -----------------------------------------------------------------------------


@transaction.atomic
def destroy_cases(*, reviews: Iterable[RetentionReview], by: User) -> list[DestroyedCase]:
    """Destroy cases whose destruction was approved (all or nothing); keeps a minimal record."""
    _require_archivist(by)
    today, now = timezone.localdate(), timezone.now()
    locked = _lock(reviews)
    for review in locked:
        if review.decision != RetentionDecision.DESTROY or review.reviewed_by_id is None:
            raise ValidationError(
                _("De vernietiging van zaak %(number)s is niet goedgekeurd.") % {"number": review.case.number}
            )
        case = _check_due(review, today)
        if case.archival_nomination != ArchivalNomination.DESTROY:
            raise ValidationError(
                _("Zaak %(number)s moet blijvend bewaard worden; ze kan niet vernietigd worden.")
                % {"number": case.number}
            )
    return [_destroy(review, by=by, at=now) for review in locked]


def _destroy(review: RetentionReview, *, by: User, at: dt.datetime) -> DestroyedCase:
    case = review.case
    reviewer = review.reviewed_by
    assert reviewer is not None and case.closed_at is not None and case.archive_action_date is not None
    for _name, handler in case_destruction_handlers:
        handler(case, by)
    for sub in Case.objects.select_for_update().filter(parent=case).order_by("pk"):
        record_change(
            instance=sub,
            action=ChangeAction.UPDATE,
            changes={"parent": [case.number, None]},
            by=by,
            reason=_("Hoofdzaak vernietigd na archiefbeoordeling."),
        )
        Case.objects.filter(pk=sub.pk).update(parent=None, updated_at=at)
    record = DestroyedCase.objects.create(
        number=case.number,
        case_uuid=case.uuid,
        case_type_name=case.case_type.name,
        case_type_code=case.case_type.code,
        registered_at=case.registered_at,
        closed_at=case.closed_at,
        result=case.result_type.name if case.result_type else "",
        archive_action_date=case.archive_action_date,
        reviewed_by=reviewer.audit_label(),
        reviewed_at=review.reviewed_at,
        destroyed_by=by.audit_label(),
        destroyed_at=at,
    )
    erase_recorded_values(object_uuid=case.uuid)  # the subject, attributes … go with the case
    record_change(
        instance=case,
        action=ChangeAction.DELETE,
        changes={
            "number": [case.number, None],
            "case_type": [case.case_type.code, None],
            "archive_action_date": [str(case.archive_action_date), None],
        },
        by=by,
        reason=_("Vernietigd na archiefbeoordeling door %(reviewer)s.")
        % {"reviewer": reviewer.audit_label()},
    )
    publish(
        DomainEvent(
            type="be.balie.case.destroyed",
            subject=str(case.uuid),
            department=case.department.code,
            data={
                "case": str(case.uuid),
                "number": case.number,
                "case_type": case.case_type.code,
                "status": case.status_type.name,
                "closed": True,
                "destroyed_at": at.isoformat(),
            },
        )
    )
    CaseStatus.objects.filter(case=case).delete()  # the append-only history goes with its case
    try:
        case.delete()  # roles, tasks, notes, relations, events and this review cascade
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _("Zaak %(number)s kan niet vernietigd worden: er verwijzen nog gegevens naar (%(what)s).")
            % {
                "number": case.number,
                "what": ", ".join(sorted({str(o._meta.verbose_name) for o in error.args[1]})),
            }
        ) from error
    return record
