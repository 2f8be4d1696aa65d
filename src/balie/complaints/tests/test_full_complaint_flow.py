"""A complaint from registration to closing, with the reglement's deadlines: acknowledged within
10 days, answered within 45 calendar days of receipt, one extension told to the complainant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.complaints.actions import (
    acknowledge_complaint,
    answer_complaint,
    assign_investigator,
    close_complaint,
    decide_admissibility,
    extend_complaint,
    start_investigation,
)
from balie.complaints.models import Complaint, ComplaintState
from balie.core.models import OutboxMessage
from balie.core.outbox import deliver_due

from .conftest import case_of

pytestmark = pytest.mark.django_db


def test_a_complaint_goes_from_registration_to_closed_within_its_deadlines(
    make_complaint, coordinator, handler, settings
):
    # given a complaint received three days ago by phone about Omgeving
    complaint = make_complaint(received_days_ago=3)
    received = timezone.localdate() - dt.timedelta(days=3)
    assert complaint.state == ComplaintState.REGISTERED
    assert complaint.received_on == received
    assert complaint.acknowledge_due == received + dt.timedelta(days=10)
    assert complaint.answer_due == received + dt.timedelta(days=45)
    assert case_of(complaint).deadline == received + dt.timedelta(days=45)
    assert case_of(complaint).status_type.name == "Geregistreerd"
    assert complaint.coordinator == coordinator

    # when the coordinator declares it admissible, acknowledges it by e-mail, has Omgeving investigate
    complaint = decide_admissibility(complaint=complaint, by=coordinator, admissible=True)
    complaint = acknowledge_complaint(
        complaint=complaint,
        by=coordinator,
        how="email",
        subject="Ontvangstmelding",
        body="We ontvingen uw klacht.",
    )
    complaint = assign_investigator(complaint=complaint, by=coordinator, investigator=handler)
    complaint = start_investigation(complaint=complaint, by=coordinator)
    complaint = extend_complaint(
        complaint=complaint,
        by=coordinator,
        reason="Advies van de politie nodig",
        how="email",
        subject="Meer tijd nodig",
        body="We hebben meer tijd nodig.",
    )
    complaint = answer_complaint(
        complaint=complaint,
        by=coordinator,
        outcome="partly_founded",
        answer_text="De medewerker was kortaf.",
        improvement_action="Opleiding klantvriendelijkheid voor het onthaal.",
        how="email",
        subject="Antwoord",
        body="Uw klacht is deels gegrond.",
    )
    complaint = close_complaint(complaint=complaint, by=coordinator)

    # then every step is recorded with its dates, and the case followed
    complaint = Complaint.objects.get(pk=complaint.pk)
    today = timezone.localdate()
    assert complaint.state == ComplaintState.CLOSED
    assert complaint.acknowledged_on == today
    assert complaint.extension_days == 45
    assert complaint.extension_reason == "Advies van de politie nodig"
    assert complaint.answer_due == received + dt.timedelta(days=90)
    assert complaint.outcome == "partly_founded"
    assert complaint.ombudsman_mentioned is True
    assert complaint.answered_on == today
    assert complaint.closed_on == today
    case = case_of(complaint)
    assert case.deadline == received + dt.timedelta(days=90)
    assert case.extended_days == 45
    assert case.closed_at is not None
    assert case.result_type.name == "Deels gegrond"
    assert list(case.statuses.order_by("sequence").values_list("status_type__name", flat=True)) == [
        "Geregistreerd",
        "Ontvankelijkheid beslist",
        "Ontvangst bevestigd",
        "In onderzoek",
        "Beantwoord",
        "Afgesloten",
    ]
    # and the complainant got three mails: acknowledgement, extension, answer
    assert OutboxMessage.objects.filter(sender="complaints.mail").count() == 3
    deliver_due()
    assert [m.subject for m in mail.outbox] == ["Ontvangstmelding", "Meer tijd nodig", "Antwoord"]
    assert {tuple(m.to) for m in mail.outbox} == {("karel@example.be",)}


def test_only_one_extension(make_complaint, coordinator, handler):
    complaint = make_complaint(received_days_ago=1)
    complaint = decide_admissibility(complaint=complaint, by=coordinator, admissible=True)
    complaint = extend_complaint(
        complaint=complaint, by=coordinator, reason="Veel werk", how="email", subject="s", body="b"
    )
    due = complaint.answer_due

    with pytest.raises(ValidationError, match="maar één keer"):
        extend_complaint(
            complaint=complaint, by=coordinator, reason="Nog meer", how="email", subject="s", body="b"
        )

    complaint.refresh_from_db()
    assert complaint.answer_due == due
    assert complaint.extension_reason == "Veel werk"
    assert OutboxMessage.objects.filter(sender="complaints.mail").count() == 1


def test_an_extension_after_the_answer_deadline_is_refused(make_complaint, coordinator):
    complaint = make_complaint(received_days_ago=50)
    complaint = decide_admissibility(complaint=complaint, by=coordinator, admissible=True)

    with pytest.raises(ValidationError, match="al verstreken"):
        extend_complaint(
            complaint=complaint, by=coordinator, reason="Te laat", how="email", subject="s", body="b"
        )

    complaint.refresh_from_db()
    assert complaint.extension_days == 0
    assert case_of(complaint).extended_days == 0


def test_the_answer_leaves_out_the_ombudsman_when_the_reglement_does(
    make_complaint, coordinator, handler, settings
):
    settings.BALIE_COMPLAINT_MENTION_OMBUDSMAN = False
    complaint = make_complaint()
    complaint = decide_admissibility(complaint=complaint, by=coordinator, admissible=True)
    complaint = acknowledge_complaint(complaint=complaint, by=coordinator, how="email", subject="s", body="b")
    complaint = assign_investigator(complaint=complaint, by=coordinator, investigator=handler)
    complaint = start_investigation(complaint=complaint, by=coordinator)

    complaint = answer_complaint(
        complaint=complaint,
        by=coordinator,
        outcome="unfounded",
        answer_text="Correct gehandeld.",
        how="email",
        subject="s",
        body="b",
    )

    assert complaint.ombudsman_mentioned is False
