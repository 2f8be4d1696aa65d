"""Fixtures for the back-office tests: a signed-in client per role and a few customers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from balie.accounts.models import User

# The demo address register on loopback, for the address form.
from balie.authentic_sources.tests.address_fixtures import _demo_register_server, demo_register  # noqa: F401

# The demo MAGDA service and a legal purpose, for "fetch from the Rijksregister".
from balie.authentic_sources.tests.magda_fixtures import magda, purpose  # noqa: F401

# The case engine's fixtures (a published case type, a team lead, an applicant), for the case pages.
from balie.cases.tests.conftest import admin, applicant, permit_type, permit_version, team_lead  # noqa: F401

# The complaints' fixtures (the coordinator, the complaint case type, a complainant, a maker).
from balie.complaints.tests.conftest import complainant, complaint_type, coordinator, make_complaint  # noqa: F401
from balie.contact_moments.actions import create_topic
from balie.contact_moments.models import Topic

# The post register's fixtures (the post room, a sender, employees of Omgeving and Burgerzaken).
from balie.correspondence.tests.conftest import colleague, communicatie, outsider, post_room, sender  # noqa: F401

# The letters' fixtures (an administrator, the blocks, an acknowledgement template, a customer),
# and documents kept under each test's own MEDIA_ROOT.
from balie.documents.tests.conftest import acknowledgement, an, blocks, letter_admin, media_root  # noqa: F401

# Signing: a test certification authority, the municipality's certificate, the algemeen directeur.
from balie.documents.tests.signing_fixtures import (  # noqa: F401
    adjunct,
    approved_letter_procedure,
    directeur,
    directeur_function,
    letter,
    municipality_certificate,
    seal,
    secretariaat,
    test_root,
)
from balie.parties.actions import add_address, add_contact_point, register_party
from balie.parties.models import Party


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:
    """Pages link their CSS through {% static %}, and tests run without collectstatic's manifest;
    the test client speaks plain http, so the production https redirect is off."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def insz(birth: str, serial: str = "001") -> str:
    """A valid national number for someone born in the 1900s (birth = 'yymmdd')."""
    base = f"{birth}{serial}"
    return f"{base}{97 - int(base) % 97:02d}"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk(front_desk: User) -> Client:
    return client_for(front_desk)


@pytest.fixture
def jan(front_desk: User) -> Party:
    party, _ = register_party(
        kind="person",
        family_name="Peeters",
        given_name="Jan",
        birth_date=dt.date(1985, 7, 30),
        national_number=insz("850730", "033"),
        by=front_desk,
    )
    add_contact_point(party=party, kind="email", value="jan.peeters@example.be", by=front_desk)
    add_contact_point(party=party, kind="mobile", value="0470 12 34 56", by=front_desk)
    add_address(
        party=party,
        kind="residence",
        street="Kerkstraat",
        house_number="12",
        postcode="2640",
        municipality="Mortsel",
        by=front_desk,
    )
    return party


@pytest.fixture
def bakkerij(front_desk: User) -> Party:
    party, _ = register_party(
        kind="organisation",
        name="Bakkerij De Zon",
        enterprise_number="0403.019.261",
        legal_form="bv",
        by=front_desk,
    )
    return party


@pytest.fixture
def topic(burgerzaken) -> Topic:
    return create_topic(name="Identiteitskaart", department=burgerzaken, by=None)


def html(response) -> str:
    return response.content.decode()


def field_error(response, name: str) -> str:
    """The message shown next to a field, after checking that the field points to it."""
    import re

    page = html(response)
    match = re.search(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', page, re.S)
    assert match, f"no error shown next to {name}"
    widget = re.search(rf'<(?:input|select|textarea)[^>]*\bname="{name}"[^>]*>', page)
    assert widget, f"no field {name}"
    assert f"id_{name}_error" in widget.group(0) and 'aria-invalid="true"' in widget.group(0)
    return match.group(1).strip()


@pytest.fixture
def functional_admin(burgerzaken) -> User:
    from balie.accounts.actions import create_employee
    from balie.accounts.models import Role

    return create_employee(
        username="beheerder",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


@pytest.fixture
def admin_client(functional_admin: User) -> Client:
    return client_for(functional_admin)
