"""Shared test fixtures: a small municipality with employees in two departments and an outsider."""

from __future__ import annotations

import pytest

from balie.accounts.actions import create_department, create_employee, create_team
from balie.accounts.models import Department, Role, User


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """PBKDF2 is slow on purpose; tests don't need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fictional_postcodes(settings) -> None:
    """The tests live in the demo's Gemeente Zonnedaal: its invented postcodes 2645 and 2646 exist.
    No address register is asked unless a test starts the demo one (authentic_sources' tests)."""
    settings.BALIE_FICTIONAL_POSTCODES = True
    settings.BALIE_ADDRESS_REGISTER_URL = "off"


@pytest.fixture
def burgerzaken(db) -> Department:
    return create_department(name="Burgerzaken", code="burgerzaken", by=None)


@pytest.fixture
def omgeving(db) -> Department:
    return create_department(name="Omgeving", code="omgeving", by=None)


@pytest.fixture
def front_desk(burgerzaken: Department) -> User:
    return create_employee(
        username="onthaal",
        first_name="Olga",
        last_name="Onthaal",
        email="olga@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.FRONT_DESK],
        by=None,
    )


@pytest.fixture
def handler(omgeving: Department) -> User:
    team = create_team(department=omgeving, name="Wegen", by=None)
    return create_employee(
        username="behandelaar",
        first_name="Hans",
        last_name="Handel",
        email="hans@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        team=team,
        roles=[Role.CASE_HANDLER],
        by=None,
    )


@pytest.fixture
def privacy_officer(burgerzaken: Department) -> User:
    return create_employee(
        username="privacy",
        first_name="Pia",
        last_name="Privacy",
        email="pia@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.PRIVACY_OFFICER],
        by=None,
    )


@pytest.fixture
def citizen(db) -> User:
    """An outsider: a logged-in account that is not an employee."""
    return User.objects.create_user(
        username="burger", password="Balie-demo-2026", kind="citizen", email="burger@example.be"
    )


@pytest.fixture(scope="session", autouse=True)
def _libreoffice_closed_at_the_end():
    """Tests that convert share this process's LibreOffice (documents.conversion), started on the
    first conversion; it is closed when the session ends, so no soffice outlives the tests."""
    yield
    from balie.documents.conversion import shutdown_converter

    shutdown_converter()
