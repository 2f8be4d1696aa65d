"""The rules a slot must meet before it is booked, each with a clear message.

Bad input (an end before the start, over capacity) can never be overridden; the booking policy
(eligibility, quota, horizon, opening hours, duration) can, by a room manager, with a reason that
goes into the audit record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from balie.parties.models import Party

from .models import LIVE_STATUSES, Booking, CustomerCategory, Room


@dataclass
class Verdict:
    errors: list[str] = field(default_factory=list)  # never overridable
    policy: list[str] = field(default_factory=list)  # overridable with permission
    # Which form field a message is about (message → "day", "starts_at", "ends_at", "attendees",
    # "layout"),
    # so that a form can show it next to the field; messages about no one field are absent.
    fields: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, message: str, field_name: str = "") -> None:
        (self.errors if kind == "error" else self.policy).append(message)
        if field_name:
            self.fields[message] = field_name


def within_opening_hours(room: Room, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    if end.date() != start.date() and end.time() != dt.time(0):
        return False
    end_time = dt.time(23, 59, 59) if end.time() == dt.time(0) else end.time()
    return any(
        hours.opens <= start.time() and end_time <= hours.closes
        for hours in room.opening_hours.all()
        if hours.weekday == start.weekday()
    )


def check_slot(
    *,
    room: Room,
    category: CustomerCategory,
    party: Party,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    attendees: int,
    layout: str,
    now: dt.datetime,
    ignore: Booking | None = None,
) -> Verdict:
    verdict = Verdict()
    if ends_at <= starts_at:
        verdict.add("error", _("Het einde ligt voor het begin."), "ends_at")
        return verdict
    if starts_at < now:
        verdict.add("error", _("Dit moment ligt in het verleden."), "day")
    if not room.active:
        verdict.errors.append(_("Deze zaal kan niet geboekt worden."))
    if attendees < 1:
        verdict.add("error", _("Geef het aantal personen op."), "attendees")
    capacities = {row.layout: row.capacity for row in room.layouts.all()}
    if layout and capacities and layout not in capacities:
        verdict.add("error", _("Deze opstelling is niet mogelijk in deze zaal."), "layout")
    elif capacities:
        capacity = capacities[layout] if layout else max(capacities.values())
        if attendees > capacity:
            verdict.add(
                "error",
                _("Te veel personen: deze zaal biedt in deze opstelling plaats aan %(n)s personen.")
                % {"n": capacity},
                "attendees",
            )
    length = ends_at - starts_at
    if length < room.min_duration:
        verdict.add(
            "policy",
            _("Een boeking duurt minstens %(n)s minuten.")
            % {"n": int(room.min_duration.total_seconds() // 60)},
            "ends_at",
        )
    if length > room.max_duration:
        verdict.add(
            "policy",
            _("Een boeking duurt hoogstens %(n)s uur.")
            % {"n": int(room.max_duration.total_seconds() // 3600)},
            "ends_at",
        )
    if starts_at > now + dt.timedelta(days=category.horizon_days):
        verdict.add(
            "policy",
            _("Zo ver vooruit kan nog niet geboekt worden: hoogstens %(n)s dagen.")
            % {"n": category.horizon_days},
            "day",
        )
    if not within_opening_hours(room, starts_at, ends_at):
        verdict.add("policy", _("Dit moment valt buiten de openingsuren van de zaal."), "starts_at")
    eligible = list(room.eligible_categories.all())
    if eligible and category not in eligible:
        verdict.policy.append(_("Deze zaal kan niet geboekt worden door “%(c)s”.") % {"c": category.name})
    if category.max_bookings_per_month is not None:
        local = timezone.localtime(starts_at)
        first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        taken = Booking.objects.filter(
            party=party, status__in=LIVE_STATUSES, starts_at__gte=first, starts_at__lt=following
        )
        if ignore is not None:
            taken = taken.exclude(id=ignore.id)
        if taken.count() >= category.max_bookings_per_month:
            verdict.policy.append(
                _("Het maximum van %(n)s boekingen per maand is bereikt.")
                % {"n": category.max_bookings_per_month}
            )
    return verdict
