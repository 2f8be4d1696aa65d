"""Fixtures of the dispatch tests: addressees with an e-mail address, INSZ or enterprise number
and a postal address, an outgoing letter, a real SMTP server (aiosmtpd) and the demo eBox over
HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from balie.correspondence.adapters import ebox as ebox_adapter
from balie.correspondence.adapters.demo_ebox import DemoEbox
from balie.correspondence.models import PostItem

# The signing tests' certificates: a test root and the municipality's certificate as settings.
from balie.documents.tests.signing_fixtures import municipality_certificate, seal, test_root  # noqa: F401
from balie.parties.actions import add_address, add_contact_point, register_party
from balie.parties.models import Party

from .helpers import ENTERPRISE, INSZ, Inbox, free_port, outgoing_letter


@pytest.fixture
def smtp_inbox(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def _demo_ebox_server() -> Iterator[DemoEbox]:
    with DemoEbox(port=0) as server:
        yield server


@pytest.fixture
def demo_ebox(_demo_ebox_server: DemoEbox, settings) -> Iterator[DemoEbox]:
    """The demo eBox, empty and without faults, and Balie pointed at it with the demo client."""
    settings.BALIE_EBOX_URL = _demo_ebox_server.url
    settings.BALIE_EBOX_TOKEN_URL = ""
    settings.BALIE_EBOX_CLIENT_ID = "balie-demo"
    settings.BALIE_EBOX_CLIENT_SECRET = "demo-ebox-geheim"
    settings.BALIE_EBOX_TIMEOUT = 2.0
    _demo_ebox_server.clear()
    ebox_adapter._tokens.forget()
    yield _demo_ebox_server
    _demo_ebox_server.clear()
    ebox_adapter._tokens.forget()


@pytest.fixture
def citizen_party(db) -> Party:
    """A person with an e-mail address, an INSZ and a domicile in Zonnedaal."""
    party, _ = register_party(
        kind="person", by=None, given_name="Marc", family_name="Claes", national_number=INSZ
    )
    add_contact_point(party=party, kind="email", value="marc.claes@example.be", preferred=True, by=None)
    add_address(
        party=party,
        by=None,
        kind="residence",
        street="Kerkstraat",
        house_number="12",
        box="3",
        postcode="2645",
        municipality="Zonnedaal",
    )
    return party


@pytest.fixture
def company(db) -> Party:
    party, _ = register_party(
        kind="organisation", by=None, name="Bakkerij De Gouden Aar", enterprise_number=ENTERPRISE
    )
    add_address(
        party=party,
        by=None,
        kind="registered_office",
        street="Markt",
        house_number="3",
        postcode="2645",
        municipality="Zonnedaal",
    )
    return party


@pytest.fixture
def letter(handler, citizen_party) -> PostItem:
    return outgoing_letter(handler, citizen_party)
