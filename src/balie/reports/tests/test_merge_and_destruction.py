"""A merged reporter's reports follow the survivor; a destroyed report case takes its report along."""

from __future__ import annotations

import datetime as dt

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.cases.models import Case, RetentionReview
from balie.cases.retention import approve_destruction, destroy_cases, list_cases_due_for_review
from balie.parties.actions import merge_parties, register_party
from balie.reports.actions import mark_duplicate, register_report, set_report_status
from balie.reports.models import Report
from balie.reports.workflow import ReportStatus

from .conftest import INSIDE


def test_the_reports_of_a_merged_party_follow_the_survivor(front_desk, handler, loose_tile, reporter):
    twin, _created = register_party(kind="person", by=None, given_name="Mia", family_name="Melder")
    report = register_report(
        category=loose_tile, by=handler, description="Tegel", address="Kerkstraat 1", reporter=twin
    )
    merge_parties(survivor=reporter, duplicate=twin, by=front_desk)
    report.refresh_from_db()
    assert report.reporter == reporter


def test_a_destroyed_report_case_takes_its_report(handler, loose_tile, burgerzaken):
    archivist = create_employee(
        username="archief", first_name="G", last_name="H", email="archief@zonnedaal.be",
        password="Balie-demo-2026", department=burgerzaken, roles=[Role.ARCHIVIST], by=None,
    )  # fmt: skip
    report = register_report(
        category=loose_tile, by=handler, description="Tegel", lat=INSIDE[0], lon=INSIDE[1]
    )
    later = register_report(
        category=loose_tile, by=handler, description="Zelfde", lat=INSIDE[0], lon=INSIDE[1]
    )
    mark_duplicate(report=later, of=report, by=handler)
    report = set_report_status(report=report, to=ReportStatus.RESOLVED, by=handler)
    report = set_report_status(report=report, to=ReportStatus.CLOSED, by=handler)
    Case.objects.filter(pk=report.case_id).update(archive_action_date=dt.date(2026, 1, 1))
    list_cases_due_for_review(today=dt.date(2026, 11, 29))
    review = RetentionReview.objects.get(case_id=report.case_id)
    approve_destruction(reviews=[review], by=archivist)
    destroy_cases(reviews=[RetentionReview.objects.get(pk=review.pk)], by=archivist)
    assert not Report.objects.filter(pk=report.pk).exists()
    later.refresh_from_db()
    assert later.duplicate_of is None
