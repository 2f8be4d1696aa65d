"""Retention: the daily review list, the archivist's decisions and the destruction of a case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.audit.models import ChangeAction, ChangeRecord
from balie.cases import retention
from balie.cases.actions import (
    add_case_note,
    close_case,
    complete_case_task,
    register_case,
    relate_cases,
    reopen_case,
    set_status,
)
from balie.cases.models import (
    Case,
    CaseEvent,
    CaseNote,
    CaseRelation,
    CaseRole,
    CaseStatus,
    CaseTask,
    DestroyedCase,
    EventKind,
    RetentionDecision,
    RetentionReview,
    StatusType,
)
from balie.cases.retention import (
    approve_destruction,
    destroy_cases,
    keep_permanently,
    list_cases_due_for_review,
    postpone_retention,
)

TODAY = dt.date(2026, 11, 29)


def _archivist(department, username="archief", first_name="Greet"):
    return create_employee(
        username=username,
        first_name=first_name,
        last_name="Hermans",
        email=f"{username}@zonnedaal.be",
        password="Balie-demo-2026",
        department=department,
        roles=[Role.ARCHIVIST],
        by=None,
    )


@pytest.fixture
def archivist(burgerzaken):
    return _archivist(burgerzaken)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The review list compares with today's date: fix it."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else TODAY

    monkeypatch.setattr("balie.cases.retention.timezone.localdate", localdate)


def _closed(permit_type, handler, *, result="Geweigerd", due=dt.date(2026, 11, 1), party=None):
    """A closed case whose archive action date is `due` (None: the date close_case set)."""
    case = register_case(
        case_type=permit_type,
        by=handler,
        subject="Verbouwing keuken",
        attributes={"soort": "verbouwen"},
        parties=[(party, "initiator")] if party else [],
    )
    complete_case_task(task=case.tasks.get(), by=handler)
    in_treatment = StatusType.objects.get(version=case.version, name="In behandeling")
    case = set_status(case=case, status_type=in_treatment, by=handler)
    case = close_case(case=case, result_type=case.version.result_types.get(name=result), by=handler)
    if due is not None:
        Case.objects.filter(pk=case.pk).update(archive_action_date=due)
        case.refresh_from_db()
    return case


def _review(case):
    return RetentionReview.objects.select_related("case").get(case=case)


def _unchanged(case, review_before):
    """The case, its history and its review are as they were."""
    review = _review(case)
    assert (review.decision, review.reviewed_by_id, review.reason) == (
        review_before.decision,
        review_before.reviewed_by_id,
        review_before.reason,
    )
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.RETENTION).exists()
    assert Case.objects.filter(pk=case.pk).exists()
    assert not DestroyedCase.objects.exists()


# --- the daily list --------------------------------------------------------------------------


def test_the_daily_job_lists_closed_cases_whose_date_has_passed(permit_type, handler):
    due = _closed(permit_type, handler, due=dt.date(2026, 11, 1))
    due_today = _closed(permit_type, handler, due=TODAY)
    _closed(permit_type, handler, due=dt.date(2026, 12, 1))  # not yet
    register_case(case_type=permit_type, by=handler, subject="Open", attributes={"soort": "bouwen"})

    result = list_cases_due_for_review()

    assert result == {"listed": 2, "relisted": 0, "dropped": 0}
    reviews = list(RetentionReview.objects.order_by("due_on"))
    assert [(r.case_id, r.due_on, r.decision) for r in reviews] == [
        (due.pk, dt.date(2026, 11, 1), RetentionDecision.PENDING),
        (due_today.pk, TODAY, RetentionDecision.PENDING),
    ]
    # a second run lists nothing twice
    assert list_cases_due_for_review() == {"listed": 0, "relisted": 0, "dropped": 0}
    assert RetentionReview.objects.count() == 2


def test_the_job_is_scheduled_daily():
    from balie.core.schedule import DailyAt, schedule

    job = schedule.get("cases.review_retention_due")
    assert job.when == DailyAt(dt.time(5, 30))
    assert job.task is retention.review_retention_due


def test_a_reopened_case_leaves_the_list(permit_type, handler, team_lead):
    case = _closed(permit_type, handler)
    list_cases_due_for_review()
    reopen_case(case=case, by=team_lead, reason="nieuwe stukken")

    assert list_cases_due_for_review() == {"listed": 0, "relisted": 0, "dropped": 1}
    assert not RetentionReview.objects.exists()


def test_a_postponed_case_comes_back_when_its_new_date_has_passed(permit_type, handler, archivist):
    case = _closed(permit_type, handler)
    list_cases_due_for_review()

    postpone_retention(
        reviews=[_review(case)], by=archivist, until=dt.date(2027, 6, 1), reason="lopende procedure"
    )

    case.refresh_from_db()
    assert case.archive_action_date == dt.date(2027, 6, 1)
    review = _review(case)
    assert review.decision == RetentionDecision.POSTPONED and review.reason == "lopende procedure"
    assert ChangeRecord.objects.filter(
        object_uuid=case.uuid, changes__archive_action_date=["2026-11-01", "2027-06-01"]
    ).exists()
    assert list_cases_due_for_review(today=dt.date(2027, 5, 31))["relisted"] == 0
    assert list_cases_due_for_review(today=dt.date(2027, 6, 1))["relisted"] == 1
    review = _review(case)
    assert (review.decision, review.due_on, review.reviewed_by_id) == (
        RetentionDecision.PENDING,
        dt.date(2027, 6, 1),
        None,
    )


def test_postponing_needs_a_later_date_and_a_reason(permit_type, handler, archivist):
    case = _closed(permit_type, handler)
    list_cases_due_for_review()
    before = _review(case)

    with pytest.raises(ValidationError) as error:
        postpone_retention(reviews=[before], by=archivist, until=TODAY, reason=" ")

    assert set(error.value.message_dict) == {"until", "reason"}
    _unchanged(case, before)
    case.refresh_from_db()
    assert case.archive_action_date == dt.date(2026, 11, 1)


# --- approving, keeping ----------------------------------------------------------------------


def test_the_archivist_approves_the_destruction_of_a_case_nominated_destroy(permit_type, handler, archivist):
    case = _closed(permit_type, handler, result="Geweigerd")
    list_cases_due_for_review()

    assert approve_destruction(reviews=[_review(case)], by=archivist, reason="termijn verstreken") == 1

    review = _review(case)
    assert review.decision == RetentionDecision.DESTROY
    assert review.reviewed_by == archivist and review.reviewed_at is not None
    event = CaseEvent.objects.get(case=case, kind=EventKind.RETENTION)
    assert event.by == archivist and event.text == "Vernietiging goedgekeurd: termijn verstreken"
    assert ChangeRecord.objects.filter(
        object_uuid=case.uuid, changes__retention=["pending", "destroy"]
    ).exists()
    assert Case.objects.filter(pk=case.pk).exists()  # destruction is its own action


def test_a_case_nominated_keep_cannot_be_approved_for_destruction(permit_type, handler, archivist):
    case = _closed(permit_type, handler, result="Vergund")
    list_cases_due_for_review()
    before = _review(case)

    with pytest.raises(ValidationError, match="blijvend bewaard"):
        approve_destruction(reviews=[before], by=archivist)

    _unchanged(case, before)


def test_only_the_archivist_decides(permit_type, handler, team_lead):
    case = _closed(permit_type, handler)
    list_cases_due_for_review()
    before = _review(case)

    for user in (handler, team_lead):
        with pytest.raises(ValidationError, match="Alleen de archivaris"):
            approve_destruction(reviews=[before], by=user)
        with pytest.raises(ValidationError, match="Alleen de archivaris"):
            postpone_retention(reviews=[before], by=user, until=dt.date(2027, 1, 1), reason="x")

    _unchanged(case, before)


def test_a_selection_is_approved_all_or_nothing(permit_type, handler, archivist):
    destroy = _closed(permit_type, handler, result="Geweigerd")
    keep = _closed(permit_type, handler, result="Vergund")
    list_cases_due_for_review()
    before = [_review(destroy), _review(keep)]

    with pytest.raises(ValidationError, match=keep.number):
        approve_destruction(reviews=before, by=archivist)

    _unchanged(destroy, before[0])
    _unchanged(keep, before[1])


def test_keep_permanently_or_transfer_a_case_nominated_keep(permit_type, handler, archivist):
    kept = _closed(permit_type, handler, result="Vergund")
    transferred = _closed(permit_type, handler, result="Vergund")
    destroy = _closed(permit_type, handler, result="Geweigerd")
    list_cases_due_for_review()

    keep_permanently(reviews=[_review(kept)], by=archivist)
    keep_permanently(reviews=[_review(transferred)], by=archivist, transfer=True, reason="naar stadsarchief")
    with pytest.raises(ValidationError, match="vernietiging genomineerd"):
        keep_permanently(reviews=[_review(destroy)], by=archivist)

    assert _review(kept).decision == RetentionDecision.KEEP
    assert _review(transferred).decision == RetentionDecision.TRANSFER
    assert _review(destroy).decision == RetentionDecision.PENDING
    # final: not listed again, not decided again
    assert list_cases_due_for_review(today=dt.date(2030, 1, 1)) == {"listed": 0, "relisted": 0, "dropped": 0}
    with pytest.raises(ValidationError, match="al beslist"):
        postpone_retention(reviews=[_review(kept)], by=archivist, until=dt.date(2027, 1, 1), reason="x")


# --- destruction -----------------------------------------------------------------------------


@pytest.fixture
def full_case(permit_type, handler, applicant):
    """A destroy-nominated, due case with everything that hangs on a case."""
    case = _closed(permit_type, handler, party=applicant)
    other = register_case(case_type=permit_type, by=handler, subject="Ander", attributes={"soort": "bouwen"})
    sub = register_case(
        case_type=permit_type, by=handler, subject="Deelzaak", attributes={"soort": "bouwen"}, parent=case
    )
    relate_cases(case=other, other=case, by=handler)
    add_case_note(case=other, by=handler, text="notitie op de andere zaak")
    add_case_note(case=case, by=handler, text="notitie")
    list_cases_due_for_review()
    return case, other, sub


def test_destroying_an_approved_case_keeps_a_minimal_record(full_case, archivist, burgerzaken, monkeypatch):
    case, other, sub = full_case
    published = []
    monkeypatch.setattr("balie.cases.retention.publish", published.append)
    approve_destruction(reviews=[_review(case)], by=archivist)
    reviewed_at = _review(case).reviewed_at
    colleague = _archivist(burgerzaken, username="archief2", first_name="Wim")

    [record] = destroy_cases(reviews=[_review(case)], by=colleague)

    assert not Case.objects.filter(pk=case.pk).exists()
    for model in (CaseStatus, CaseRole, CaseTask, CaseNote, CaseEvent, RetentionReview):
        assert not model.objects.filter(case_id=case.pk).exists(), model
    assert not CaseRelation.objects.filter(other_id=case.pk).exists()
    # what was linked to it survives
    assert Case.objects.filter(pk=other.pk).exists()
    assert CaseNote.objects.filter(case=other).exists()
    sub.refresh_from_db()
    assert sub.parent_id is None
    assert ChangeRecord.objects.filter(object_uuid=sub.uuid, changes__parent=[case.number, None]).exists()
    # the minimal record: both the reviewer and the one who destroyed
    assert DestroyedCase.objects.get() == record
    assert (record.number, record.case_uuid, record.case_type_code, record.result) == (
        case.number,
        case.uuid,
        "omgevingsvergunning",
        "Geweigerd",
    )
    assert (record.registered_at, record.closed_at, record.archive_action_date) == (
        case.registered_at,
        case.closed_at,
        dt.date(2026, 11, 1),
    )
    assert record.reviewed_by == archivist.audit_label() and record.reviewed_at == reviewed_at
    assert record.destroyed_by == colleague.audit_label()
    audit = ChangeRecord.objects.get(object_uuid=case.uuid, action=ChangeAction.DELETE)
    assert audit.actor_uuid == colleague.uuid and archivist.audit_label() in audit.reason
    assert [e.type for e in published] == ["be.balie.case.destroyed"]
    # the history says who changed what when, but no longer the values (subject, attributes …)
    creation = ChangeRecord.objects.get(object_uuid=case.uuid, action=ChangeAction.CREATE)
    assert set(creation.changes) >= {"subject", "attributes"}
    assert all(values == ["[vernietigd]", "[vernietigd]"] for values in creation.changes.values())
    assert case.subject not in str(list(ChangeRecord.objects.filter(object_uuid=case.uuid).values("changes")))


def test_the_reviewer_may_destroy_too(full_case, archivist):
    case, _other, _sub = full_case
    approve_destruction(reviews=[_review(case)], by=archivist)

    [record] = destroy_cases(reviews=[_review(case)], by=archivist)

    assert record.reviewed_by == record.destroyed_by == archivist.audit_label()


def _history(case):
    return list(
        CaseStatus.objects.filter(case=case).order_by("sequence").values_list("status_type_id", flat=True)
    )


def test_a_refused_destruction_changes_nothing(full_case, archivist, handler):
    case, _other, _sub = full_case
    history = _history(case)
    before = _review(case)

    # not approved
    with pytest.raises(ValidationError, match="niet goedgekeurd"):
        destroy_cases(reviews=[before], by=archivist)
    _unchanged(case, before)

    # approved, but by then no longer due
    approve_destruction(reviews=[before], by=archivist)
    Case.objects.filter(pk=case.pk).update(archive_action_date=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="nog niet bereikt"):
        destroy_cases(reviews=[_review(case)], by=archivist)

    # no permission
    Case.objects.filter(pk=case.pk).update(archive_action_date=dt.date(2026, 11, 1))
    with pytest.raises(ValidationError, match="Alleen de archivaris"):
        destroy_cases(reviews=[_review(case)], by=handler)

    # nominated keep (changed since the approval)
    Case.objects.filter(pk=case.pk).update(archival_nomination="keep")
    with pytest.raises(ValidationError, match="blijvend bewaard"):
        destroy_cases(reviews=[_review(case)], by=archivist)

    assert Case.objects.filter(pk=case.pk).exists()
    assert _history(case) == history
    assert CaseRole.objects.filter(case=case).count() == 1
    assert CaseNote.objects.filter(case=case).count() == 1
    assert not DestroyedCase.objects.exists()
    assert not ChangeRecord.objects.filter(object_uuid=case.uuid, action=ChangeAction.DELETE).exists()


def test_a_case_destroyed_meanwhile_is_refused(full_case, archivist):
    case, _other, _sub = full_case
    approve_destruction(reviews=[_review(case)], by=archivist)
    review = _review(case)
    destroy_cases(reviews=[review], by=archivist)

    with pytest.raises(ValidationError, match="niet meer op de lijst"):
        destroy_cases(reviews=[review], by=archivist)

    assert DestroyedCase.objects.count() == 1


def test_reads_are_for_the_archivist_only(full_case, archivist, handler):
    case, _other, _sub = full_case

    assert [r.case_id for r in retention.retention_reviews_for(archivist)] == [case.pk]
    assert not retention.retention_reviews_for(handler).exists()
    assert not retention.destroyed_cases_for(handler).exists()
