"""Another system adds an e-mail address or phone number to a party."""

from __future__ import annotations

import uuid

import pytest

from balie.parties.models import ContactPoint, Party

from .conftest import ApiClient, row_counts


def test_it_adds_an_email_address_normalised(api: ApiClient, jan: Party) -> None:
    # when
    response = api.post(
        f"/api/v1/parties/{jan.uuid}/contact-points", {"kind": "email", "value": "Jan@Example.BE"}
    )
    # then
    assert response.status_code == 201
    point = ContactPoint.objects.get(party=jan)
    assert response.json() == {
        "uuid": str(point.uuid),
        "kind": "email",
        "value": "jan@example.be",
        "preferred": True,
        "verified": False,
    }


def test_it_stores_a_phone_number_in_international_form(api: ApiClient, jan: Party) -> None:
    # when
    response = api.post(
        f"/api/v1/parties/{jan.uuid}/contact-points", {"kind": "mobile", "value": "0470 12 34 56"}
    )
    # then
    assert (response.status_code, response.json()["value"]) == (201, "+32470123456")


def test_it_returns_the_existing_one_when_added_twice(api: ApiClient, jan: Party) -> None:
    # given
    first = api.post(
        f"/api/v1/parties/{jan.uuid}/contact-points", {"kind": "email", "value": "jan@example.be"}
    )
    # when
    second = api.post(
        f"/api/v1/parties/{jan.uuid}/contact-points", {"kind": "email", "value": "JAN@example.be"}
    )
    # then
    assert (second.status_code, second.json()["uuid"]) == (200, first.json()["uuid"])
    assert ContactPoint.objects.filter(party=jan).count() == 1


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("email", "not-an-email", "value"),
        ("email", "jan@", "value"),
        ("phone", "12", "value"),
        ("mobile", "hallo", "value"),
        ("email", "a" * 250 + "@x.be", "value"),
        ("fax", "03 555 12 34", "kind"),
    ],
)
def test_it_refuses_a_malformed_contact_point_and_saves_nothing(
    api: ApiClient, jan: Party, kind: str, value: str, field: str
) -> None:
    # given
    before = row_counts()
    # when
    response = api.post(f"/api/v1/parties/{jan.uuid}/contact-points", {"kind": kind, "value": value})
    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert row_counts() == before


def test_it_answers_404_for_an_unknown_party(api: ApiClient) -> None:
    # when
    response = api.post(
        f"/api/v1/parties/{uuid.uuid4()}/contact-points", {"kind": "email", "value": "a@b.be"}
    )
    # then
    assert response.status_code == 404
