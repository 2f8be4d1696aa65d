"""Background jobs of the MAGDA connector (scheduled in magda_setup.register)."""

from __future__ import annotations

import logging

from django_tasks import task

from . import consultations, magda_actions

logger = logging.getLogger("balie.magda")


@task()
def purge_expired_consultations() -> int:
    """Delete consultation-log rows past their ten-year retention; returns how many."""
    deleted = consultations.purge_expired_consultations()
    logger.info("consultation log purged", extra={"deleted": deleted})
    return deleted


@task()
def refresh_persons_from_register() -> int:
    """The weekly refresh of active persons from the Rijksregister; returns how many."""
    refreshed = magda_actions.refresh_persons()
    logger.info("persons refreshed from the register", extra={"refreshed": refreshed})
    return refreshed
