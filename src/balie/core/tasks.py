"""Housekeeping of the task queue itself."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

KEEP_FINISHED_TASKS = dt.timedelta(days=30)


@task()
def prune_finished_tasks() -> int:
    """Delete results of tasks that finished more than a month ago; returns how many."""
    cutoff = timezone.now() - KEEP_FINISHED_TASKS
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


@task()
def prune_rate_windows() -> int:
    """Forget rate-limit counts older than a day; returns how many windows went."""
    from .ratelimit import purge_rate_windows

    return purge_rate_windows()
