"""One search box finds a customer by every key a caller may give."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.parties.actions import add_contact_point

from .conftest import html, insz

SEARCH = reverse("backoffice:search")


@pytest.mark.parametrize(
    "query",
    [
        "peeters",
        "Peeters Jan",
        insz("850730", "033"),
        "85.07.30-033.{}".format(insz("850730", "033")[-2:]),
        "jan.peeters@example.be",
        "JAN.PEETERS@example.be",
        "0470 12 34 56",
        "+32 470 12 34 56",
        "kerkstraat 12",
    ],
)
def test_it_finds_a_person_by_each_kind_of_key(desk, jan, bakkerij, query):
    response = desk.get(SEARCH, {"q": query})

    assert response.status_code == 200
    page = html(response)
    assert "1 klant gevonden" in page
    assert reverse("backoffice:party", args=[jan.uuid]) in page
    assert "Bakkerij" not in page


@pytest.mark.parametrize("query", ["0403.019.261", "BE 0403019261", "bakkerij de zon", "03 455 66 77"])
def test_it_finds_an_organisation_by_name_enterprise_number_or_phone(desk, front_desk, jan, bakkerij, query):
    add_contact_point(party=bakkerij, kind="phone", value="03 455 66 77", by=front_desk)

    response = desk.get(SEARCH, {"q": query})

    page = html(response)
    assert "1 klant gevonden" in page
    assert reverse("backoffice:party", args=[bakkerij.uuid]) in page
    assert "0403.019.261" in page


def test_a_result_shows_what_tells_two_namesakes_apart(desk, jan):
    page = html(desk.get(SEARCH, {"q": "peeters"}))

    assert "30/07/1985" in page
    assert "Kerkstraat 12, 2640 Mortsel" in page


def test_it_says_so_when_nothing_is_found_and_offers_a_new_customer(desk, jan):
    response = desk.get(SEARCH, {"q": "Vermeulen"})

    page = html(response)
    assert "Geen klant gevonden voor ‘Vermeulen’." in page
    assert reverse("backoffice:party_create") + "?soort=person&amp;q=Vermeulen" in page


def test_an_empty_search_shows_a_hint_and_no_results(desk, jan):
    page = html(desk.get(SEARCH))

    assert "Typ minstens een deel van een naam of een nummer." in page
    assert "Peeters" not in page


def test_htmx_live_search_returns_only_the_results(desk, jan):
    response = desk.get(SEARCH, {"q": "peet"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results")

    page = html(response)
    assert "<html" not in page
    assert "1 klant gevonden" in page
    assert "HX-Request" in response["Vary"]


def test_the_search_works_without_javascript_as_a_plain_form(desk, jan):
    page = html(desk.get(SEARCH, {"q": "peet"}))

    assert '<form method="get" action="/zoeken" role="search"' in page
    assert 'name="q" value="peet"' in page
    assert "1 klant gevonden" in page


def test_a_search_term_with_markup_is_shown_escaped(desk, jan):
    page = html(desk.get(SEARCH, {"q": "<script>alert(1)</script>"}))

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_each_person_in_the_results_is_logged_as_an_access_but_not_an_organisation(
    desk, front_desk, jan, bakkerij
):
    from balie.audit.models import PersonalDataAccess

    desk.get(SEARCH, {"q": "peeters"})
    desk.get(SEARCH, {"q": "bakkerij"})

    access = PersonalDataAccess.objects.get()
    assert (access.subject_uuid, access.actor_uuid, access.location) == (jan.uuid, front_desk.uuid, "/zoeken")
