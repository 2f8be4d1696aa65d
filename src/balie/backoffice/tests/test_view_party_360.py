"""The customer 360° view: everything about one party, its timeline, and a trace in the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.audit.models import AccessChannel, PersonalDataAccess
from balie.contact_moments.actions import register_contact_moment
from balie.parties.actions import (
    add_address,
    add_contact_point,
    add_establishment_unit,
    add_representation,
    merge_parties,
    register_party,
)

from .conftest import client_for, html


def _url(party, **query) -> str:
    url = reverse("backoffice:party", args=[party.uuid])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_it_shows_the_identity_contact_points_and_addresses(desk, front_desk, jan):
    add_address(
        party=jan,
        kind="residence",
        street="Statielei",
        house_number="41",
        box="3",
        postcode="2640",
        municipality="Mortsel",
        by=front_desk,
    )

    page = html(desk.get(_url(jan)))

    assert '<h1 id="party-name">Peeters Jan</h1>' in page
    assert jan.national_number_display in page
    assert "30/07/1985" in page
    assert "jan.peeters@example.be" in page
    assert "0470 12 34 56" in page
    assert "voorkeur" in page
    assert "Statielei 41 bus 3, 2640 Mortsel" in page
    assert "1 vorig adres" in page
    assert "Kerkstraat 12, 2640 Mortsel" in page


def test_it_shows_an_organisation_with_units_and_representatives(desk, front_desk, jan, bakkerij):
    add_establishment_unit(
        organisation=bakkerij,
        number="2.123.456.791",
        name="Winkel",
        street="Statielei",
        house_number="5",
        postcode="2640",
        municipality="Mortsel",
        by=front_desk,
    )
    add_representation(representative=jan, represented=bakkerij, capacity="zaakvoerder", by=front_desk)

    page = html(desk.get(_url(bakkerij)))
    person_page = html(desk.get(_url(jan)))

    assert "0403.019.261" in page
    assert "2.123.456.791 Winkel" in page
    assert "Vertegenwoordigd door" in page and "zaakvoerder" in page
    assert "Vertegenwoordigt" in person_page and "Bakkerij De Zon" in person_page


def test_it_shows_the_timeline_newest_first_and_logs_the_access(desk, front_desk, handler, jan):
    now = timezone.now()
    register_contact_moment(
        by=front_desk,
        channel="counter",
        summary="Eerste bezoek",
        party=jan,
        registered_at=now - dt.timedelta(days=2),
    )
    register_contact_moment(
        by=front_desk,
        channel="phone",
        summary="Tweede oproep",
        party=jan,
        registered_at=now - dt.timedelta(days=1),
        handoff={"department": handler.department, "description": "Terugbellen over de aanvraag"},
    )

    response = desk.get(_url(jan))

    page = html(response)
    assert (
        page.index("Terugbellen over de aanvraag") < page.index("Tweede oproep") < page.index("Eerste bezoek")
    )
    access = PersonalDataAccess.objects.get()
    assert access.actor_uuid == front_desk.uuid
    assert access.subject_uuid == jan.uuid
    assert access.subject_type == "person"
    assert access.channel == AccessChannel.PAGE
    assert access.location == f"/klanten/{jan.uuid}"


def test_opening_an_organisation_logs_no_personal_data_access(desk, bakkerij):
    desk.get(_url(bakkerij))

    assert PersonalDataAccess.objects.count() == 0


def test_the_timeline_filters_by_kind_with_htmx(desk, front_desk, handler, jan):
    register_contact_moment(
        by=front_desk,
        channel="phone",
        summary="Oproep over parkeerkaart",
        party=jan,
        handoff={"department": handler.department, "description": "Kaart klaarmaken"},
    )

    tasks = desk.get(_url(jan, soort="taken"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline")
    contacts = desk.get(_url(jan, soort="contacten"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline")

    assert "<html" not in html(tasks)
    assert "Kaart klaarmaken" in html(tasks) and "Oproep over parkeerkaart" not in html(tasks)
    assert "Oproep over parkeerkaart" in html(contacts) and "Kaart klaarmaken" not in html(contacts)


def test_the_timeline_pages_to_older_entries(desk, front_desk, jan):
    now = timezone.now()
    for number in range(25):
        register_contact_moment(
            by=front_desk,
            channel="phone",
            summary=f"Oproep nummer {number:02d}",
            party=jan,
            registered_at=now - dt.timedelta(hours=number + 1),
        )

    first = html(desk.get(_url(jan)))
    older = first.split('id="timeline-more"')[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    second = desk.get(older.split("#")[0], HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline-more")

    assert "Oproep nummer 19" in first and "Oproep nummer 20" not in first
    assert "Oproep nummer 20" in html(second) and "Oproep nummer 24" in html(second)
    assert "Oproep nummer 19" not in html(second)
    assert 'id="timeline-more"' not in html(second)


def test_a_confidential_contact_of_another_department_is_not_shown(front_desk, handler, jan):
    register_contact_moment(
        by=handler, channel="phone", summary="Vertrouwelijk dossier burenruzie", party=jan, confidential=True
    )
    register_contact_moment(by=handler, channel="phone", summary="Gewone vraag over wegenwerken", party=jan)
    colleague = create_employee(
        username="collega",
        first_name="Cas",
        last_name="Collega",
        email="cas@zonnedaal.be",
        password=None,
        department=handler.department,
        roles=[Role.CASE_HANDLER],
        by=None,
    )

    other_department = html(client_for(front_desk).get(_url(jan)))
    same_department = html(client_for(colleague).get(_url(jan)))

    assert "Gewone vraag over wegenwerken" in other_department
    assert "burenruzie" not in other_department
    assert "burenruzie" in same_department
    assert "vertrouwelijk</span>" in same_department


def test_a_merged_party_redirects_to_the_survivor(desk, front_desk, jan):
    duplicate, _ = register_party(kind="person", family_name="Peters", given_name="Jan", by=front_desk)
    merge_parties(survivor=jan, duplicate=duplicate, by=front_desk)

    response = desk.get(_url(duplicate))

    assert response.status_code == 302
    assert response["Location"] == _url(jan)
    assert PersonalDataAccess.objects.count() == 0


def test_an_unknown_party_is_not_found(desk, db):
    response = desk.get("/klanten/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in html(response)


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_360_view_runs_a_fixed_small_number_of_queries(desk, front_desk, handler, jan, bakkerij):
    # given one of everything (a prefetch with nothing to follow skips its next level)
    register_contact_moment(
        by=front_desk,
        channel="phone",
        summary="Een",
        party=jan,
        handoff={"department": handler.department, "description": "Eerste taak"},
    )
    add_representation(representative=jan, represented=bakkerij, capacity="zaakvoerder", by=front_desk)
    small = _queries_for(desk, _url(jan))

    for number in range(12):
        register_contact_moment(
            by=handler if number % 2 else front_desk,
            channel="phone",
            summary=f"Contact {number}",
            party=jan,
            handoff={"department": handler.department, "description": f"Taak {number}"}
            if number % 3
            else None,
        )
        add_contact_point(party=jan, kind="email", value=f"jan{number}@example.be", by=front_desk)
        add_address(
            party=jan,
            kind="postal",
            street="Postbus",
            house_number=str(number + 1),
            postcode="2600",
            municipality="Berchem",
            valid_from=dt.date(2020, 1, 1) + dt.timedelta(days=number),
            by=front_desk,
        )
    add_representation(representative=jan, represented=bakkerij, capacity="bestuurder", by=front_desk)
    large = _queries_for(desk, _url(jan))

    assert large == small
    assert large <= 25


@pytest.mark.parametrize("scope", ["mijn", "team", "dienst"])
def test_the_task_lists_run_a_fixed_small_number_of_queries(scope, front_desk, handler, jan):
    client = client_for(handler)
    register_contact_moment(
        by=front_desk,
        channel="phone",
        summary="Een",
        party=jan,
        handoff={
            "department": handler.department,
            "team": handler.team,
            "assignee": handler,
            "description": "Taak",
        },
    )
    small = _queries_for(client, reverse("backoffice:tasks", args=[scope]))
    for number in range(10):
        register_contact_moment(
            by=front_desk,
            channel="phone",
            summary=f"Contact {number}",
            party=jan if number % 2 else None,
            handoff={
                "department": handler.department,
                "team": handler.team,
                "assignee": handler,
                "description": f"Taak {number}",
            },
        )

    large = _queries_for(client, reverse("backoffice:tasks", args=[scope]))

    assert large == small
    assert large <= 10


@pytest.mark.parametrize("before", ["gisteren", "2026-13-45T10:00:00", "x" * 500])
def test_a_malformed_older_link_shows_the_newest_entries(desk, front_desk, jan, before):
    register_contact_moment(by=front_desk, channel="phone", summary="Recent contact", party=jan)

    response = desk.get(reverse("backoffice:party", args=[jan.uuid]), {"voor": before})

    assert response.status_code == 200
    assert "Recent contact" in html(response)
