"""Recurring series (an association's weekly evening): computed in Europe/Brussels, so 20:00 stays
20:00 across daylight-saving changes; each occurrence shows its conflict and can be skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from balie.audit.actions import record_creation
from balie.parties.models import Party

from .actions import SlotTaken, request_booking
from .availability import overlapping, unit_ids
from .models import Booking, BookingSeries, CustomerCategory, Room

BRUSSELS = ZoneInfo("Europe/Brussels")
MAX_OCCURRENCES = 60


@dataclass(frozen=True)
class Occurrence:
    date: dt.date
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime
    conflict: bool


def occurrences(
    *, room: Room, first: dt.date, start: dt.time, end: dt.time, weeks: int, every: int = 1
) -> list[Occurrence]:
    """The dates of a weekly series and, for each, whether its slot is taken now."""
    if not 1 <= weeks <= MAX_OCCURRENCES:
        raise ValidationError(_("Een reeks telt 1 tot %(n)s keer.") % {"n": MAX_OCCURRENCES})
    if end <= start:
        raise ValidationError(_("Het einde ligt voor het begin."))
    result = []
    for n in range(weeks):
        day = first + dt.timedelta(weeks=n * every)
        starts_at = dt.datetime.combine(day, start, tzinfo=BRUSSELS).astimezone(dt.UTC)
        ends_at = dt.datetime.combine(day, end, tzinfo=BRUSSELS).astimezone(dt.UTC)
        taken = overlapping(
            unit_ids(room), starts_at - room.buffer_before, ends_at + room.buffer_after
        ).exists()
        result.append(Occurrence(day, starts_at, ends_at, taken))
    return result


def book_series(
    *,
    room: Room,
    party: Party,
    category: CustomerCategory,
    first: dt.date,
    start: dt.time,
    end: dt.time,
    weeks: int,
    purpose: str,
    by: Any,
    skip: Collection[dt.date] = (),
    attendees: int = 1,
    now: dt.datetime | None = None,
) -> tuple[BookingSeries, list[Booking]]:
    """Book every occurrence not skipped, all or nothing; a conflict not skipped refuses the series
    and names the dates."""
    planned = occurrences(room=room, first=first, start=start, end=end, weeks=weeks)
    clashes = [o.date for o in planned if o.conflict and o.date not in skip]
    if clashes:
        raise ValidationError(
            _("Deze data zijn al bezet; sla ze over: %(dates)s.")
            % {"dates": ", ".join(f"{d:%d/%m/%Y}" for d in clashes)}
        )
    with transaction.atomic():
        series = BookingSeries.objects.create(room=room, party=party, description=purpose, created_by=by)
        record_creation(instance=series, fields=["room", "party", "description"], by=by)
        bookings = []
        for occurrence in planned:
            if occurrence.date in skip:
                continue
            try:
                bookings.append(
                    request_booking(
                        room=room,
                        party=party,
                        category=category,
                        starts_at=occurrence.starts_at,
                        ends_at=occurrence.ends_at,
                        purpose=purpose,
                        attendees=attendees,
                        by=by,
                        series=series,
                        now=now,
                    )
                )
            except SlotTaken:
                raise ValidationError(
                    _("%(date)s is intussen geboekt; sla die datum over.")
                    % {"date": f"{occurrence.date:%d/%m/%Y}"}
                ) from None
        return series, bookings
