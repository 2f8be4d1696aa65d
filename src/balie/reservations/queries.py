"""Reads: bookings only for employees who work with rooms ("not found" for everyone else); the
planning board; occupancy and revenue figures."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from balie.parties.models import AddressKind, Party, PartyKind

from .availability import busy_rooms
from .models import (
    LIVE_STATUSES,
    Booking,
    BookingStatus,
    CancellationRule,
    CustomerCategory,
    Room,
    Tariff,
    TimeBlock,
    WaitingListEntry,
)
from .permissions import can_book_rooms


def bookings_for(user: Any) -> QuerySet[Booking]:
    if not can_book_rooms(user):
        return Booking.objects.none()
    return Booking.objects.select_related("room__building", "party", "category")


def get_booking_for(user: Any, booking_uuid: uuid.UUID) -> Booking:
    """Raises Booking.DoesNotExist for what the user may not see."""
    return bookings_for(user).get(uuid=booking_uuid)


def rooms() -> QuerySet[Room]:
    return Room.objects.filter(active=True).select_related("building").prefetch_related("layouts")


def awaiting_approval_for(user: Any) -> QuerySet[Booking]:
    return (
        bookings_for(user)
        .filter(status=BookingStatus.OPTION, room__requires_approval=True)
        .order_by("starts_at")
    )


def waiting_list_for(user: Any) -> QuerySet[WaitingListEntry]:
    if not can_book_rooms(user):
        return WaitingListEntry.objects.none()
    return WaitingListEntry.objects.select_related("room", "party").filter(status__in=["waiting", "offered"])


@dataclass(frozen=True)
class Cell:
    day: dt.date
    bookings: list[Booking]
    busy_minutes: int


@dataclass(frozen=True)
class Board:
    days: list[dt.date]
    rows: list[tuple[Room, list[Cell]]]


def planning_board_for(user: Any, *, first: dt.date, days: int = 7) -> Board:
    """Rooms × days: each cell the bookings that start that day, and the minutes the room is busy
    (occupancy: other rooms' combined bookings, buffers and blackouts included). Two queries."""
    zone = timezone.get_current_timezone()
    dates = [first + dt.timedelta(days=n) for n in range(days)]
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(first + dt.timedelta(days=days), dt.time(0), tzinfo=zone)
    room_list = list(rooms())
    per_cell: dict[tuple[int, dt.date], list[Booking]] = defaultdict(list)
    for booking in bookings_for(user).filter(
        status__in=LIVE_STATUSES, starts_at__gte=start, starts_at__lt=end
    ):
        per_cell[(booking.room_id, timezone.localtime(booking.starts_at).date())].append(booking)
    busy = busy_rooms(room_list, start, end)
    rows = []
    for room in room_list:
        minutes: dict[dt.date, int] = defaultdict(int)
        for s, e in busy.get(room.id, []):
            cursor = max(s, start)
            while cursor < min(e, end):
                day = timezone.localtime(cursor).date()
                day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
                piece_end = min(e, end, day_end)
                minutes[day] += int((piece_end - cursor).total_seconds() // 60)
                cursor = piece_end
        rows.append((room, [Cell(d, per_cell.get((room.id, d), []), minutes.get(d, 0)) for d in dates]))
    return Board(days=dates, rows=rows)


@dataclass(frozen=True)
class Figure:
    label: str
    hours: float
    revenue: Decimal
    bookings: int


def figures_for(user: Any, *, first: dt.date, last: dt.date) -> tuple[list[Figure], list[Figure]]:
    """Occupancy (booked hours) and revenue per room and per customer category, for confirmed and
    completed bookings starting in [first, last]."""
    zone = timezone.get_current_timezone()
    qs = bookings_for(user).filter(
        status__in=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED],
        starts_at__gte=dt.datetime.combine(first, dt.time(0), tzinfo=zone),
        starts_at__lt=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )

    def grouped(key: str, label: str) -> list[Figure]:
        hours: dict[Any, float] = defaultdict(float)
        for group, starts, ends in qs.values_list(key, "starts_at", "ends_at"):
            hours[group] += (ends - starts).total_seconds() / 3600
        rows = qs.order_by().values(key, label).annotate(revenue=Sum("total_excl_vat"), n=Count("id"))
        return sorted(
            (
                Figure(row[label], round(hours[row[key]], 1), row["revenue"] or Decimal("0"), row["n"])
                for row in rows
            ),
            key=lambda f: -f.hours,
        )

    return grouped("room_id", "room__name"), grouped("category_id", "category__name")


# --- the e-loket: a booker's own bookings, the rooms anyone may see, the booker's category ------


def bookable_rooms(*, with_hours: bool = False) -> QuerySet[Room]:
    """The rooms the e-loket shows: active, with their public facts (no mailbox, no tokens); the
    opening hours only for a room's own page (the list does not show them)."""
    related = ["layouts", "facilities", *(["opening_hours"] if with_hours else [])]
    return (
        Room.objects.filter(active=True)
        .select_related("building")
        .prefetch_related(*related)
        .order_by("building__name", "name")
    )


def bookable_rooms_stamp() -> str:
    """Changes when a bookable room is added, switched off or edited: the key of the e-loket's
    cached room list (one small aggregate instead of the list's queries and rendering)."""
    found = Room.objects.filter(active=True).aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{found['n']}-{found['last'].timestamp() if found['last'] else 0}"


def get_bookable_room(code: str) -> Room:
    """Raises Room.DoesNotExist for an unknown or inactive room."""
    return bookable_rooms(with_hours=True).get(code=code)


def bookings_of_party(party: Party) -> QuerySet[Booking]:
    """The bookings a party made (or that were made for it), newest slot first."""
    return (
        Booking.objects.filter(party=party)
        .select_related("room__building", "category", "order", "grant")
        .order_by("-starts_at", "-id")
    )


def get_booking_of_party(party: Party, booking_uuid: uuid.UUID) -> Booking:
    """Raises Booking.DoesNotExist for a booking of someone else: the e-loket shows "not found"."""
    return bookings_of_party(party).get(uuid=booking_uuid)


def category_for_party(party: Party) -> CustomerCategory | None:
    """The customer category a booker books in online: an association the recognised-association
    rate, an organisation the company rate, a person the resident rate when their residence has one
    of the municipality's postcodes (BALIE_RESIDENT_POSTCODES), else the non-resident rate. None
    when the municipality has no such category: the e-loket then cannot book for them."""
    if party.kind == PartyKind.ASSOCIATION:
        code = "association"
    elif party.kind == PartyKind.ORGANISATION:
        code = "company"
    else:
        today = timezone.localdate()
        homes = [str(code).strip() for code in settings.BALIE_RESIDENT_POSTCODES]
        resident = (
            party.addresses.filter(kind=AddressKind.RESIDENCE, postcode__in=homes)
            .exclude(valid_from__gt=today)
            .exclude(valid_until__lt=today)
            .exists()
        )
        code = "resident" if resident else "non_resident"
    return CustomerCategory.objects.filter(code=code).first()


def tariffs_of(room: Room, category: CustomerCategory, *, on: dt.date) -> list[Tariff]:
    """The room's tariffs for one category valid on a day, one per time block."""
    valid = Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    found: dict[str, Tariff] = {}
    for tariff in Tariff.objects.filter(valid, room=room, category=category).order_by("-valid_from"):
        found.setdefault(tariff.time_block, tariff)
    order = [block for block, _label in TimeBlock.choices]
    return sorted(found.values(), key=lambda t: order.index(t.time_block))


def cancellation_rules_of(room: Room) -> list[CancellationRule]:
    """The rules that apply to a room: its own, else the default ones; most days first."""
    own = list(CancellationRule.objects.filter(room=room).order_by("-days_before"))
    return own or list(CancellationRule.objects.filter(room__isnull=True).order_by("-days_before"))


@dataclass(frozen=True)
class Day:
    day: dt.date
    opening: list[tuple[dt.time, dt.time]]
    busy: list[tuple[dt.datetime, dt.datetime]]  # local times, clipped to the day


def week_of(room: Room, *, first: dt.date, days: int = 7) -> list[Day]:
    """A room's public availability: per day its opening hours and its busy blocks (bookings with
    their buffers, and blackouts: no names, no purposes). One occupancy query."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(first + dt.timedelta(days=days), dt.time(0), tzinfo=zone)
    busy = busy_rooms([room], start, end).get(room.id, [])
    hours = list(room.opening_hours.all())
    result = []
    for n in range(days):
        day = first + dt.timedelta(days=n)
        day_start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
        day_end = day_start + dt.timedelta(days=1)
        blocks = [
            (timezone.localtime(max(s, day_start)), timezone.localtime(min(e, day_end)))
            for s, e in busy
            if s < day_end and e > day_start
        ]
        opening = [(h.opens, h.closes) for h in hours if h.weekday == day.weekday()]
        result.append(Day(day, sorted(opening), blocks))
    return result
