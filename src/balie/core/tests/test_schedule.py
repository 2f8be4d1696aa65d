"""The schedule: periodic jobs are enqueued once per slot, whatever the number of workers."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from balie.core.models import ScheduledRun
from balie.core.registries import Registry
from balie.core.schedule import DailyAt, Every, ScheduledJob, enqueue_due, schedule

BRUSSELS = ZoneInfo("Europe/Brussels")


@task()
def say_hello() -> str:
    return "hallo"


def _jobs(*jobs: ScheduledJob) -> Registry[ScheduledJob]:
    registry: Registry[ScheduledJob] = Registry("test schedule")
    for job in jobs:
        registry.add(job.name, job)
    return registry


HOURLY = ScheduledJob(name="test.hourly", when=Every(dt.timedelta(hours=1)), task=say_hello)


@pytest.mark.django_db
def test_it_enqueues_a_due_job_once_when_called_twice() -> None:
    now = dt.datetime(2026, 3, 2, 10, 20, tzinfo=BRUSSELS)

    first = enqueue_due(now=now, jobs=_jobs(HOURLY))
    second = enqueue_due(now=now + dt.timedelta(minutes=5), jobs=_jobs(HOURLY))

    assert first == ["test.hourly"]
    assert second == []
    assert DBTaskResult.objects.filter(task_path=say_hello.module_path).count() == 1
    run = ScheduledRun.objects.get()
    assert run.name == "test.hourly"
    assert run.slot == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert run.task_result_id == str(DBTaskResult.objects.get().id)


@pytest.mark.django_db
def test_it_enqueues_again_when_the_next_slot_comes() -> None:
    now = dt.datetime(2026, 3, 2, 10, 20, tzinfo=BRUSSELS)
    enqueue_due(now=now, jobs=_jobs(HOURLY))

    enqueued = enqueue_due(now=now + dt.timedelta(hours=1), jobs=_jobs(HOURLY))

    assert enqueued == ["test.hourly"]
    assert DBTaskResult.objects.count() == 2
    assert list(ScheduledRun.objects.order_by("slot").values_list("slot", flat=True)) == [
        dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_enqueue_the_run_once() -> None:
    now = dt.datetime(2026, 3, 2, 10, 20, tzinfo=BRUSSELS)
    jobs = _jobs(HOURLY)
    barrier = threading.Barrier(4)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(enqueue_due(now=now, jobs=jobs))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [[], [], [], ["test.hourly"]]
    assert DBTaskResult.objects.count() == 1
    assert ScheduledRun.objects.count() == 1


def test_a_daily_job_belongs_to_yesterday_before_its_time_and_to_today_after() -> None:
    daily = DailyAt(dt.time(3, 30))

    before = daily.slot(dt.datetime(2026, 6, 10, 3, 29, tzinfo=BRUSSELS))
    after = daily.slot(dt.datetime(2026, 6, 10, 3, 30, tzinfo=BRUSSELS))

    assert before == dt.datetime(2026, 6, 9, 3, 30, tzinfo=BRUSSELS)
    assert after == dt.datetime(2026, 6, 10, 3, 30, tzinfo=BRUSSELS)


def test_a_daily_job_keeps_its_local_time_across_summer_time() -> None:
    daily = DailyAt(dt.time(3, 30))

    winter = daily.slot(dt.datetime(2026, 3, 28, 12, 0, tzinfo=BRUSSELS))
    summer = daily.slot(dt.datetime(2026, 3, 29, 12, 0, tzinfo=BRUSSELS))

    assert winter == dt.datetime(2026, 3, 28, 2, 30, tzinfo=dt.UTC)
    assert summer == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)


def test_it_refuses_an_interval_shorter_than_ten_seconds() -> None:
    with pytest.raises(ValueError, match="at least 10 seconds"):
        Every(dt.timedelta(seconds=5))


def test_the_schedule_holds_the_access_log_purge_and_the_task_pruning() -> None:
    names = [name for name, _job in schedule]

    assert names == sorted(names)
    assert {"audit.purge_expired_access_log", "core.prune_finished_tasks"} <= set(names)
    assert schedule.get("audit.purge_expired_access_log").when == DailyAt(dt.time(3, 30))
