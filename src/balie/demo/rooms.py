"""Demo rooms: two buildings, a hall that splits in A and B, meeting rooms, tariffs from the
council's regulation, and a month of bookings around today (for the `zalen` login)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.accounts.models import User
from balie.parties.models import Party, PartyKind
from balie.reservations.actions import (
    block_room,
    cancel_booking,
    complete_booking,
    confirm_booking,
    join_waiting_list,
    request_booking,
)
from balie.reservations.models import (
    BookerFeed,
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
from balie.reservations.series import book_series
from balie.room_access.models import DoorZone

CATEGORIES = [
    ("resident", "Inwoner", 180, None),
    ("association", "Erkende vereniging", 365, 12),
    ("company", "Onderneming", 120, None),
    ("non_resident", "Niet-inwoner", 90, None),
    ("internal", "Gemeentelijke dienst", 365, None),
]
FACILITIES = [
    ("projector", "Projector en scherm", "projectie"),
    ("hybrid", "Hybride vergaderkit", "audiovisueel"),
    ("kitchen", "Keuken", "keuken"),
    ("sound", "Geluidsinstallatie", "klankinstallatie"),
]
# code, name, building, capacity (theatre), buffer after (min), requires approval, facilities, parts
ROOMS = [
    ("kring-zaal-a", "Zaal A", 0, 120, 30, False, ["sound", "kitchen"], []),
    ("kring-zaal-b", "Zaal B", 0, 80, 30, False, ["projector"], []),
    (
        "kring-zaal-ab",
        "Zaal A+B",
        0,
        200,
        60,
        True,
        ["sound", "kitchen", "projector"],
        ["kring-zaal-a", "kring-zaal-b"],
    ),
    ("kring-vergaderzaal", "Vergaderzaal De Kring", 0, 24, 0, False, ["projector", "hybrid"], []),
    ("bib-leeszaal", "Leeszaal bibliotheek", 1, 60, 15, True, ["projector"], []),
    ("bib-vergaderzaal", "Vergaderzaal bibliotheek", 1, 12, 0, False, ["hybrid"], []),
]
# hourly prices per category (excl. VAT); evening and day blocks follow from them
HOURLY = {"resident": 20, "association": 8, "company": 45, "non_resident": 30}


def _local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def build_rooms(*, rng: random.Random, now: dt.datetime, room_manager: User, customers: list[Party]) -> int:
    """Returns the number of bookings made."""
    buildings = [
        Building.objects.create(
            name="Gemeenschapscentrum De Kring",
            street="Dorpsstraat",
            house_number="12",
            postcode="2645",
            municipality="Zonnedaal",
            door_zone=DoorZone.objects.filter(name="Gemeenschapscentrum De Kring").first(),
        ),
        Building.objects.create(
            name="Bibliotheek Zonnedaal",
            street="Kerkplein",
            house_number="3",
            postcode="2645",
            municipality="Zonnedaal",
            door_zone=DoorZone.objects.filter(name="Bibliotheek Zonnedaal").first(),
        ),
    ]
    categories = {
        code: CustomerCategory.objects.create(
            code=code, name=name, horizon_days=days, max_bookings_per_month=quota
        )
        for code, name, days, quota in CATEGORIES
    }
    facilities = {
        code: Facility.objects.create(code=code, name=name, oslo_type=t) for code, name, t in FACILITIES
    }
    rooms: dict[str, Room] = {}
    for code, name, building, capacity, buffer, approval, with_facilities, parts in ROOMS:
        room = Room.objects.create(
            building=buildings[building],
            code=code,
            name=name,
            buffer_after=dt.timedelta(minutes=buffer),
            requires_approval=approval,
            wheelchair_accessible=True,
            accessibility="Gelijkvloers, aangepast toilet, ringleiding.",
            cancellation_terms="Kosteloos annuleren tot 14 dagen vooraf; tot 3 dagen vooraf de helft terug.",
            graph_mailbox=f"{code}@zonnedaal.be" if building == 0 else "",
        )
        room.facilities.set([facilities[f] for f in with_facilities])
        if parts:
            room.parts.set([rooms[p] for p in parts])
        RoomLayout.objects.bulk_create(
            [
                RoomLayout(room=room, layout=Layout.THEATRE, capacity=capacity),
                RoomLayout(room=room, layout=Layout.CLASSROOM, capacity=capacity // 2),
                RoomLayout(room=room, layout=Layout.U_SHAPE, capacity=max(8, capacity // 4)),
                RoomLayout(room=room, layout=Layout.RECEPTION, capacity=int(capacity * 1.5)),
            ]
        )
        OpeningHours.objects.bulk_create(
            [OpeningHours(room=room, weekday=d, opens=dt.time(8), closes=dt.time(23)) for d in range(7)]
        )
        rooms[code] = room
    valid_from = timezone.localdate(now).replace(month=1, day=1)
    tariffs = []
    for room in rooms.values():
        size = Decimal(max(1, room.layouts.get(layout=Layout.THEATRE).capacity // 40))
        for category, hourly in HOURLY.items():
            price = Decimal(hourly) * size
            vat = Decimal("0") if category == "association" else Decimal("21")
            deposit = Decimal("0") if category == "association" else Decimal("100") * size
            for block, factor in [
                (TimeBlock.HOUR, 1),
                (TimeBlock.EVENING, 3),
                (TimeBlock.DAY, 7),
                (TimeBlock.WEEKEND, 8),
            ]:
                tariffs.append(
                    Tariff(
                        room=room,
                        category=categories[category],
                        time_block=block,
                        valid_from=valid_from,
                        price=price * factor,
                        vat_rate=vat,
                        deposit=deposit,
                    )
                )
    for facility in facilities.values():
        for category in ("resident", "company", "non_resident", "association"):
            tariffs.append(
                Tariff(
                    facility=facility,
                    category=categories[category],
                    time_block=TimeBlock.HOUR,
                    valid_from=valid_from,
                    price=Decimal("5"),
                    vat_rate=Decimal("21"),
                )
            )
    Tariff.objects.bulk_create(tariffs)
    CancellationRule.objects.bulk_create(
        [
            CancellationRule(days_before=14, refund_percent=100),
            CancellationRule(days_before=3, refund_percent=50),
        ]
    )
    associations = [p for p in customers if p.kind == PartyKind.ASSOCIATION] or customers
    persons = [p for p in customers if p.kind == PartyKind.PERSON] or customers
    companies = [p for p in customers if p.kind == PartyKind.ORGANISATION] or customers
    today = timezone.localdate(now)
    made = 0
    # an association's weekly rehearsal, eight weeks from next Tuesday
    tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)
    _series, weekly = book_series(
        room=rooms["kring-zaal-b"],
        party=associations[0],
        category=categories["association"],
        first=tuesday,
        start=dt.time(19, 30),
        end=dt.time(22),
        weeks=8,
        purpose="Wekelijkse repetitie",
        by=room_manager,
        attendees=30,
        now=now,
    )
    for booking in weekly:
        confirm_booking(booking=booking, by=room_manager, now=now)
    made += len(weekly)
    BookerFeed.objects.create(party=associations[0])
    block_room(
        room=rooms["kring-zaal-a"],
        starts_at=_local(today + dt.timedelta(days=10), 8),
        ends_at=_local(today + dt.timedelta(days=11), 23),
        reason="Schilderwerken",
        by=room_manager,
    )
    plan = [
        ("kring-zaal-a", persons, "resident", "Verjaardagsfeest", 50),
        ("kring-vergaderzaal", companies, "company", "Teamvergadering", 12),
        ("bib-vergaderzaal", associations, "association", "Bestuursvergadering", 8),
        ("kring-zaal-ab", associations, "association", "Jaarlijks eetfestijn", 150),
        ("bib-leeszaal", persons, "non_resident", "Lezing", 40),
        ("kring-zaal-a", companies, "company", "Productvoorstelling", 80),
    ]
    for offset in range(-14, 21):
        day = today + dt.timedelta(days=offset)
        for code, parties, category, purpose, attendees in rng.sample(plan, 2):
            hour = rng.choice([9, 14, 19])
            starts, ends = _local(day, hour), _local(day, hour + (3 if hour < 19 else 4))
            made_at = now if starts > now else starts - dt.timedelta(days=20)
            try:
                booking = request_booking(
                    room=rooms[code],
                    party=rng.choice(parties),
                    category=categories[category],
                    starts_at=starts,
                    ends_at=ends,
                    purpose=purpose,
                    attendees=attendees,
                    by=room_manager,
                    now=made_at,
                    facilities=list(rooms[code].facilities.all()[:1]),
                    channel=rng.choice(["counter", "web", "phone"]),
                )
            except ValidationError:
                continue  # taken or blocked: the demo keeps what fits
            made += 1
            if offset < 0 or rng.random() < 0.6:
                if rooms[code].requires_approval and offset >= 0 and rng.random() < 0.5:
                    continue  # waits for approval
                if rooms[code].requires_approval:
                    from balie.reservations.actions import approve_booking

                    approve_booking(booking=booking, by=room_manager, now=made_at)
                booking = confirm_booking(booking=booking, by=room_manager, now=made_at)
                if offset < 0:
                    complete_booking(booking=booking, by=None, now=now)
                elif rng.random() < 0.1:
                    cancel_booking(booking=booking, by=room_manager, reason="Activiteit afgelast", now=now)
    wanted = weekly[1]
    join_waiting_list(
        room=wanted.room,
        party=persons[0],
        category=categories["resident"],
        starts_at=wanted.starts_at,
        ends_at=wanted.ends_at,
        purpose="Verjaardagsfeest",
        by=room_manager,
    )
    return made
