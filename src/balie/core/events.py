"""Domain events: what happened, told to whoever subscribed, inside the business transaction.

A domain action calls `publish(...)` in its transaction. Subscribers (the API's webhooks, later
other integrations) are registered by higher apps in AppConfig.ready(); each writes what it needs
(typically outbox rows) in that same transaction, so an event exists exactly when its change does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from .registries import Registry


@dataclass(frozen=True)
class DomainEvent:
    type: str  # "be.balie.case.status_changed" (CloudEvents type)
    subject: str  # the public id of what it is about
    data: dict[str, Any]
    source: str = "/balie"
    department: str = ""  # code of the owning department, for subscription filters
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    time: dt.datetime = field(default_factory=timezone.now)


EventSubscriber = Callable[[DomainEvent], None]

event_subscribers: Registry[EventSubscriber] = Registry("event subscribers")


def publish(event: DomainEvent) -> None:
    """Hand `event` to every subscriber; must run inside the transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish() must run inside the transaction of the change it reports")
    for _name, subscriber in event_subscribers:
        subscriber(event)
