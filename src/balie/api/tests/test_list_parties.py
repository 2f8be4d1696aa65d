"""Another system looks parties up and walks through them a page at a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balie.accounts.models import User
from balie.audit.models import PersonalDataAccess
from balie.parties.actions import add_address, add_contact_point, register_party
from balie.parties.models import Party

from .conftest import ApiClient, national_number

URL = "/api/v1/parties"


def _names(response: Any) -> list[str]:
    return [party["display_name"] for party in response.json()["results"]]


def _walk(api: ApiClient, params: dict[str, Any]) -> list[str]:
    """Every uuid over every page, following the `next` links."""
    seen: list[str] = []
    response = api.get(URL, params)
    while True:
        assert response.status_code == 200
        seen += [party["uuid"] for party in response.json()["results"]]
        if response.json()["next"] is None:
            return seen
        response = api.client.get(response.json()["next"], headers=api._headers())


@pytest.fixture
def people(front_desk: User, jan: Party, bakkerij: Party) -> list[Party]:
    """Eleven persons, with equal names, and an organisation."""
    more = [
        register_party(
            kind="person",
            family_name=family,
            given_name="An",
            national_number=national_number("900101", serial),
            by=front_desk,
        )[0]
        for serial, family in enumerate(
            ["Claes", "Claes", "Claes", "Wouters", "Aerts", "Janssens", "Maes"], 1
        )
    ]
    more += [register_party(kind="person", family_name="Claes", by=front_desk)[0] for _ in range(3)]
    return [jan, *more]


def test_it_walks_every_party_exactly_once_in_name_order(
    api: ApiClient, people: list[Party], bakkerij: Party
) -> None:
    # when
    seen = _walk(api, {"page_size": 3})
    # then
    assert len(seen) == len(set(seen)) == 12
    expected = Party.objects.order_by("search_name", "id").values_list("uuid", flat=True)
    assert seen == [str(u) for u in expected]


def test_it_uses_the_configured_page_size_by_default(
    api: ApiClient, people: list[Party], settings: Any
) -> None:
    # given
    settings.BALIE_API_PAGE_SIZE = 5
    # when
    response = api.get(URL)
    # then
    assert len(response.json()["results"]) == 5
    assert response.json()["next"].startswith("http://testserver/api/v1/parties?cursor=")


def test_it_keeps_the_filters_in_the_next_link(api: ApiClient, people: list[Party]) -> None:
    # when
    seen = _walk(api, {"kind": "person", "page_size": 2})
    # then
    assert len(seen) == len(set(seen)) == 11


def test_it_ends_with_an_empty_next_link(api: ApiClient, people: list[Party]) -> None:
    # when
    response = api.get(URL, {"page_size": 12})
    # then
    assert (len(response.json()["results"]), response.json()["next"]) == (12, None)


def test_it_refuses_a_tampered_cursor(api: ApiClient, people: list[Party]) -> None:
    # given
    next_link = api.get(URL, {"page_size": 2}).json()["next"]
    # when
    response = api.client.get(next_link[:-3] + "abc", headers=api._headers())
    garbage = api.get(URL, {"cursor": "not-a-cursor"})
    # then
    assert (response.status_code, garbage.status_code) == (400, 400)
    assert garbage.json() == {
        "detail": "Deze cursor is ongeldig of verlopen; begin opnieuw bij de eerste pagina."
    }


def test_it_finds_a_person_by_national_number_written_any_way(api: ApiClient, people: list[Party]) -> None:
    # when
    response = api.get(URL, {"national_number": "85.07.30-033.28"})
    # then
    assert _names(response) == ["Peeters Jan"]


def test_it_finds_an_organisation_by_enterprise_number(api: ApiClient, people: list[Party]) -> None:
    # when
    response = api.get(URL, {"enterprise_number": "BE0403.019.261"})
    # then
    assert _names(response) == ["Bakkerij Peeters"]


def test_it_finds_a_party_by_email_address(api: ApiClient, jan: Party, front_desk: User) -> None:
    # given
    add_contact_point(party=jan, kind="email", value="jan@example.be", by=front_desk)
    # when
    response = api.get(URL, {"email": "JAN@example.be"})
    # then
    assert _names(response) == ["Peeters Jan"]


def test_it_filters_by_kind(api: ApiClient, people: list[Party]) -> None:
    # when
    response = api.get(URL, {"kind": "organisation"})
    # then
    assert _names(response) == ["Bakkerij Peeters"]


def test_it_searches_by_name_best_matches_first_on_one_page(api: ApiClient, people: list[Party]) -> None:
    # when
    response = api.get(URL, {"name": "peeters"})
    # then
    assert (_names(response), response.json()["next"]) == (["Peeters Jan", "Bakkerij Peeters"], None)


def test_it_combines_a_name_search_with_a_kind(api: ApiClient, people: list[Party]) -> None:
    # when
    response = api.get(URL, {"name": "peeters", "kind": "organisation"})
    # then
    assert _names(response) == ["Bakkerij Peeters"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"national_number": "85073003329"}, "national_number"),
        ({"enterprise_number": "0403019262"}, "enterprise_number"),
        ({"email": "not-an-email"}, "email"),
        ({"kind": "robot"}, "kind"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
    ],
)
def test_it_refuses_a_malformed_filter(
    api: ApiClient, people: list[Party], params: dict[str, Any], field: str
) -> None:
    # when
    response = api.get(URL, params)
    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_it_logs_each_person_on_the_page_once_and_no_organisation(
    api: ApiClient, people: list[Party], bakkerij: Party
) -> None:
    # when
    response = api.get(URL, {"page_size": 50})
    # then
    persons = {p["uuid"] for p in response.json()["results"] if p["kind"] == "person"}
    logged = list(PersonalDataAccess.objects.values_list("subject_uuid", flat=True))
    assert sorted(str(u) for u in logged) == sorted(persons)
    assert str(bakkerij.uuid) not in {str(u) for u in logged}
    assert set(PersonalDataAccess.objects.values_list("location", "channel")) == {("/api/v1/parties", "api")}


def test_a_page_takes_the_same_few_queries_however_many_parties_it_shows(
    api: ApiClient, people: list[Party], front_desk: User, django_assert_max_num_queries: Any
) -> None:
    # given: every party has contact points and an address
    for index, party in enumerate(people):
        add_contact_point(party=party, kind="email", value=f"p{index}@example.be", by=front_desk)
        add_contact_point(party=party, kind="mobile", value=f"047012340{index % 10}", by=front_desk)
        add_address(
            party=party,
            kind="residence",
            street="Markt",
            house_number=str(index + 1),
            postcode="2645",
            municipality="Zonnedaal",
            by=front_desk,
        )
    with CaptureQueriesContext(connection) as small_page:
        api.get(URL, {"page_size": 2})
    # when / then: token, parties, contact points, addresses, access log (+ a position on page 2)
    with django_assert_max_num_queries(len(small_page)):
        response = api.get(URL, {"page_size": 12})
    assert len(response.json()["results"]) == 12
    next_page = api.get(URL, {"page_size": 5}).json()["next"]
    with django_assert_max_num_queries(6):
        api.client.get(next_page, headers=api._headers())


def test_a_later_page_starts_the_name_index_at_its_position(api: ApiClient, people: list[Party]) -> None:
    """The keyset condition alone is an OR the database can only filter with: a page far down the
    alphabet would walk every name before it. The plain bound on search_name lets the index start there."""
    # given
    first = api.get(URL, {"page_size": 3}).json()
    # when
    with CaptureQueriesContext(connection) as queries:
        response = api.client.get(first["next"], headers=api._headers())
    # then
    assert response.status_code == 200
    page = next(
        q["sql"] for q in queries.captured_queries if 'ORDER BY "parties_party"."search_name"' in q["sql"]
    )
    assert '"parties_party"."search_name" >= ' in page
