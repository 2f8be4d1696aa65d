"""A real Dovecot with the info@ mailbox, a mailbox in Balie that reads it, a simple case type."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from balie.accounts.actions import create_employee
from balie.accounts.models import Department, Role, User
from balie.cases import catalogue
from balie.cases.models import CaseType, RoleKind
from balie.mailboxes.models import ImapSecurity, Mailbox
from balie.parties.actions import add_contact_point, register_party
from balie.parties.models import Party

from .dovecot import Dovecot

SECRET_SETTING = "BALIE_TEST_MAILBOX_PASSWORD"


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:
    """Plain http for the test client; {% static %} without collectstatic's manifest."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def admin(omgeving: Department) -> User:
    return create_employee(
        username="beheer",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


@pytest.fixture
def mailbox(omgeving: Department, dovecot: Dovecot, monkeypatch) -> Mailbox:
    monkeypatch.setenv(SECRET_SETTING, dovecot.password)
    return make_mailbox(omgeving, dovecot)


def make_mailbox(department: Department, dovecot: Dovecot | None, **fields: object) -> Mailbox:
    return Mailbox.objects.create(
        name="Info",
        address="info@zonnedaal.be",
        department=department,
        imap_host=dovecot.host if dovecot else "127.0.0.1",
        imap_port=dovecot.port if dovecot else 1,
        imap_security=ImapSecurity.NONE,
        imap_username=dovecot.user if dovecot else "info@zonnedaal.be",
        secret_setting=SECRET_SETTING,
        **fields,
    )


@pytest.fixture
def question_type(admin: User, omgeving: Department) -> CaseType:
    """A case type without required attributes: a question by mail can become one."""
    draft = catalogue.create_case_type(code="vraag", name="Vraag", department=omgeving, by=admin)
    draft = catalogue.update_version(version=draft, by=admin, lead_time_days=10)
    received = catalogue.add_status_type(version=draft, by=admin, name="Ontvangen")
    done = catalogue.add_status_type(version=draft, by=admin, name="Beantwoord")
    catalogue.set_transitions(status=received, by=admin, next_statuses=[done])
    catalogue.add_role_type(version=draft, by=admin, kind=RoleKind.INITIATOR, name="Aanvrager")
    catalogue.add_result_type(
        version=draft, by=admin, name="Beantwoord", archival_nomination="destroy", retention_years=2
    )
    return catalogue.publish_version(version=draft, by=admin).case_type


@pytest.fixture
def an(db) -> Party:
    party, _ = register_party(kind="person", by=None, given_name="An", family_name="Peeters")
    add_contact_point(party=party, kind="email", value="an.peeters@example.org", by=None)
    return party
