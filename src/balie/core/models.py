"""Building blocks without a domain: public identifiers, counters, closing days."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class OutboxState(models.TextChoices):
    PENDING = "pending", _("te versturen")
    DELIVERED = "delivered", _("afgeleverd")
    FAILED = "failed", _("mislukt")


class OutboxMessage(models.Model):
    """A message to another system, written in the business transaction (see outbox.py).

    `sender` names the registered sender that delivers it; `destination` is a stable label of the
    receiving end (a webhook subscription, a door controller …): messages to one destination are
    delivered in the order they were written. The idempotency key travels with every attempt, so
    the receiver can drop a message it already has.
    """

    idempotency_key = models.UUIDField(
        _("idempotentiesleutel"), default=uuid.uuid4, unique=True, editable=False
    )
    sender = models.CharField(_("verzender"), max_length=64)
    destination = models.CharField(_("bestemming"), max_length=200)
    payload = models.JSONField(_("inhoud"), default=dict)
    state = models.CharField(
        _("toestand"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("laatste poging"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=1000, blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # what is due: pending, by time
            models.Index(
                fields=["next_attempt_at", "id"], condition=Q(state="pending"), name="core_outbox_due"
            ),
            # the order within a destination: is an earlier message still pending?
            models.Index(
                fields=["destination", "id"], condition=Q(state="pending"), name="core_outbox_queue"
            ),
            # the delivery log of one destination, newest first
            models.Index(fields=["destination", "-id"], name="core_outbox_log"),
            models.Index(fields=["state", "created_at"], name="core_outbox_state"),
        ]
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")

    def __str__(self) -> str:
        return f"{self.sender} → {self.destination} ({self.state})"

    @property
    def uuid(self) -> uuid.UUID:
        """The public id (for the audit log): the idempotency key."""
        return self.idempotency_key


class RateWindow(models.Model):
    """How often one key (a hashed address, an account) did one thing in one time window."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="core_ratewindow_unique")]
        indexes = [models.Index(fields=["window_start"], name="core_ratewindow_start")]

    def __str__(self) -> str:
        return f"{self.window_start:%Y-%m-%d %H:%M} {self.hits}"
