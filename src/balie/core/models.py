"""Building blocks without a domain: public identifiers, counters, closing days."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicModel(models.Model):
    """A model exposed outside the database: it carries a public UUID next to its internal id."""

    uuid = models.UUIDField(_("publieke id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class Counter(models.Model):
    """The last number handed out in one register for one year (see numbering.py)."""

    register = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="core_counter_register_year")
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.year}: {self.value}"


class ClosingDay(models.Model):
    """A local closing day of the municipality, on top of the Belgian public holidays."""

    date = models.DateField(_("datum"), unique=True)
    description = models.CharField(_("omschrijving"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("sluitingsdag")
        verbose_name_plural = _("sluitingsdagen")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.description}"


class ScheduledRun(models.Model):
    """One run of a periodic job (see schedule.py), recorded when it is enqueued.

    The unique (name, slot) pair is the lock: the worker that inserts the row enqueues the task in
    the same transaction; every other worker finds the row and enqueues nothing.
    """

    name = models.CharField(_("taak"), max_length=100)
    slot = models.DateTimeField(_("gepland tijdstip"))
    enqueued_at = models.DateTimeField(_("in de wachtrij gezet op"), auto_now_add=True)
    task_result_id = models.CharField(_("taakresultaat"), max_length=64, blank=True)

    class Meta:
        ordering = ["-slot", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="core_scheduledrun_name_slot")]
        indexes = [models.Index(fields=["slot"], name="core_scheduledrun_slot")]
        verbose_name = _("geplande uitvoering")
        verbose_name_plural = _("geplande uitvoeringen")

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"
