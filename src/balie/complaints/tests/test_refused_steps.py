"""Refused steps change nothing: the wrong step, the wrong person, an investigator who is not
independent of the coordinator, a coordinator of the department concerned."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.accounts.models import Role
from balie.audit.models import ChangeRecord
from balie.complaints.actions import (
    acknowledge_complaint,
    answer_complaint,
    assign_investigator,
    close_complaint,
    decide_admissibility,
    start_investigation,
)
from balie.complaints.models import Complaint, ComplaintState
from balie.core.models import OutboxMessage

from .conftest import _employee, case_of

pytestmark = pytest.mark.django_db


def _unchanged(complaint: Complaint, records: int) -> None:
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.state == complaint.state
    assert fresh.investigator_id == complaint.investigator_id
    assert ChangeRecord.objects.count() == records
    assert OutboxMessage.objects.filter(sender="complaints.mail").count() == 0


def test_a_step_out_of_order_is_refused(make_complaint, coordinator):
    complaint = make_complaint()
    records = ChangeRecord.objects.count()

    with pytest.raises(ValidationError, match="kan niet ontvangst bevestigen"):
        acknowledge_complaint(complaint=complaint, by=coordinator, how="email", subject="s", body="b")
    with pytest.raises(ValidationError):
        close_complaint(complaint=complaint, by=coordinator)
    with pytest.raises(ValidationError):
        answer_complaint(
            complaint=complaint,
            by=coordinator,
            outcome="founded",
            answer_text="x",
            improvement_action="y",
            how="email",
            subject="s",
            body="b",
        )

    _unchanged(complaint, records)
    assert case_of(complaint).status_type.name == "Geregistreerd"


def test_someone_without_the_coordinator_role_may_not_decide(make_complaint, handler):
    complaint = make_complaint()
    records = ChangeRecord.objects.count()

    with pytest.raises(ValidationError, match="klachtencoördinator"):
        decide_admissibility(complaint=complaint, by=handler, admissible=True)

    _unchanged(complaint, records)


def test_an_investigator_of_the_coordinators_department_is_refused(make_complaint, coordinator, colleague):
    complaint = decide_admissibility(complaint=make_complaint(), by=coordinator, admissible=True)
    records = ChangeRecord.objects.count()

    with pytest.raises(ValidationError, match="niet van de dienst van de klachtencoördinator"):
        assign_investigator(complaint=complaint, by=coordinator, investigator=colleague)

    _unchanged(complaint, records)


def test_an_investigator_outside_the_department_concerned_is_refused(make_complaint, coordinator, front_desk):
    complaint = decide_admissibility(complaint=make_complaint(), by=coordinator, admissible=True)
    records = ChangeRecord.objects.count()

    with pytest.raises(ValidationError, match="betrokken dienst"):
        assign_investigator(complaint=complaint, by=coordinator, investigator=front_desk)

    _unchanged(complaint, records)


def test_a_coordinator_of_the_department_concerned_does_not_handle_it(make_complaint, coordinator, omgeving):
    colleague_coordinator = _employee("klachten2", omgeving, [Role.COMPLAINT_COORDINATOR])
    complaint = make_complaint()
    records = ChangeRecord.objects.count()

    with pytest.raises(ValidationError, match="onafhankelijkheid"):
        decide_admissibility(complaint=complaint, by=colleague_coordinator, admissible=True)

    _unchanged(complaint, records)


def test_a_complaint_registered_with_a_coordinator_of_the_department_concerned_is_refused(
    make_complaint, omgeving
):
    colleague_coordinator = _employee("klachten2", omgeving, [Role.COMPLAINT_COORDINATOR])

    with pytest.raises(ValidationError, match="niet van de betrokken dienst"):
        make_complaint(by=colleague_coordinator)

    assert Complaint.objects.count() == 0


def test_the_investigation_needs_an_investigator(make_complaint, coordinator):
    complaint = decide_admissibility(complaint=make_complaint(), by=coordinator, admissible=True)
    complaint = acknowledge_complaint(complaint=complaint, by=coordinator, how="email", subject="s", body="b")

    with pytest.raises(ValidationError, match="onderzoeker"):
        start_investigation(complaint=complaint, by=coordinator)

    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.ACKNOWLEDGED
    assert case_of(complaint).status_type.name == "Ontvangst bevestigd"


def test_a_founded_answer_needs_an_improvement_action(make_complaint, coordinator, handler):
    complaint = decide_admissibility(complaint=make_complaint(), by=coordinator, admissible=True)
    complaint = acknowledge_complaint(complaint=complaint, by=coordinator, how="email", subject="s", body="b")
    complaint = assign_investigator(complaint=complaint, by=coordinator, investigator=handler)
    complaint = start_investigation(complaint=complaint, by=coordinator)
    mails = OutboxMessage.objects.count()

    with pytest.raises(ValidationError, match="verbeteractie"):
        answer_complaint(
            complaint=complaint,
            by=coordinator,
            outcome="founded",
            answer_text="Klopt.",
            how="email",
            subject="s",
            body="b",
        )

    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.state == ComplaintState.INVESTIGATING
    assert fresh.outcome == ""
    assert OutboxMessage.objects.count() == mails
