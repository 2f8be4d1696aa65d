"""The outbox: how every message to another system leaves Balie.

A message (a webhook call, later a work order, a door controller command, a payment request …) is
an `OutboxMessage` row written by `write_message()` in the business transaction, so it exists
exactly when the change it reports does. The `deliver_outbox` task delivers what is due: it claims
a batch of messages, calls the sender registered for each in `outbox_senders`, and records the
result. A sender raises on failure; the message is then tried again after an exponential backoff
(30 s, 1 min, 2 min, … at most an hour apart) until `BALIE_OUTBOX_MAX_ATTEMPTS` attempts (default
12, about five and a half hours) have failed: then it is `failed` and waits for an employee to
resend it. A sender raises `PermanentDeliveryError` when retrying cannot help.

Delivery is at least once: a message whose receiver took it but whose answer was lost is sent
again, with the same idempotency key, so the receiver can drop the duplicate.

Order: messages to one destination are delivered in the order they were written. A message is not
due while an earlier message to its destination is still pending (waiting for a retry, or being
sent). A message that failed for good no longer holds the others up; resent, it arrives after them.

Claiming: a claimed message stays `pending` but its `next_attempt_at` moves a lease ahead, so no
other worker takes it meanwhile, and a worker that dies mid-delivery leaves a message that is due
again when the lease runs out. The claim itself is a short transaction (`SELECT … FOR UPDATE SKIP
LOCKED` on PostgreSQL; on SQLite the IMMEDIATE transaction serialises claims); the sender is called
outside any transaction, so a slow receiver never holds a lock.

Each sender's app audits what its employees do with its messages (core sits below audit): see
`resend`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import OutboxMessage, OutboxState
from .registries import Registry

logger = logging.getLogger("balie.outbox")

OutboxSender = Callable[[OutboxMessage], None]

outbox_senders: Registry[OutboxSender] = Registry("outbox senders")

FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_RETRY = dt.timedelta(hours=1)
DEFAULT_MAX_ATTEMPTS = 12
CLAIM_LEASE = dt.timedelta(minutes=5)  # far longer than any sender's timeout
KEEP_DELIVERED = dt.timedelta(days=30)
KEEP_FAILED = dt.timedelta(days=365)
ERROR_LENGTH = 1000


class DeliveryError(Exception):
    """A delivery that failed this time (receiver down, 5xx, timeout): it is tried again."""


class PermanentDeliveryError(DeliveryError):
    """A delivery that cannot succeed by trying again (the destination is gone): failed at once."""


def max_attempts() -> int:
    return int(getattr(settings, "BALIE_OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, … at most 1 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


# --- writing -----------------------------------------------------------------------------------


def write_message(
    *,
    sender: str,
    destination: str,
    payload: Mapping[str, Any],
    idempotency_key: uuid.UUID | None = None,
) -> OutboxMessage:
    """Write a message in the caller's transaction; it is delivered soon after that commits."""
    try:
        outbox_senders.get(sender)
    except KeyError:
        raise ValueError(f"outbox: no sender registered as {sender!r}") from None
    message = OutboxMessage.objects.create(
        idempotency_key=idempotency_key or uuid.uuid4(),
        sender=sender,
        destination=destination[:200],
        payload=dict(payload),
    )
    _deliver_after_commit()
    return message


def _kick() -> None:
    deliver_outbox.enqueue()


def _deliver_after_commit() -> None:
    """Enqueue one delivery run when the transaction commits (once, however many messages it wrote).

    If the process stops between the commit and the enqueue, the scheduled run delivers instead.
    """
    if any(entry[1] is _kick for entry in connection.run_on_commit):  # (savepoints, func, robust)
        return
    transaction.on_commit(_kick, robust=True)


# --- delivering --------------------------------------------------------------------------------


def due_messages(now: dt.datetime) -> QuerySet[OutboxMessage]:
    """Pending messages whose time has come and that no earlier pending message holds up."""
    earlier = OutboxMessage.objects.filter(
        state=OutboxState.PENDING, destination=OuterRef("destination"), id__lt=OuterRef("id")
    )
    return OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now).exclude(
        Exists(earlier)
    )


