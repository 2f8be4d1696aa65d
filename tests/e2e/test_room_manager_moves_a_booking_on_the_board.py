"""The room manager moves a booking on the planning board, in Chromium against the demo: by dragging
its block to another day's cell (the drop posts the booking's "Verplaatsen" form), and by keyboard
through that form on the booking page."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from .test_front_desk_hands_off_a_call import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
BRUSSELS = ZoneInfo("Europe/Brussels")
MOVABLE = ("request", "option", "approved", "confirmed")


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _free(demo, unit: int, starts: dt.datetime, ends: dt.datetime) -> bool:  # type: ignore[no-untyped-def]
    rows = demo.query(
        f"SELECT starts_at, ends_at FROM reservations_occupancy WHERE live AND unit_id = {unit}"
    )
    return not any(_utc(s) < ends and _utc(e) > starts for s, e in rows)


def _a_move(demo) -> tuple[str, int, dt.datetime, dt.datetime, dt.date]:  # type: ignore[no-untyped-def]
    """A movable booking of a room without parts on this week's board, and a later day of the
    board (within opening hours, the same hours) on which its room is free, buffers included."""
    today = dt.datetime.now(BRUSSELS).date()
    rows = demo.query(
        "SELECT b.uuid, b.room_id, b.starts_at, b.ends_at, b.buffer_before, b.buffer_after, b.status "
        "FROM reservations_booking b WHERE b.room_id NOT IN "
        "(SELECT from_room_id FROM reservations_room_parts) ORDER BY b.starts_at"
    )
    for key, room, starts_text, ends_text, before, after, status in rows:
        starts, ends = _utc(starts_text), _utc(ends_text)
        local_day = starts.astimezone(BRUSSELS).date()
        if status not in MOVABLE or not today + dt.timedelta(days=1) <= local_day <= today + dt.timedelta(
            days=5
        ):
            continue
        for shift in range(1, 7 - (local_day - today).days):
            target = local_day + dt.timedelta(days=shift)
            new_starts = dt.datetime.combine(target, starts.astimezone(BRUSSELS).time(), tzinfo=BRUSSELS)
            new_ends = new_starts + (ends - starts)
            margin_before = dt.timedelta(microseconds=int(before or 0))
            margin_after = dt.timedelta(microseconds=int(after or 0))
            if _free(demo, room, new_starts - margin_before, new_ends + margin_after):
                return str(uuid.UUID(key)), room, new_starts, new_ends, target
    raise AssertionError("the demo has no movable booking with a free day on this week's board")


def _starts_of(demo, key: str) -> tuple[int, dt.datetime]:  # type: ignore[no-untyped-def]
    room, starts = demo.query(
        f"SELECT room_id, starts_at FROM reservations_booking WHERE uuid = '{uuid.UUID(key).hex}'"
    )[0]
    return room, _utc(starts)


def test_the_room_manager_drags_a_booking_to_another_day(demo, page):  # type: ignore[no-untyped-def]
    key, room, new_starts, _new_ends, target = _a_move(demo)
    log_in(page, demo, "zalen")
    page.goto(f"{demo.url}/zalen/planning")

    block = page.locator(f'a[data-move*="{key}"]')
    cell = page.locator(f'td[data-room="{room}"][data-day="{target.isoformat()}"]')
    assert block.get_attribute("draggable") == "true"
    with page.expect_navigation():
        block.drag_to(cell)

    message = page.locator(".message--success").first
    message.wait_for()
    assert "is verplaatst" in message.inner_text()
    assert "/zalen/planning" in page.url  # back on the board
    moved = page.locator(f'td[data-room="{room}"][data-day="{target.isoformat()}"] a[data-move*="{key}"]')
    assert moved.count() == 1
    assert _starts_of(demo, key) == (room, new_starts.astimezone(dt.UTC))


def test_the_room_manager_moves_a_booking_by_keyboard_with_the_form(demo, page):  # type: ignore[no-untyped-def]
    key, room, new_starts, _new_ends, target = _a_move(demo)
    log_in(page, demo, "zalen")
    page.goto(f"{demo.url}/zalen/boekingen/{key}")

    page.get_by_label("Datum").fill(target.isoformat())
    with page.expect_navigation():
        page.get_by_label("Datum").press("Enter")

    message = page.locator(".message--success").first
    message.wait_for()
    assert "is verplaatst" in message.inner_text()
    assert _starts_of(demo, key) == (room, new_starts.astimezone(dt.UTC))
