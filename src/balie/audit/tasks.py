"""Background jobs of the audit trail (scheduled in apps.py)."""

from __future__ import annotations

import logging

from django_tasks import task

from . import actions

logger = logging.getLogger("balie.audit")


@task()
def purge_expired_access_log() -> int:
    """Delete personal-data access-log rows past their ten-year retention; returns how many."""
    deleted = actions.purge_expired_access_log()
    logger.info("access log purged", extra={"deleted": deleted})
    return deleted
