"""`balie worker`: enqueues what the schedule says is due, then runs it."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from balie.core.models import ScheduledRun
from balie.core.schedule import schedule
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


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_a_second_worker_finds_nothing_new_to_enqueue() -> None:
    ScheduleWorker(queue_names=["default"], interval=0, max_tasks=len(JOBS)).run()
    other = ScheduleWorker(queue_names=["default"], interval=0, max_tasks=1)
    other.running = True

    other.tick_schedule()

    assert ScheduledRun.objects.count() == len(JOBS)
    assert DBTaskResult.objects.count() == len(JOBS)
