"""Fixtures for the MAGDA tests (imported by the test_magda_* modules): the demo service on
loopback, a legal purpose, a person and an organisation known to the demo register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from balie.accounts.models import User
from balie.authentic_sources.magda.demo import DemoMagdaService, ensure_demo_service
from balie.authentic_sources.models import LegalPurpose
from balie.parties.actions import add_address, register_party
from balie.parties.models import Party


def insz(birth: str, counter: str) -> str:
    """A valid national number (born in the 1900s): birth 'yymmdd', a three-digit day counter."""
    base = f"{birth}{counter}"
    return f"{base}{97 - int(base) % 97:02d}"


def kbo(base: str) -> str:
    """A valid enterprise number from its first eight digits."""
    return f"{base}{97 - int(base) % 97:02d}"


@pytest.fixture
def magda(settings) -> Iterator[DemoMagdaService]:
    """The demo MAGDA service of this test process (BALIE_MAGDA_URL empty), fresh for each test."""
    settings.BALIE_MAGDA_URL = ""
    settings.BALIE_MAGDA_TIMEOUT = 2.0
    settings.BALIE_MAGDA_SENDER_ID = "0212645081"
    service = ensure_demo_service()
    service.behaviour.reset()
    yield service
    service.behaviour.reset()


@pytest.fixture
def purpose(db) -> LegalPurpose:
    return LegalPurpose.objects.create(
        capacity_code="1300",
        description="Burgerzaken: dossier van de burger",
        legal_basis="Decreet lokaal bestuur",
    )


@pytest.fixture
def person(front_desk: User) -> Party:
    party, _created = register_party(
        kind="person",
        family_name="Peeters",
        given_name="Jan",
        birth_date=dt.date(1985, 7, 30),
        gender="M",
        national_number=insz("850730", "033"),
        by=front_desk,
    )
    add_address(
        party=party,
        kind="residence",
        street="Kerkstraat",
        house_number="12",
        postcode="2640",
        municipality="Mortsel",
        valid_from=dt.date(2015, 3, 1),
        by=front_desk,
    )
    return party


@pytest.fixture
def organisation(front_desk: User) -> Party:
    party, _created = register_party(
        kind="organisation",
        name="Bakkerij De Zon",
        enterprise_number=kbo("04030192"),
        legal_form="bv",
        by=front_desk,
    )
    return party
