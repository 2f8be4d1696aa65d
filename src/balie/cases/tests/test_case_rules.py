"""The case engine's rules: transitions, closing, reopening, deadlines, versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from balie.cases import catalogue
from balie.cases.actions import (
    change_deadline,
    close_case,
    complete_case_task,
    extend_case,
    register_case,
    reopen_case,
    resume_case,
    set_status,
    suspend_case,
    update_case_attributes,
)
from balie.cases.models import Case, CaseStatus, StatusType, VersionState


def _register(case_type, by, party=None, **extra):
    return register_case(
        case_type=case_type,
        by=by,
        subject="Verbouwing keuken",
        parties=[(party, "initiator")] if party else [],
        attributes={"soort": "verbouwen", **extra.pop("attributes", {})},
        **extra,
    )


def _statuses(case):
    return list(
        CaseStatus.objects.filter(case=case).order_by("sequence").values_list("status_type__name", flat=True)
    )


def test_register_numbers_and_first_status(permit_type, handler, applicant):
    first = _register(permit_type, handler, applicant)
    second = _register(permit_type, handler)
    year = first.registered_at.year
    assert first.number == f"C{year}-000001"
    assert second.number == f"C{year}-000002"
    assert first.status_type.name == "Ontvangen"
    assert _statuses(first) == ["Ontvangen"]
    assert list(first.tasks.values_list("description", flat=True)) == ["Volledigheid nakijken"]
    assert first.roles.get().party == applicant


def test_disallowed_transition_is_refused_and_changes_nothing(permit_type, handler):
    case = _register(permit_type, handler)
    done = StatusType.objects.get(version=case.version, name="Afgehandeld")
    with pytest.raises(ValidationError, match="sluit je af met een resultaat"):
        set_status(case=case, status_type=done, by=handler)
    in_treatment = StatusType.objects.get(version=case.version, name="In behandeling")
    # a required task is still open
    with pytest.raises(ValidationError, match="Volledigheid nakijken"):
        set_status(case=case, status_type=in_treatment, by=handler)
    assert _statuses(case) == ["Ontvangen"]
    case.refresh_from_db()
    assert case.status_type.name == "Ontvangen"


def test_status_moves_after_required_task(permit_type, handler):
    case = _register(permit_type, handler)
    complete_case_task(task=case.tasks.get(), by=handler)
    in_treatment = StatusType.objects.get(version=case.version, name="In behandeling")
    case = set_status(case=case, status_type=in_treatment, by=handler, reason="volledig")
    assert _statuses(case) == ["Ontvangen", "In behandeling"]
    received = StatusType.objects.get(version=case.version, name="Ontvangen")
    with pytest.raises(ValidationError, match="kan de zaak niet naar"):
        set_status(case=case, status_type=received, by=handler)
    assert _statuses(case) == ["Ontvangen", "In behandeling"]


def test_no_close_without_result(permit_type, handler):
    case = _register(permit_type, handler)
    complete_case_task(task=case.tasks.get(), by=handler)
    case = set_status(
        case=case, status_type=StatusType.objects.get(version=case.version, name="In behandeling"), by=handler
    )
    with pytest.raises(ValidationError, match="Kies een resultaat"):
        close_case(case=case, result_type=None, by=handler)
    case.refresh_from_db()
    assert case.closed_at is None and case.archive_action_date is None
    assert _statuses(case) == ["Ontvangen", "In behandeling"]


def _closed_case(permit_type, handler, result="Vergund", attributes=None):
    case = _register(permit_type, handler, attributes=attributes or {})
    complete_case_task(task=case.tasks.get(), by=handler)
    case = set_status(
        case=case, status_type=StatusType.objects.get(version=case.version, name="In behandeling"), by=handler
    )
    return close_case(case=case, result_type=case.version.result_types.get(name=result), by=handler)


def test_close_sets_archive_date_and_reopen_needs_permission(permit_type, handler, team_lead):
    case = _closed_case(permit_type, handler)
    assert case.status_type.name == "Afgehandeld"
    closed_on = case.closed_at.astimezone().date()
    assert case.archive_action_date == closed_on.replace(year=closed_on.year + 20)
    assert case.archival_nomination == "keep"
    with pytest.raises(ValidationError, match="geen toestemming"):
        reopen_case(case=case, by=handler, reason="klant bezorgt nieuwe stukken")
    case.refresh_from_db()
    assert case.closed_at is not None and len(_statuses(case)) == 3
    case = reopen_case(case=case, by=team_lead, reason="klant bezorgt nieuwe stukken")
    assert case.closed_at is None and case.archive_action_date is None and case.result_type is None
    assert _statuses(case) == ["Ontvangen", "In behandeling", "Afgehandeld", "In behandeling"]


def test_retention_can_start_from_an_attribute_date(permit_type, handler):
    case = _closed_case(permit_type, handler, result="Geweigerd", attributes={"beslissing": "15/03/2026"})
    assert case.archive_action_date == dt.date(2036, 3, 15)
    assert case.archival_nomination == "destroy"


def test_suspension_moves_deadline_by_working_days_across_a_holiday(
    permit_type, handler, settings, monkeypatch
):
    from django.utils import timezone

    case = _register(permit_type, handler)
    # Suspend on Friday 24 April 2026, resume Tuesday 5 May 2026: Monday 27/4 to Tuesday 5/5 are
    # 6 working days (1 May, Labour Day, is a holiday).
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 4, 24))
    Case.objects.filter(pk=case.pk).update(deadline=dt.date(2026, 5, 8), start_date=dt.date(2026, 4, 20))
    case = suspend_case(case=case, by=handler, reason="wachten op plannen")
    assert case.suspended_since == dt.date(2026, 4, 24)
    case = resume_case(case=case, by=handler, on=dt.date(2026, 5, 5))
    assert case.suspended_days == 6
    # 8 May + 6 working days: 11, 12, 13, 15 (14 May is Ascension), 18, 19 May
    assert case.deadline == dt.date(2026, 5, 19)
    assert case.suspended_since is None


def test_one_extension_with_reason(permit_type, handler):
    case = _register(permit_type, handler)
    before = case.deadline
    with pytest.raises(ValidationError):
        extend_case(case=case, by=handler, days=5, reason="")
    case.refresh_from_db()
    assert case.deadline == before
    case = extend_case(case=case, by=handler, days=5, reason="advies brandweer")
    assert case.deadline > before and case.extended_days == 5
    with pytest.raises(ValidationError, match="maar één keer"):
        extend_case(case=case, by=handler, days=2, reason="nog eens")


def test_deadline_change_needs_permission(permit_type, handler, team_lead):
    case = _register(permit_type, handler)
    before = case.deadline
    with pytest.raises(ValidationError, match="geen toestemming"):
        change_deadline(case=case, by=handler, deadline=before + dt.timedelta(days=30), reason="drukte")
    case.refresh_from_db()
    assert case.deadline == before
    case = change_deadline(case=case, by=team_lead, deadline=before + dt.timedelta(days=30), reason="drukte")
    assert case.deadline == before + dt.timedelta(days=30)


def test_attribute_of_the_wrong_type_is_refused(permit_type, handler):
    with pytest.raises(ValidationError) as error:
        _register(permit_type, handler, attributes={"oppervlakte": "veel", "soort": "slopen"})
    assert set(error.value.message_dict) == {"oppervlakte", "soort"}
    assert not Case.objects.exists()
    case = _register(permit_type, handler, attributes={"oppervlakte": "12,5"})
    with pytest.raises(ValidationError):
        update_case_attributes(case=case, by=handler, values={"beslissing": "morgen"})
    case.refresh_from_db()
    assert case.attributes == {"soort": "verbouwen", "oppervlakte": 12.5}


def test_case_keeps_its_version_after_a_new_one_is_published(permit_type, handler, admin):
    old = _register(permit_type, handler)
    draft = catalogue.start_draft(case_type=permit_type, by=admin)
    assert draft.number == 2 and draft.status_types.count() == 3
    catalogue.update_version(version=draft, by=admin, lead_time_days=40, lead_time_unit="calendar")
    catalogue.publish_version(version=draft, by=admin)
    new = _register(permit_type, handler)
    old.refresh_from_db()
    assert old.version.number == 1 and old.version.state == VersionState.RETIRED
    assert new.version.number == 2 and new.version.lead_time_days == 40
    # the old case still follows its own statuses
    assert old.status_type.version_id == old.version_id


def test_a_published_version_cannot_be_edited(permit_version, admin):
    with pytest.raises(ValidationError, match="ontwerpversie"):
        catalogue.add_status_type(version=permit_version, by=admin, name="Extra")
    assert permit_version.status_types.count() == 3


def test_an_incomplete_draft_cannot_be_published(admin, omgeving):
    draft = catalogue.create_case_type(code="leeg", name="Leeg", department=omgeving, by=admin)
    with pytest.raises(ValidationError):
        catalogue.publish_version(version=draft, by=admin)
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT
