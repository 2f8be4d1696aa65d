"""Reads: bookings only for employees who work with rooms ("not found" for everyone else); the
planning board; occupancy and revenue figures."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from .availability import busy_rooms
from .models import LIVE_STATUSES, Booking, BookingStatus, Room, WaitingListEntry
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
