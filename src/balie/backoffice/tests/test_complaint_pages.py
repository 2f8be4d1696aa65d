"""The complaint pages: intake at the counter, the coordinator's board, the steps through the
page (a letter from a template for the acknowledgement), the annual report; outsiders see nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from balie.complaints.actions import decide_admissibility
from balie.complaints.models import Complaint, ComplaintState
from balie.documents.models import Letter

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_front_desk_registers_a_complaint_for_a_customer(
    front_desk, complaint_type, complainant, omgeving, coordinator
):
    client = client_for(front_desk)
    today = timezone.localdate()

    response = client.post(
        f"/klachten/nieuw?klant={complainant.uuid}",
        {
            "channel": "counter",
            "received_on": today.isoformat(),
            "subject": "Lang wachten aan het loket",
            "text": "Twee uur gewacht.",
            "department": omgeving.pk,
            "theme": "delay",
        },
    )

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "counter"
    assert complaint.department_concerned == omgeving
    assert complaint.coordinator is None
    assert complaint.case.roles.get().party == complainant
    assert complaint.acknowledge_due == today + dt.timedelta(days=10)
    # the front desk does not see it afterwards; the coordinator does, on the board
    assert client.get(f"/klachten/{complaint.uuid}").status_code == 404
    board = client_for(coordinator).get("/klachten/")
    assert complaint.case.number in board.content.decode()


def test_a_bad_intake_shows_the_errors_and_stores_nothing(coordinator, complaint_type):
    response = client_for(coordinator).post(
        "/klachten/nieuw", {"channel": "phone", "received_on": "", "subject": ""}
    )

    assert response.status_code == 200
    assert "verplicht" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_the_coordinator_works_the_steps_on_the_page_with_a_letter(
    coordinator, make_complaint, an, acknowledgement, handler
):
    complaint = make_complaint(party=an)
    client = client_for(coordinator)
    page = client.get(f"/klachten/{complaint.uuid}").content.decode()
    assert "Ontvankelijkheid beslissen" in page

    assert (
        client.post(f"/klachten/{complaint.uuid}/ontvankelijkheid", {"decision": "admissible"}).status_code
        == 302
    )
    page = client.get(f"/klachten/{complaint.uuid}").content.decode()
    assert "Ontvangstmelding van uw klacht" in page  # the proposed text

    response = client.post(
        f"/klachten/{complaint.uuid}/bevestigen",
        {"how": "letter", "template": acknowledgement.pk, "subject": "Ontvangst"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.ACKNOWLEDGED
    letter = Letter.objects.get(pk=complaint.acknowledgement_letter_id)
    assert letter.party == an
    assert letter.pdf_document.confidential is True

    client.post(f"/klachten/{complaint.uuid}/onderzoeker", {"investigator": handler.pk})
    client.post(f"/klachten/{complaint.uuid}/onderzoek")
    response = client.post(
        f"/klachten/{complaint.uuid}/beantwoorden",
        {
            "outcome": "unfounded",
            "answer_text": "Correct gehandeld.",
            "how": "email",
            "subject": "",
            "body": "",
        },
    )
    assert response.status_code == 422  # An has no e-mail address: refused, shown, nothing changed
    assert "geen e-mailadres" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.INVESTIGATING


def test_a_refused_step_on_the_page_changes_nothing(coordinator, make_complaint):
    complaint = make_complaint()

    response = client_for(coordinator).post(
        f"/klachten/{complaint.uuid}/ontvankelijkheid", {"decision": "facts_too_old", "note": ""}
    )

    assert response.status_code == 422
    assert "Motiveer" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.REGISTERED


def test_the_annual_report_page_and_its_exports(coordinator, make_complaint):
    complaint = make_complaint()
    decide_admissibility(complaint=complaint, by=coordinator, admissible=True)
    year = timezone.localdate().year
    client = client_for(coordinator)

    page = client.get(f"/klachten/jaarverslag?jaar={year}")
    docx = client.get(f"/klachten/jaarverslag/{year}.docx")

    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg class="complaint-chart"' in html and 'role="img"' in html
    assert "Omgeving" in html
    assert docx.status_code == 200
    assert docx.content[:2] == b"PK"


def test_outsiders_see_nothing(make_complaint, outsider, citizen, handler, coordinator):
    complaint = make_complaint()
    year = timezone.localdate().year
    for user in (outsider, handler):
        client = client_for(user)
        assert client.get(f"/klachten/{complaint.uuid}").status_code == 404
        assert (
            client.post(
                f"/klachten/{complaint.uuid}/ontvankelijkheid", {"decision": "admissible"}
            ).status_code
            == 404
        )
        assert complaint.case.number not in client.get("/klachten/").content.decode()
        assert client.get(f"/klachten/jaarverslag?jaar={year}").status_code == 404
        assert client.get(f"/klachten/jaarverslag/{year}.pdf").status_code == 404
    citizen_client = client_for(citizen)
    assert citizen_client.get("/klachten/").status_code == 404
    assert citizen_client.get(f"/klachten/{complaint.uuid}").status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.REGISTERED


def test_the_investigator_sees_their_complaint_without_the_steps(make_complaint, coordinator, handler):
    from balie.complaints.actions import assign_investigator

    complaint = decide_admissibility(complaint=make_complaint(), by=coordinator, admissible=True)
    assign_investigator(complaint=complaint, by=coordinator, investigator=handler)

    page = client_for(handler).get(f"/klachten/{complaint.uuid}")

    assert page.status_code == 200
    assert "/bevestigen" not in page.content.decode()
    assert complaint.case.number in page.content.decode()


def test_the_360_view_lists_the_complaints_the_reader_may_see(
    make_complaint, coordinator, complainant, outsider
):
    complaint = make_complaint()

    mine = client_for(coordinator).get(f"/klanten/{complainant.uuid}").content.decode()
    theirs = client_for(outsider).get(f"/klanten/{complainant.uuid}").content.decode()

    assert f"/klachten/{complaint.uuid}" in mine
    assert f"/klachten/{complaint.uuid}" not in theirs


def test_the_page_suggests_inadmissible_for_old_facts(coordinator, make_complaint):
    complaint = make_complaint(facts_on=timezone.localdate() - dt.timedelta(days=400))

    page = client_for(coordinator).get(f"/klachten/{complaint.uuid}").content.decode()

    assert "Voorstel volgens het reglement: feiten ouder dan één jaar." in page
