"""Background work of reports: forgetting callback nonces that can no longer be replayed."""

from __future__ import annotations

from django_tasks import task

from .work_orders import prune_callback_nonces


@task()
def prune_report_callback_nonces() -> int:
    return prune_callback_nonces()
