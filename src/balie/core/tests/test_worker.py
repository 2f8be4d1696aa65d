"""`balie worker`: enqueues what the schedule says is due, then runs it."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from balie.core.models import ScheduledRun
from balie.core.worker import ScheduleWorker


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_the_worker_enqueues_the_scheduled_jobs_and_runs_them() -> None:
    worker = ScheduleWorker(queue_names=["default"], interval=0, max_tasks=2)

    worker.run()

    assert sorted(ScheduledRun.objects.values_list("name", flat=True)) == [
        "audit.purge_expired_access_log",
        "core.prune_finished_tasks",
    ]
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("balie.audit.tasks.purge_expired_access_log", "SUCCESSFUL"),
        ("balie.core.tasks.prune_finished_tasks", "SUCCESSFUL"),
    ]


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_a_second_worker_finds_nothing_new_to_enqueue() -> None:
    ScheduleWorker(queue_names=["default"], interval=0, max_tasks=2).run()
    other = ScheduleWorker(queue_names=["default"], interval=0, max_tasks=1)
    other.running = True

    other.tick_schedule()

    assert ScheduledRun.objects.count() == 2
    assert DBTaskResult.objects.count() == 2
