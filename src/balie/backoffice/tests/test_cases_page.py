"""The case page shows the case whole: header, checklist, parties, attributes, notes, timeline,
linked contacts (without the confidential ones of other departments) and related cases; and only
to those who may see it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.cases.actions import add_case_note, add_case_party, register_case, relate_cases
from balie.contact_moments.actions import link_contact_moment_to_case, register_contact_moment

from .conftest import client_for, html


def url(case) -> str:
    return reverse("backoffice:case", args=[case.uuid])


@pytest.fixture
def case(permit_type, handler, applicant):
    return register_case(
        case_type=permit_type,
        by=handler,
        subject="Verbouwing keuken",
        description="Muur tussen keuken en living weg.",
        parties=[(applicant, "initiator")],
        attributes={"soort": "verbouwen", "oppervlakte": "24,5", "beslissing": "2026-03-01"},
        handler=handler,
        team=handler.team,
    )


def test_the_page_shows_header_checklist_parties_attributes_and_timeline(handler, case, applicant):
    add_case_note(case=case, by=handler, text="Klant belt vrijdag terug.")

    page = html(client_for(handler).get(url(case)))

    assert case.number in page and '<h1 id="case-title">Verbouwing keuken</h1>' in page
    assert "Omgevingsvergunning" in page and "versie 1" in page
    assert "<strong>Ontvangen</strong>" in page
    assert '<span class="badge badge--ok">op tijd</span>' in page
    assert "Omgeving" in page and "Wegen" in page and "Hans Handel" in page
    assert "Muur tussen keuken en living weg." in page
    # the checklist of the current status
    assert "Taken bij ‘Ontvangen’" in page and "Volledigheid nakijken" in page and "Afvinken" in page
    # parties link to their 360° page
    assert f'<a href="{reverse("backoffice:party", args=[applicant.uuid])}">Peeters An</a>' in page
    # attributes, labelled; a date as people read it
    assert "<dt>Oppervlakte (m²)</dt>" in page and "<dd>24.5</dd>" in page
    assert "<dt>Datum beslissing</dt>" in page and "<dd>01/03/2026</dd>" in page
    assert "<dt>Soort</dt>" in page and "<dd>verbouwen</dd>" in page
    # notes and the case's timeline, newest first
    assert "Klant belt vrijdag terug." in page
    assert page.index("Notitie</div>") < page.index("Geregistreerd</div>")


def test_only_the_actions_that_are_allowed_now_are_offered(handler, case):
    page = html(client_for(handler).get(url(case)))

    assert "Status wijzigen" in page
    assert '<option value="' in page and ">In behandeling</option>" in page
    assert ">Afgehandeld</option>" not in page  # the end status only through closing
    assert "Afsluiten met een resultaat" not in page  # not from Ontvangen
    assert "Opschorten" in page and "Termijn verlengen" in page
    assert "Uiterste datum wijzigen" not in page  # a team lead's permission
    assert "Zaak heropenen" not in page  # it is open
    assert "/toewijzen" not in page  # a team lead's


def test_a_team_lead_sees_deadline_and_assignment_actions(team_lead, case):
    page = html(client_for(team_lead).get(url(case)))

    assert "Uiterste datum wijzigen" in page and "Toewijzen" in page


def test_linked_contacts_show_but_a_confidential_one_of_another_department_does_not(
    handler, front_desk, case, applicant
):
    visible = register_contact_moment(
        by=front_desk, channel="phone", summary="Vraag over de aanvraag", party=applicant
    )
    secret = register_contact_moment(
        by=front_desk, channel="counter", summary="Vertrouwelijk gesprek", party=applicant, confidential=True
    )
    link_contact_moment_to_case(contact_moment=visible, case=case, by=front_desk)
    link_contact_moment_to_case(contact_moment=secret, case=case, by=front_desk)

    as_handler = html(client_for(handler).get(url(case)))
    as_desk = html(client_for(front_desk).get(url(case)))

    assert "Vraag over de aanvraag" in as_handler and "Vertrouwelijk gesprek" not in as_handler
    assert "Vraag over de aanvraag" in as_desk and "Vertrouwelijk gesprek" in as_desk


def test_related_and_sub_cases_are_listed(handler, permit_type, case):
    other = register_case(
        case_type=permit_type, by=handler, subject="Carport", attributes={"soort": "bouwen"}
    )
    child = register_case(
        case_type=permit_type,
        by=handler,
        subject="Advies brandweer",
        attributes={"soort": "bouwen"},
        parent=case,
    )
    relate_cases(case=case, other=other, by=handler)

    page = html(client_for(handler).get(url(case)))
    child_page = html(client_for(handler).get(url(child)))

    assert "Gekoppeld" in page and other.number in page
    assert "Deelzaak" in page and child.number in page
    assert "Hoofdzaak" in child_page and case.number in child_page


def test_opening_a_case_logs_access_to_the_persons_in_it(handler, case, applicant):
    client_for(handler).get(url(case))

    assert PersonalDataAccess.objects.filter(subject_uuid=applicant.uuid, location=url(case)).exists()


def test_the_page_reads_the_same_number_of_rows_however_much_happened(handler, case, jan, bakkerij):
    client = client_for(handler)
    client.get(url(case))

    with CaptureQueriesContext(connection) as little:
        client.get(url(case))
    for i in range(5):
        add_case_note(case=case, by=handler, text=f"Notitie {i}")
    add_case_party(case=case, party=jan, kind="subject", by=handler)
    add_case_party(case=case, party=bakkerij, kind="subject", by=handler)
    with CaptureQueriesContext(connection) as much:
        client.get(url(case))

    assert len(much.captured_queries) == len(little.captured_queries)


def test_a_citizen_account_gets_not_found(citizen, case):
    client = client_for(citizen)

    for path in [
        url(case),
        reverse("backoffice:cases", args=["mijn"]),
        reverse("backoffice:cases", args=["dienst"]),
        reverse("backoffice:case_register"),
        reverse("backoffice:case_party_search") + "?veld=x&x-zoek=peeters",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Verbouwing" not in html(response) and "Peeters" not in html(response)
    for action in ["case_set_status", "case_add_note", "case_take", "case_close"]:
        assert client.post(reverse(f"backoffice:{action}", args=[case.uuid]), {}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.get(url(case))

    assert response.status_code == 302 and "/aanmelden" in response["Location"]


def test_a_confidential_case_is_not_found_for_another_department(permit_type, handler, front_desk, team_lead):
    secret = register_case(
        case_type=permit_type,
        by=handler,
        subject="Geheim dossier",
        attributes={"soort": "bouwen"},
        confidential=True,
    )
    desk = client_for(front_desk)

    assert desk.get(url(secret)).status_code == 404
    assert (
        desk.post(reverse("backoffice:case_add_note", args=[secret.uuid]), {"notitie-text": "x"}).status_code
        == 404
    )
    assert "Geheim dossier" not in html(desk.get(reverse("backoffice:cases", args=["dienst"])))
    # its own department sees it
    assert client_for(team_lead).get(url(secret)).status_code == 200


def test_an_unknown_case_is_not_found(handler):
    assert client_for(handler).get("/zaken/6a513e20-6634-4b73-a777-c6fb0604e62b").status_code == 404
