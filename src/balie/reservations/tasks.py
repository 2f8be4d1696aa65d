"""Scheduled work of room reservation: releasing expired options, completing past bookings."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def expire_room_options() -> int:
    return actions.expire_options()


@task()
def complete_past_bookings() -> int:
    return actions.complete_past_bookings()
