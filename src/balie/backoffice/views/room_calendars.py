"""Calendars without a login: a room's and a booker's iCal feed behind a secret address, and the
public availability of a room (busy or free, nothing about who or what)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from balie.reservations import calendars
from balie.reservations.availability import busy_rooms
from balie.reservations.models import BookerFeed, Room

ICS = "text/calendar; charset=utf-8"


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def room_feed(request: HttpRequest, token: str) -> HttpResponse:
    room = Room.objects.filter(calendar_token=token, active=True).select_related("building").first()
    if room is None:
        raise Http404
    return _ics(calendars.room_feed(room), room.code)


@require_GET
def booker_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = BookerFeed.objects.filter(token=token).first()
    if feed is None:
        raise Http404
    return _ics(calendars.booker_feed(feed.party_id), "reservaties")


def _public_room(uuid: Any) -> Room:
    room = Room.objects.filter(uuid=uuid, active=True).select_related("building").first()
    if room is None:
        raise Http404
    return room


@require_GET
def availability_feed(request: HttpRequest, uuid: Any) -> HttpResponse:
    room = _public_room(uuid)
    return _ics(calendars.public_availability_feed(room), f"{room.code}-bezet")


@require_GET
def availability_page(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Two weeks of a room: per day the busy periods (buffers included), in Belgian time."""
    room = _public_room(uuid)
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    start = dt.datetime.combine(today, dt.time(0), tzinfo=zone)
    end = start + dt.timedelta(days=14)
    busy = busy_rooms([room], start, end).get(room.id, [])
    days = []
    for n in range(14):
        day = today + dt.timedelta(days=n)
        day_start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
        day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        periods = [
            (timezone.localtime(max(s, day_start)), timezone.localtime(min(e, day_end)))
            for s, e in busy
            if s < day_end and e > day_start
        ]
        days.append((day, periods))
    return render(request, "backoffice/rooms/availability.html", {"room": room, "days": days})
