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
        door_zone_code="kring-hoofdingang",
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
