"""The status flow: explicit transitions with who and why, the reporter told per status (not when
anonymous), refused moves change nothing, duplicates merged, and a reporter's ask to reopen."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from balie.cases.models import CaseRelation, CaseStatus
from balie.core.outbox import deliver_due
from balie.reports.actions import (
    ask_reopen,
    decide_reopen,
    mark_duplicate,
    register_report,
    set_report_status,
)
from balie.reports.workflow import ReportStatus

from .conftest import INSIDE


def _deliver() -> None:
    deliver_due()


def test_the_reporter_hears_of_each_status(handler, loose_tile, reporter):
    report = register_report(
        category=loose_tile, by=handler, description="Tegel", lat=INSIDE[0], lon=INSIDE[1], reporter=reporter
    )
    report = set_report_status(
        report=report, to=ReportStatus.IN_PROGRESS, by=handler, reason="Ploeg gaat kijken"
    )
    report = set_report_status(report=report, to=ReportStatus.RESOLVED, by=handler, reason="Hersteld")
    report = set_report_status(report=report, to=ReportStatus.CLOSED, by=handler)
    _deliver()
    assert [m.subject for m in mail.outbox] == [
        f"Uw melding {report.case.number} is ontvangen",
        f"Uw melding {report.case.number} is in behandeling",
        f"Uw melding {report.case.number} is opgelost",
    ]
    assert mail.outbox[0].to == ["mia@example.be"]
    history = list(
        CaseStatus.objects.filter(case=report.case)
        .order_by("sequence")
        .values_list("status_type__name", "set_by__username", "reason")
    )
    assert history == [
        ("Nieuw", "behandelaar", ""),
        ("In behandeling", "behandelaar", "Ploeg gaat kijken"),
        ("Opgelost", "behandelaar", "Hersteld"),
        ("Afgesloten", "behandelaar", ""),
    ]
    report.refresh_from_db()
    assert (report.status, report.is_open, report.case.result_type.name) == ("closed", False, "Opgelost")


def test_an_anonymous_reporter_gets_no_mail(handler, loose_tile):
    report = register_report(category=loose_tile, by=handler, description="Tegel", address="Kerkstraat 3")
    set_report_status(report=report, to=ReportStatus.IN_PROGRESS, by=handler)
    _deliver()
    assert mail.outbox == []


def test_a_move_the_flow_does_not_allow_changes_nothing(handler, loose_tile):
    report = register_report(category=loose_tile, by=handler, description="Tegel", address="Kerkstraat 3")
    with pytest.raises(ValidationError) as refused:
        set_report_status(report=report, to=ReportStatus.CLOSED, by=handler)
    assert refused.value.message_dict["status"] == ["Van 'nieuw' kan een melding niet naar 'afgesloten'."]
    with pytest.raises(ValidationError):
        set_report_status(report=report, to=ReportStatus.NOT_OURS, by=handler, reason="")
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW
    assert CaseStatus.objects.filter(case=report.case).count() == 1


def test_a_duplicate_is_merged_into_the_first(handler, loose_tile):
    first = register_report(
        category=loose_tile, by=handler, description="Tegel", lat=INSIDE[0], lon=INSIDE[1]
    )
    second = register_report(
        category=loose_tile, by=handler, description="Zelfde tegel", lat=INSIDE[0], lon=INSIDE[1]
    )
    third = register_report(
        category=loose_tile, by=handler, description="Nog eens", lat=INSIDE[0], lon=INSIDE[1]
    )
    mark_duplicate(report=second, of=first, by=handler)
    third = mark_duplicate(report=third, of=second, by=handler)
    assert third.duplicate_of == first  # linked to the first, not to another duplicate
    assert third.status == ReportStatus.DUPLICATE and not third.is_open
    assert (
        CaseRelation.objects.filter(case=third.case, other=first.case).exists()
        or CaseRelation.objects.filter(case=first.case, other=third.case).exists()
    )
    with pytest.raises(ValidationError):
        mark_duplicate(report=first, of=first, by=handler)


def test_the_reporter_asks_to_reopen_and_a_team_lead_grants_it(handler, team_lead, loose_tile, reporter):
    report = register_report(
        category=loose_tile, by=handler, description="Tegel", address="Kerkstraat 3", reporter=reporter
    )
    report = set_report_status(report=report, to=ReportStatus.RESOLVED, by=handler, reason="Hersteld")
    report = set_report_status(report=report, to=ReportStatus.CLOSED, by=handler)
    request = ask_reopen(report=report, by=handler, text="De tegel ligt weer los")
    with pytest.raises(ValidationError):
        decide_reopen(request=request, by=handler, grant=True, reason="x")  # not a team lead
    decide_reopen(request=request, by=team_lead, grant=True, reason="Terecht")
    report.refresh_from_db()
    assert (report.status, report.is_open, report.case.closed_at) == (ReportStatus.IN_PROGRESS, True, None)
    request.refresh_from_db()
    assert (request.granted, request.decided_by) == (True, team_lead)
