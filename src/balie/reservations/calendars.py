"""iCal feeds: per room (staff, by secret address), per booker (their own bookings), and the public
availability of a room (busy blocks only: no name, no activity, no number)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from .availability import busy_rooms
from .models import LIVE_STATUSES, Booking, Room

PAST = dt.timedelta(days=30)
FUTURE = dt.timedelta(days=365)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Gemeente Zonnedaal//Balie zaalreservatie//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _booking_event(booking: Booking, *, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"{booking.uuid}@balie")
    event.add("dtstamp", stamp)
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("summary", f"{booking.number} {booking.purpose}")
    event.add("location", f"{booking.room.name}, {booking.room.building.address}")
    event.add("status", "CONFIRMED" if booking.status in ("confirmed", "completed") else "TENTATIVE")
    return event


def room_feed(room: Room, *, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    calendar = _calendar(room.name)
    bookings = (
        Booking.objects.filter(
            room=room, status__in=LIVE_STATUSES, ends_at__gt=now - PAST, starts_at__lt=now + FUTURE
        )
        .select_related("room__building")
        .order_by("starts_at")
    )
    for booking in bookings:
        calendar.add_component(_booking_event(booking, stamp=now))
    return calendar.to_ical()


def booker_feed(party_id: int, *, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    calendar = _calendar("Mijn zaalreservaties")
    bookings = (
        Booking.objects.filter(party_id=party_id, status__in=LIVE_STATUSES, ends_at__gt=now - PAST)
        .select_related("room__building")
        .order_by("starts_at")
    )
    for booking in bookings:
        calendar.add_component(_booking_event(booking, stamp=now))
    return calendar.to_ical()


def public_availability_feed(room: Room, *, now: dt.datetime | None = None) -> bytes:
    """Busy blocks only, from the occupancy rows (buffers and blackouts included)."""
    now = now or timezone.now()
    calendar = _calendar(f"{room.name} – bezet")
    for start, end in busy_rooms([room], now - dt.timedelta(days=1), now + FUTURE).get(room.id, []):
        event = Event()
        event.add("uid", f"{room.uuid}-{int(start.timestamp())}@balie")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", "Bezet")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


def booking_ics(booking: Booking, *, now: dt.datetime | None = None) -> bytes:
    """One booking as a calendar file, for its booker's own agenda."""
    calendar = _calendar(f"{booking.number} {booking.room.name}")
    calendar.add_component(_booking_event(booking, stamp=now or timezone.now()))
    return calendar.to_ical()
