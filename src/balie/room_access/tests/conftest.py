"""Door access tests run against a real demo door controller on loopback, reached through the
production HTTP adapter (an address and a key in an environment variable)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from balie.accounts.actions import create_employee
from balie.accounts.models import Department, Role, User
from balie.core.outbox import DeliveryRun, deliver_due
from balie.parties.actions import add_contact_point, register_party
from balie.parties.models import Party
from balie.room_access.actions import create_door_controller, create_door_zone
from balie.room_access.adapters.demo_controller import DemoDoorController
from balie.room_access.models import DoorController, DoorZone

KEY_VARIABLE = "BALIE_TEST_DOOR_KEY"


@pytest.fixture
def demo_controller(monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoDoorController]:
    controller = DemoDoorController().start()
    monkeypatch.setenv(KEY_VARIABLE, controller.api_key)
    yield controller
    controller.stop()


@pytest.fixture
def door_controller(db, demo_controller: DemoDoorController) -> DoorController:
    return create_door_controller(
        name="Toegang gemeentelijke gebouwen",
        base_url=demo_controller.url,
        api_key_variable=KEY_VARIABLE,
        by=None,
    )


@pytest.fixture
def zone(door_controller: DoorController) -> DoorZone:
    return create_door_zone(
        name="Ontmoetingscentrum De Linde", controller=door_controller, zone_id="linde-hoofdingang", by=None
    )


@pytest.fixture
def holder(db) -> Party:
    party, _created = register_party(kind="association", by=None, name="Toneelkring De Planken")
    add_contact_point(party=party, kind="email", value="secretariaat@deplanken.be", by=None)
    return party


@pytest.fixture
def room_manager(burgerzaken: Department) -> User:
    return create_employee(
        username="zalen",
        first_name="Tom",
        last_name="Claes",
        email="tom@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.ROOM_MANAGER],
        by=None,
    )


@pytest.fixture
def admin(burgerzaken: Department) -> User:
    return create_employee(
        username="beheer",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


def tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    local = timezone.localtime() + dt.timedelta(days=1)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def deliver(*, now: dt.datetime | None = None) -> DeliveryRun:
    return deliver_due(now=now or timezone.now())
