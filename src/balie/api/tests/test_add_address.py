"""Another system adds an address to a party; the previous one of that kind ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from balie.parties.models import Address, Party

from .conftest import ApiClient, row_counts

MARKT = {
    "kind": "residence",
    "street": "Markt",
    "house_number": "1",
    "postcode": "2645",
    "municipality": "Zonnedaal",
}


def test_it_adds_an_address_from_today(api: ApiClient, jan: Party) -> None:
    # when
    response = api.post(f"/api/v1/parties/{jan.uuid}/addresses", MARKT)
    # then
    assert response.status_code == 201
    address = Address.objects.get(party=jan)
    assert response.json() == {
        "uuid": str(address.uuid),
        "kind": "residence",
        "street": "Markt",
        "house_number": "1",
        "box": "",
        "postcode": "2645",
        "municipality": "Zonnedaal",
        "country": "BE",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": None,
    }


def test_it_ends_the_previous_address_of_the_same_kind(api: ApiClient, jan: Party) -> None:
    # given
    api.post(f"/api/v1/parties/{jan.uuid}/addresses", {**MARKT, "valid_from": "2020-01-01"})
    # when
    response = api.post(
        f"/api/v1/parties/{jan.uuid}/addresses", {**MARKT, "street": "Kerkstraat", "valid_from": "2026-03-01"}
    )
    # then
    assert response.status_code == 201
    assert list(
        Address.objects.filter(party=jan).order_by("valid_from").values_list("street", "valid_until")
    ) == [
        ("Markt", dt.date(2026, 2, 28)),
        ("Kerkstraat", None),
    ]


def test_it_returns_the_current_address_when_sent_again(api: ApiClient, jan: Party) -> None:
    # given
    first = api.post(f"/api/v1/parties/{jan.uuid}/addresses", MARKT)
    # when
    second = api.post(f"/api/v1/parties/{jan.uuid}/addresses", MARKT)
    # then
    assert (second.status_code, second.json()["uuid"]) == (200, first.json()["uuid"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postcode": "264"}, "postcode"),
        ({"street": "<script>alert(1)</script>"}, "street"),
        ({"street": "S" * 151}, "street"),
        ({"country": "BEL"}, "country"),
        ({"kind": "holiday"}, "kind"),
        ({"street": None}, "street"),
    ],
)
def test_it_refuses_a_bad_address_and_saves_nothing(
    api: ApiClient, jan: Party, change: dict[str, Any], field: str
) -> None:
    # given
    before = row_counts()
    # when
    response = api.post(f"/api/v1/parties/{jan.uuid}/addresses", {**MARKT, **change})
    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert row_counts() == before
