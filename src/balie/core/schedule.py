"""Periodic work: declared once, enqueued by `balie worker` as ordinary tasks.

Each app adds its jobs in its AppConfig.ready() with `add_job(...)`; `balie worker --schedule`
lists them all. Every worker calls `enqueue_due()` every few seconds. A run is named by its job
and its slot (the start of the interval, or the day's time, it belongs to); the ScheduledRun row
for that pair is inserted in the same transaction as the task, under a unique constraint, so two
workers never enqueue the same run twice, and a run missed while no worker was up is enqueued once
when one starts.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from .models import ScheduledRun
from .registries import Registry

logger = logging.getLogger("balie.schedule")

KEEP_RUNS = dt.timedelta(days=30)
_EPOCH = dt.datetime(2000, 1, 3, tzinfo=dt.UTC)  # a Monday at midnight UTC


@dataclass(frozen=True)
class Every:
    """Every `interval`, aligned on whole intervals since a fixed epoch (so all workers agree)."""

    interval: dt.timedelta

    def __post_init__(self) -> None:
        if self.interval < dt.timedelta(seconds=10):
            raise ValueError("a scheduled interval is at least 10 seconds")

    def slot(self, now: dt.datetime) -> dt.datetime:
        periods = (now - _EPOCH) // self.interval
        return _EPOCH + periods * self.interval

    def describe(self) -> str:
        return f"every {self.interval}"


@dataclass(frozen=True)
class DailyAt:
    """Once a day at a local (Europe/Brussels) time; a day missed is caught up once."""

    at: dt.time

    def slot(self, now: dt.datetime) -> dt.datetime:
        local_now = timezone.localtime(now)
        zone = timezone.get_current_timezone()
        candidate = dt.datetime.combine(local_now.date(), self.at, tzinfo=zone)
        if candidate > local_now:
            candidate = dt.datetime.combine(local_now.date() - dt.timedelta(days=1), self.at, tzinfo=zone)
        return candidate.astimezone(dt.UTC)

    def describe(self) -> str:
        return f"daily at {self.at:%H:%M}"


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    when: Every | DailyAt
    task: Task[[], Any]


schedule: Registry[ScheduledJob] = Registry("schedule")


def add_job(name: str, *, when: Every | DailyAt, task: Task[[], Any]) -> ScheduledJob:
    """Declare a periodic job; call from AppConfig.ready(). Names are `app.what_it_does`."""
    job = ScheduledJob(name=name, when=when, task=task)
    try:
        existing = schedule.get(name)
    except KeyError:
        schedule.add(name, job)
        return job
    if existing != job:
        raise ValueError(f"schedule: {name!r} is already registered differently")
    return existing


def enqueue_due(*, now: dt.datetime | None = None, jobs: Registry[ScheduledJob] | None = None) -> list[str]:
    """Enqueue every job whose current slot has no run yet; returns the names enqueued."""
    now = now or timezone.now()
    enqueued: list[str] = []
    for name, job in jobs if jobs is not None else schedule:
        slot = job.when.slot(now)
        with transaction.atomic():
            run, created = ScheduledRun.objects.get_or_create(name=name, slot=slot)
            if not created:
                continue
            result = job.task.enqueue()
            run.task_result_id = str(getattr(result, "id", ""))[:64]
            run.save(update_fields=["task_result_id"])
        logger.info("scheduled run enqueued", extra={"job": name, "slot": slot.isoformat()})
        enqueued.append(name)
    if enqueued:
        ScheduledRun.objects.filter(slot__lt=now - KEEP_RUNS).delete()
    return enqueued
