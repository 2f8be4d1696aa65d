"""Which units a room occupies, what is busy, and what to offer when a slot was just taken.

Availability is set-based: one query for all rooms asked, whatever their number. PostgreSQL answers
it from a per-unit week summary a trigger keeps (migration 0004) and, for the few occupancies longer
than a day, a covering index (migration 0003); SQLite reads the occupancy rows.
"""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Occupancy, Room
from .rules import within_opening_hours

Interval = tuple[dt.datetime, dt.datetime]


def unit_ids(room: Room) -> list[int]:
    """The smallest bookable units a booking of `room` occupies: its parts, or itself."""
    parts = sorted(room.parts.values_list("id", flat=True))
    return parts or [room.id]


def overlapping(units: Iterable[int], starts_at: dt.datetime, ends_at: dt.datetime) -> QuerySet[Occupancy]:
    """Live occupancy rows on `units` that overlap [starts_at, ends_at) (half-open: back to back is fine)."""
    return Occupancy.objects.filter(
        unit_id__in=list(units), live=True, starts_at__lt=ends_at, ends_at__gt=starts_at
    )


# Availability on PostgreSQL: the week summary of migration 0004 (one row per unit and week, its
# short occupancies as a sorted array [start, end, start, end, …] in epoch seconds, kept by a
# trigger, read as packed big-endian bytes) for the occupancies of at most a day, and the partial
# covering index of migration 0003 for the rare longer ones (blackouts, multi-day bookings), read
# whole per unit. An occupancy of at most a day that overlaps the window starts at most a day
# before it, so the summary is read from that week on. The predicates of the second half repeat the
# index's own, word for word. One round trip; rows per unit in week order, so each unit's list is
# already sorted and only cut at both ends.
WEEK = 604800  # seconds; as in migration 0004
_BUSY_SQL = """
SELECT unit_id, week, packed FROM reservations_occupancy_week
WHERE unit_id = ANY(%(units)s) AND week >= %(first)s AND week <= %(last)s
UNION ALL
SELECT unit_id, NULL,
    int8send(date_part('epoch', starts_at)::bigint) || int8send(date_part('epoch', ends_at)::bigint)
FROM {table}
WHERE live AND (ends_at - starts_at) > interval '1 day' AND unit_id = ANY(%(units)s)
  AND starts_at < %(end)s AND ends_at > %(start)s
ORDER BY 1, 2
"""


def busy_spans(
    unit_list: list[int], starts_at: dt.datetime, ends_at: dt.datetime
) -> dict[int, list[tuple[int, int]]]:
    """Busy periods per unit between two instants as (start, end) in epoch seconds, sorted; one
    query whatever the number of units. Integers, because turning tens of thousands of timestamps
    into aware datetimes costs far more than the query (the availability of 200 rooms over a month
    is some 16,000 periods)."""
    if connection.vendor != "postgresql":
        result: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for unit, start, end in (
            overlapping(unit_list, starts_at, ends_at)
            .order_by("unit_id", "starts_at")
            .values_list("unit_id", "starts_at", "ends_at")
        ):
            result[unit].append((int(start.timestamp()), int(end.timestamp())))
        return dict(result)
    if not unit_list:
        return {}
    low, high = round(starts_at.timestamp()), round(ends_at.timestamp())
    with _binary_cursor() as cursor:
        cursor.execute(
            _BUSY_SQL.format(table=Occupancy._meta.db_table),
            {
                "units": unit_list,
                "start": starts_at,
                "end": ends_at,
                "first": (low - 86400) // WEEK,
                "last": (high - 1) // WEEK,
            },
        )
        rows = cursor.fetchall()
    flat: dict[int, array[int]] = {}
    long: dict[int, array[int]] = {}
    for unit, week, packed in rows:
        (flat if week is not None else long).setdefault(unit, array("q")).frombytes(packed)
    if sys.byteorder == "little":  # the summary's bytes are big-endian (int8send)
        for numbers in (*flat.values(), *long.values()):
            numbers.byteswap()
    return {
        unit: _cut(
            flat.get(unit, array("q")).tolist(), long[unit].tolist() if unit in long else None, low, high
        )
        for unit in flat.keys() | long.keys()
    }


def _binary_cursor() -> Any:
    """A cursor that binds on the server and returns binary results: the packed spans then arrive
    as the bytes they are instead of hex text to decode (with arrays of bigint, binary had halved the
    fetch of a month of 200 rooms). Django's own cursors bind on the client, which allows text
    results only. Wrapped as Django's are, so that query logging and the tests' query counts see it."""
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    return connection._prepare_cursor(raw)  # type: ignore[attr-defined]