def claim_due(*, now: dt.datetime, limit: int) -> list[OutboxMessage]:
    """Take up to `limit` due messages for delivery (each counted as an attempt), oldest first."""
    with transaction.atomic():
        rows = due_messages(now).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        batch = list(rows[:limit])
        if batch:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in batch]).update(
                attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + CLAIM_LEASE
            )
    for message in batch:
        message.attempts += 1
        message.last_attempt_at = now
        message.next_attempt_at = now + CLAIM_LEASE
    return batch


@dataclass
class DeliveryRun:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.failed


def _error_text(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text[:ERROR_LENGTH]


def deliver(message: OutboxMessage, *, now: dt.datetime) -> str:
    """Call the sender of a claimed message and record the outcome; returns the new state."""
    try:
        send = outbox_senders.get(message.sender)
    except KeyError:
        error: BaseException | None = PermanentDeliveryError(f"no sender registered as {message.sender!r}")
    else:
        try:
            send(message)
            error = None
        except Exception as raised:  # noqa: BLE001 - any failure of a receiver is recorded, not raised
            error = raised
    # Only the claim this attempt holds is updated: if the lease ran out and another worker took
    # the message meanwhile, its own outcome counts.
    mine = OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.PENDING, attempts=message.attempts)
    if error is None:
        mine.update(state=OutboxState.DELIVERED, delivered_at=now, last_error="")
        message.state, message.delivered_at, message.last_error = OutboxState.DELIVERED, now, ""
        logger.info("outbox message delivered", extra=_log_fields(message))
        return message.state
    message.last_error = _error_text(error)
    if isinstance(error, PermanentDeliveryError) or message.attempts >= max_attempts():
        message.state = OutboxState.FAILED
        mine.update(state=OutboxState.FAILED, last_error=message.last_error)
        logger.warning("outbox message failed", extra=_log_fields(message))
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)
        mine.update(last_error=message.last_error, next_attempt_at=message.next_attempt_at)
        logger.info("outbox message to be retried", extra=_log_fields(message))
    return message.state


def _log_fields(message: OutboxMessage) -> dict[str, Any]:
    return {
        "outbox_message": str(message.idempotency_key),
        "sender": message.sender,
        "destination": message.destination,
        "attempts": message.attempts,
        "error": message.last_error,
    }


def deliver_due(*, now: dt.datetime | None = None, limit: int = 500, batch_size: int = 10) -> DeliveryRun:
    """Deliver what is due, batch after batch (so the next message of a destination follows the one
    just delivered), until nothing is due or `limit` attempts were made."""
    now = now or timezone.now()
    run = DeliveryRun()
    while run.attempted < limit:
        batch = claim_due(now=now, limit=min(batch_size, limit - run.attempted))
        if not batch:
            break
        for message in batch:
            state = deliver(message, now=now)
            if state == OutboxState.DELIVERED:
                run.delivered += 1
            elif state == OutboxState.FAILED:
                run.failed += 1
            else:
                run.retrying += 1
    return run


@task()
def deliver_outbox() -> int:
    """Deliver the messages that are due; returns how many were delivered."""
    return deliver_due().delivered


@task()
def prune_outbox() -> int:
    """Delete delivered messages after a month and failed ones after a year; returns how many."""
    now = timezone.now()
    deleted, _by_model = OutboxMessage.objects.filter(
        state=OutboxState.DELIVERED, created_at__lt=now - KEEP_DELIVERED
    ).delete()
    failed, _by_model = OutboxMessage.objects.filter(
        state=OutboxState.FAILED, created_at__lt=now - KEEP_FAILED
    ).delete()
    return deleted + failed


# --- resending ---------------------------------------------------------------------------------


@transaction.atomic
def resend(*, message: OutboxMessage, now: dt.datetime | None = None) -> OutboxMessage:
    """Put a failed message back in line, with a fresh series of attempts and its own idempotency
    key. The caller (the app that owns the destination) checks who may and audits it."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.state != OutboxState.FAILED:
        raise ValidationError(_("Alleen een mislukt bericht kan opnieuw verstuurd worden."))
    message.state = OutboxState.PENDING
    message.attempts = 0
    message.next_attempt_at = now or timezone.now()
    message.save(update_fields=["state", "attempts", "next_attempt_at"])
    _deliver_after_commit()
    return message
