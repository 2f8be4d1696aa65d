"""`balie worker`: enqueues what the schedule says is due, then runs it."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balie.core.models import ScheduledRun
from balie.core.schedule import enqueue_due, schedule
from balie.core.worker import ScheduleWorker

JOBS = sorted(name for name, _job in schedule)


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_the_worker_enqueues_the_scheduled_jobs_and_runs_them() -> None:
    assert {"audit.purge_expired_access_log", "core.prune_finished_tasks"} <= set(JOBS)
    worker = ScheduleWorker(queue_names=["default"], interval=0, max_tasks=len(JOBS))

    worker.run()

    assert sorted(ScheduledRun.objects.values_list("name", flat=True)) == JOBS
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == sorted(
        (f"{job.task.module_path}", "SUCCESSFUL") for _name, job in schedule
    )


@pytest.mark.django_db
def test_a_second_worker_finds_nothing_new_to_enqueue() -> None:
    # Two workers' ticks at one moment (a fixed one: on a loaded machine the clock would otherwise
    # reach the next slot of the jobs that run every half minute, which is rightly enqueued).
    moment = timezone.now()

    first = enqueue_due(now=moment)
    second = enqueue_due(now=moment)

    assert sorted(first) == JOBS and second == []
    assert ScheduledRun.objects.count() == len(JOBS)
    assert DBTaskResult.objects.count() == len(JOBS)