def _cut(flat: list[int], long: list[int] | None, low: int, high: int) -> list[tuple[int, int]]:
    """The (start, end) pairs of a non-decreasing [start, end, start, end, …] that overlap [low, high),
    with the long occupancies (already cut to the window by the query) merged in."""
    first = bisect_right(flat, low)  # the first value after low: a start, or the end of a pair that overlaps
    first -= first % 2
    last = bisect_left(flat, high)  # the first value from high on: a start (not in), or an end (its pair is)
    last += last % 2
    pairs = list(zip(flat[first:last:2], flat[first + 1 : last : 2], strict=True))
    if long:
        pairs.extend(zip(long[::2], long[1::2], strict=True))
        pairs.sort()
    return pairs


def room_spans(
    rooms: list[Room], starts_at: dt.datetime, ends_at: dt.datetime
) -> dict[int, list[tuple[int, int]]]:
    """Busy periods per room in epoch seconds, merged (a combined room is busy where any part is)."""
    parts: dict[int, list[int]] = defaultdict(list)
    for room_id, part_id in _parts_of([room.id for room in rooms]):
        parts[room_id].append(part_id)
    units_of = {room.id: parts.get(room.id) or [room.id] for room in rooms}
    busy = busy_spans(sorted({u for units in units_of.values() for u in units}), starts_at, ends_at)
    result: dict[int, list[tuple[int, int]]] = {}
    for room in rooms:
        units = units_of[room.id]
        spans = (
            busy.get(units[0], []) if len(units) == 1 else sorted(s for u in units for s in busy.get(u, []))
        )
        result[room.id] = merge(spans) if len(units) > 1 else spans
    return result


def _parts_of(room_ids: list[int]) -> list[tuple[int, int]]:
    """(combined room, part) pairs; on PostgreSQL one plain statement, a quarter of the ORM's time
    for 200 rooms, which counts when the whole answer takes a few milliseconds."""
    through = Room.parts.through
    if connection.vendor != "postgresql":
        return list(
            through.objects.filter(from_room_id__in=room_ids).values_list("from_room_id", "to_room_id")
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT from_room_id, to_room_id FROM {through._meta.db_table} WHERE from_room_id = ANY(%s)",
            [room_ids],
        )
        return cursor.fetchall()


def busy_rooms(rooms: list[Room], starts_at: dt.datetime, ends_at: dt.datetime) -> dict[int, list[Interval]]:
    """Busy intervals per room as aware datetimes (for a page or a feed of a few rooms)."""
    return {
        room_id: [(_instant(start), _instant(end)) for start, end in spans]
        for room_id, spans in room_spans(rooms, starts_at, ends_at).items()
    }


def _instant(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Alternative:
    room: Room
    starts_at: dt.datetime
    ends_at: dt.datetime

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{self.room.name}, {start:%d/%m/%Y %H:%M}–{end:%H:%M}"


def _clashes(spans: list[tuple[int, int]], starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    low, high = int(starts_at.timestamp()), int(ends_at.timestamp())
    return any(start < high and end > low for start, end in spans)


def alternatives(
    *, room: Room, starts_at: dt.datetime, ends_at: dt.datetime, attendees: int, limit: int = 3
) -> list[Alternative]:
    """Other rooms free and open at that time (same building first, big enough), then the same
    room later in the coming week. Two availability queries, whatever the number of rooms or
    candidate times; an alternative outside a room's opening hours (23:00–03:00) is no offer."""
    found: list[Alternative] = []
    others = sorted(
        Room.objects.filter(active=True)
        .exclude(id=room.id)
        .filter(Q(layouts__capacity__gte=attendees) | Q(layouts__isnull=True))
        .distinct()
        .select_related("building")
        .prefetch_related("opening_hours"),
        key=lambda r: (r.building_id != room.building_id, r.name),
    )
    if others:
        widest_before = max(r.buffer_before for r in others)
        widest_after = max(r.buffer_after for r in others)
        busy = room_spans(others, starts_at - widest_before, ends_at + widest_after)
        for other in others:
            if len(found) >= limit:
                return found
            if within_opening_hours(other, starts_at, ends_at) and not _clashes(
                busy[other.id], starts_at - other.buffer_before, ends_at + other.buffer_after
            ):
                found.append(Alternative(other, starts_at, ends_at))
    length = ends_at - starts_at
    step = dt.timedelta(minutes=30)
    candidate = starts_at + step
    horizon = starts_at + dt.timedelta(days=7)
    same = Room.objects.prefetch_related("opening_hours").get(pk=room.pk)
    busy_here = room_spans([same], candidate - same.buffer_before, horizon + length + same.buffer_after)
    while len(found) < limit and candidate < horizon:
        if within_opening_hours(same, candidate, candidate + length) and not _clashes(
            busy_here[same.id], candidate - same.buffer_before, candidate + length + same.buffer_after
        ):
            found.append(Alternative(room, candidate, candidate + length))
            candidate += length
        candidate += step
    return found
