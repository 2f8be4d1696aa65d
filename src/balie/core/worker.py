"""The background worker behind `balie worker`: django-tasks-db's worker plus the schedule.

It claims and runs ready tasks exactly as `manage.py db_worker` does (same claim, same result
bookkeeping), and between tasks enqueues the scheduled runs that are due. SIGINT/SIGTERM stop it
after the task at hand; a second signal stops it at once.
"""

from __future__ import annotations

import logging
import time

from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .schedule import enqueue_due

logger = logging.getLogger("balie.worker")


class ScheduleWorker(Worker):
    def __init__(
        self,
        *,
        queue_names: list[str],
        interval: float = 1.0,
        schedule_interval: float = 15.0,
        backend_name: str = "default",
        worker_id: str | None = None,
        max_tasks: int | None = None,
    ) -> None:
        super().__init__(
            queue_names=queue_names,
            interval=interval,
            batch=False,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        self.schedule_interval = schedule_interval
        self._next_schedule = 0.0

    def tick_schedule(self) -> None:
        if time.monotonic() < self._next_schedule:
            return
        self._next_schedule = time.monotonic() + self.schedule_interval
        try:
            enqueue_due()
        except OperationalError as error:
            # A busy SQLite database: the next tick tries again.
            if not is_locked_database_exception(error):
                raise
            logger.warning("schedule skipped: database locked")

    def claim_next(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise

    def run(self) -> None:
        logger.info(
            "worker started", extra={"worker_id": self.worker_id, "queues": ",".join(self.queue_names)}
        )
        while self.running:
            close_old_connections()
            self.tick_schedule()
            task_result = self.claim_next()
            if task_result is not None:
                self.run_task(task_result)
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                continue
            close_old_connections()
            if self.running:
                time.sleep(self.interval)
        logger.info("worker stopped", extra={"worker_id": self.worker_id})


def run_worker(*, queue_names: list[str], interval: float = 1.0, schedule_interval: float = 15.0) -> None:
    worker = ScheduleWorker(queue_names=queue_names, interval=interval, schedule_interval=schedule_interval)
    worker.configure_signals()
    worker.run()


def run_ready_tasks(*, limit: int = 1000) -> int:
    """Run every task that is ready now, in this process, and return how many ran.

    For tests and the `balie demo` bootstrap: the same claim and bookkeeping as the worker.
    """
    worker = ScheduleWorker(queue_names=["default"], interval=0)
    ran = 0
    while ran < limit:
        task_result = worker.claim_next()
        if task_result is None:
            break
        worker.run_task(task_result)
        ran += 1
    return ran
