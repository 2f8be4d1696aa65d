"""A municipality with one community centre: a hall that splits in A and B, a meeting room,
opening hours 08:00–23:00 every day, tariffs for residents and associations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from balie.accounts.actions import create_department, create_employee
from balie.accounts.models import Role, User
from balie.parties.models import Party, PartyKind
from balie.reservations.models import (
    Building,
    CancellationRule,
    CustomerCategory,
    Facility,
    Layout,
    OpeningHours,
    Room,
    RoomLayout,
    Tariff,
    TimeBlock,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    """A Belgian local time in 2026, as an aware datetime."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def room_manager(db) -> User:
    department = create_department(name="Vrije tijd", code="vrije-tijd", by=None)
    return create_employee(
        username="zalen",
        first_name="Tom",
        last_name="Claes",
        email="tom@zonnedaal.be",
        password="Balie-demo-2026",
        department=department,
        roles=[Role.ROOM_MANAGER],
        by=None,
    )


@pytest.fixture
def front_desk_clerk(room_manager: User) -> User:
    return create_employee(
        username="onthaal2",
        first_name="Olga",
        last_name="Onthaal",
        email="olga2@zonnedaal.be",
        password="Balie-demo-2026",
        department=room_manager.department,
        roles=[Role.FRONT_DESK],
        by=None,
    )


@pytest.fixture
def association(db) -> Party:
    return Party.objects.create(kind=PartyKind.ASSOCIATION, name="Toneelkring De Spiegel")


@pytest.fixture
def other_party(db) -> Party:
    return Party.objects.create(kind=PartyKind.PERSON, given_name="An", family_name="Peeters")


@pytest.fixture
def resident(db) -> CustomerCategory:
    return CustomerCategory.objects.create(code="resident", name="Inwoner", horizon_days=180)


@pytest.fixture
def recognised(db) -> CustomerCategory:
    return CustomerCategory.objects.create(code="association", name="Erkende vereniging", horizon_days=365)


@pytest.fixture
def building(db) -> Building:
    return Building.objects.create(
        name="Gemeenschapscentrum De Kring",
        street="Dorpsstraat",
        house_number="12",
        postcode="2645",
        municipality="Zonnedaal",
    )


def _room(building: Building, code: str, name: str, capacity: int, **extra) -> Room:
    room = Room.objects.create(building=building, code=code, name=name, **extra)
    RoomLayout.objects.create(room=room, layout=Layout.THEATRE, capacity=capacity)
    RoomLayout.objects.create(room=room, layout=Layout.CLASSROOM, capacity=capacity // 2)
    OpeningHours.objects.bulk_create(
        [OpeningHours(room=room, weekday=d, opens=dt.time(8), closes=dt.time(23)) for d in range(7)]
    )
    return room


@pytest.fixture
def hall_a(building: Building) -> Room:
    return _room(building, "zaal-a", "Zaal A", 80, buffer_after=dt.timedelta(minutes=30))


@pytest.fixture
def hall_b(building: Building) -> Room:
    return _room(building, "zaal-b", "Zaal B", 60, buffer_after=dt.timedelta(minutes=30))


@pytest.fixture
def hall_ab(building: Building, hall_a: Room, hall_b: Room) -> Room:
    room = _room(building, "zaal-ab", "Zaal A+B", 140, buffer_after=dt.timedelta(minutes=30))
    room.parts.set([hall_a, hall_b])
    return room


@pytest.fixture
def meeting_room(building: Building) -> Room:
    return _room(building, "vergaderzaal", "Vergaderzaal", 20)


@pytest.fixture
def projector(db) -> Facility:
    return Facility.objects.create(code="projector", name="Projector", oslo_type="projectie")


@pytest.fixture
def tariffs(
    hall_a: Room, resident: CustomerCategory, recognised: CustomerCategory, projector: Facility
) -> None:
    start = dt.date(2026, 1, 1)
    Tariff.objects.bulk_create(
        [
            Tariff(
                room=hall_a,
                category=resident,
                time_block=TimeBlock.HOUR,
                valid_from=start,
                price=Decimal("25"),
                deposit=Decimal("100"),
            ),
            Tariff(
                room=hall_a,
                category=resident,
                time_block=TimeBlock.EVENING,
                valid_from=start,
                price=Decimal("90"),
                deposit=Decimal("100"),
            ),
            Tariff(
                room=hall_a,
                category=recognised,
                time_block=TimeBlock.HOUR,
                valid_from=start,
                price=Decimal("10"),
                vat_rate=Decimal("0"),
            ),
            Tariff(
                facility=projector,
                category=resident,
                time_block=TimeBlock.HOUR,
                valid_from=start,
                price=Decimal("5"),
            ),
        ]
    )
    CancellationRule.objects.bulk_create(
        [
            CancellationRule(days_before=14, refund_percent=100),
            CancellationRule(days_before=3, refund_percent=50),
        ]
    )


# --- payments and door access: the building's zone on a real demo door controller (loopback) ------

DOOR_KEY_VARIABLE = "BALIE_TEST_ROOMS_DOOR_KEY"


@pytest.fixture
def demo_door(monkeypatch: pytest.MonkeyPatch):
    from balie.room_access.adapters.demo_controller import DemoDoorController

    controller = DemoDoorController().start()
    monkeypatch.setenv(DOOR_KEY_VARIABLE, controller.api_key)
    yield controller
    controller.stop()


@pytest.fixture
def door_zone(building: Building, demo_door, room_manager: User):
    from balie.room_access.actions import create_door_controller, create_door_zone

    controller = create_door_controller(
        name="Toegang", base_url=demo_door.url, api_key_variable=DOOR_KEY_VARIABLE, by=None
    )
    zone = create_door_zone(name=building.name, controller=controller, zone_id="kring-hoofdingang", by=None)
    building.door_zone = zone
    building.save()
    return zone


@pytest.fixture
def cashier(room_manager: User) -> User:
    return create_employee(
        username="kassa",
        first_name="Els",
        last_name="Goossens",
        email="els@zonnedaal.be",
        password="Balie-demo-2026",
        department=room_manager.department,
        roles=[Role.CASHIER],
        by=None,
    )


def days_ahead(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """Belgian local time `days` from today (real time: grants are only issued for future slots)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def pay_at_register(order, cashier: User) -> None:
    """The booker pays the whole order by card at the counter (payments' register)."""
    from balie.payments.models import CashRegister
    from balie.payments.register import open_session, settle_at_register

    register, _created = CashRegister.objects.get_or_create(name="Onthaal kassa 1")
    session = register.sessions.filter(closed_at__isnull=True).first() or open_session(
        register=register, opening_float="0", by=cashier
    )
    settle_at_register(session=session, order=order, method="card", by=cashier)


def deliver_outbox() -> None:
    from balie.core.outbox import deliver_due

    deliver_due(now=timezone.now())
