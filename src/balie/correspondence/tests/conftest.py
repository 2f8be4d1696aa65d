"""A post room, the departments it sends post to, senders, and files stored under a MEDIA_ROOT of
each test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from balie.accounts.actions import create_department, create_employee
from balie.accounts.models import Department, Role, User

# The case engine's fixtures (a published case type, a team lead, an applicant).
from balie.cases.tests.conftest import admin, applicant, permit_type, permit_version, team_lead  # noqa: F401
from balie.parties.actions import register_party
from balie.parties.models import Party


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def communicatie(db) -> Department:
    return create_department(name="Communicatie", code="communicatie", by=None)


@pytest.fixture
def post_room(communicatie: Department) -> User:
    return create_employee(
        username="postkamer",
        first_name="Bart",
        last_name="Wouters",
        email="bart@zonnedaal.be",
        password="Balie-demo-2026",
        department=communicatie,
        roles=[Role.POST_ROOM],
        by=None,
    )


@pytest.fixture
def colleague(omgeving: Department, handler: User) -> User:
    """A second handler of Omgeving (the department the letters go to)."""
    return create_employee(
        username="collega",
        first_name="Ilse",
        last_name="Coppens",
        email="ilse@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        team=handler.team,
        roles=[Role.CASE_HANDLER],
        by=None,
    )


@pytest.fixture
def outsider(burgerzaken: Department) -> User:
    """An employee of another department (Burgerzaken): sees no confidential post of Omgeving."""
    return create_employee(
        username="buiten",
        first_name="Olaf",
        last_name="Buiten",
        email="olaf@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.CASE_HANDLER],
        by=None,
    )


@pytest.fixture
def sender(db) -> Party:
    party, _ = register_party(kind="person", by=None, given_name="Marc", family_name="Claes")
    return party
