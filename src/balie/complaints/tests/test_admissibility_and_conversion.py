"""Inadmissible complaints close with their reason; what is not a complaint is converted into what
it is, keeping both histories; a report converted into a complaint keeps its link."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.cases.models import Case, CaseRelation, CaseType
from balie.cases.registries import Intake, intake_handlers
from balie.complaints.actions import convert_complaint, decide_admissibility
from balie.complaints.models import Complaint, ComplaintState
from balie.contact_moments.models import ContactMoment

from .conftest import case_of, simple_case_type

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reason", ["anonymous", "facts_too_old", "already_handled"])
def test_an_inadmissible_complaint_closes_with_its_reason(make_complaint, coordinator, reason):
    complaint = make_complaint(party=None if reason == "anonymous" else "default")

    complaint = decide_admissibility(
        complaint=complaint, by=coordinator, admissible=False, reason=reason, note="Zie reglement art. 5"
    )

    assert complaint.state == ComplaintState.INADMISSIBLE
    assert complaint.inadmissible_reason == reason
    case = case_of(complaint)
    assert case.closed_at is not None
    assert case.result_type.name == "Onontvankelijk"
    assert case.result_note == "Zie reglement art. 5"


def test_inadmissible_needs_a_reason_and_changes_nothing_without(make_complaint, coordinator):
    complaint = make_complaint()

    with pytest.raises(ValidationError):
        decide_admissibility(complaint=complaint, by=coordinator, admissible=False, reason="", note="x")

    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.REGISTERED
    assert complaint.admissible is None
    assert case_of(complaint).status_type.name == "Geregistreerd"


def test_not_a_complaint_becomes_a_contact_moment_and_the_complaint_closes_converted(
    make_complaint, coordinator
):
    complaint = make_complaint(subject="Wanneer is het containerpark open?")
    complaint = decide_admissibility(
        complaint=complaint, by=coordinator, admissible=False, reason="not_a_complaint", note="Een vraag"
    )
    assert complaint.state == ComplaintState.NOT_A_COMPLAINT
    assert case_of(complaint).closed_at is None

    complaint = convert_complaint(complaint=complaint, by=coordinator, target="contact")

    assert complaint.state == ComplaintState.CONVERTED
    assert case_of(complaint).result_type.name == "Omgezet"
    contact = ContactMoment.objects.get(case=complaint.case)
    assert contact.party == complaint.case.roles.get().party
    assert contact.summary.startswith("Wanneer is het containerpark open?")


def test_not_a_complaint_becomes_a_case_of_another_type_linked_to_the_complaint(
    make_complaint, coordinator, omgeving
):
    other_type: CaseType = simple_case_type(omgeving, code="bewonerskaart", name="Bewonerskaart")
    complaint = make_complaint(subject="Aanvraag bewonerskaart")
    complaint = decide_admissibility(
        complaint=complaint, by=coordinator, admissible=False, reason="not_a_complaint", note="Een aanvraag"
    )

    complaint = convert_complaint(complaint=complaint, by=coordinator, target="case", case_type=other_type)

    new = Case.objects.get(case_type=other_type)
    assert complaint.converted_to == new
    assert new.subject == "Aanvraag bewonerskaart"
    assert CaseRelation.objects.filter(case=new, other=complaint.case).count() == 1
    assert case_of(complaint).result_type.name == "Omgezet"


def test_not_a_complaint_becomes_a_report_through_the_report_intake(
    make_complaint, coordinator, omgeving, monkeypatch
):
    """The reports app registers "report"; here a stand-in flow takes its place, as any flow could."""
    report_type = simple_case_type(omgeving, code="melding", name="Melding")
    received: list[Intake] = []

    def register_report(intake: Intake) -> Case:
        from balie.cases.actions import register_case

        received.append(intake)
        return register_case(case_type=report_type, by=intake.by, subject=intake.subject)

    monkeypatch.setitem(intake_handlers._items, "report", register_report)
    complaint = make_complaint(subject="Losliggende stoeptegel")
    complaint = decide_admissibility(
        complaint=complaint,
        by=coordinator,
        admissible=False,
        reason="not_a_complaint",
        note="Een melding",
    )
    complaint = convert_complaint(complaint=complaint, by=coordinator, target="report")

    assert len(received) == 1
    assert received[0].converted_from == complaint.case
    assert received[0].kind == "report"
    assert complaint.converted_to.case_type == report_type
    assert CaseRelation.objects.filter(case=complaint.converted_to, other=complaint.case).count() == 1


def test_a_report_converted_into_a_complaint_keeps_its_link(
    make_complaint, coordinator, omgeving, complainant
):
    # given a report (a case of another type)
    from balie.cases.actions import register_case

    report_type = simple_case_type(omgeving, code="melding", name="Melding")
    report = register_case(case_type=report_type, by=coordinator, subject="Straatlamp al weken stuk")

    # when it is converted into a complaint through the intake handler
    complaint = make_complaint(
        subject="Niemand herstelt de straatlamp", converted_from=report, received_days_ago=2
    )

    # then the complaint knows where it came from, both cases are related, the report is untouched
    assert complaint.converted_from == report
    assert complaint.state == ComplaintState.REGISTERED
    assert CaseRelation.objects.filter(case=complaint.case, other=report).count() == 1
    assert Case.objects.get(pk=report.pk).closed_at is None
    assert Complaint.objects.count() == 1
