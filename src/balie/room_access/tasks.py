"""Background work of door access: the periodic reconciliation (see reconciliation.py)."""

from __future__ import annotations

from django_tasks import task

from .reconciliation import reconcile_all


@task()
def reconcile_door_access() -> int:
    """Compare every active controller with Balie and repair drift; returns the repairs made."""
    return sum(run.repaired for run in reconcile_all())
