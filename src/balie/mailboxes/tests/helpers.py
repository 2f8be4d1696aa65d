from __future__ import annotations

import datetime as dt

from django.utils import timezone

from balie.core.outbox import DeliveryRun, deliver_due
from balie.documents.files import document_storage


def deliver(*, minutes_later: float = 0) -> DeliveryRun:
    """Run the outbox as the worker would, now or as if some minutes had passed."""
    return deliver_due(now=timezone.now() + dt.timedelta(minutes=minutes_later))


def stored_bytes(document) -> bytes:
    version = document.current_version
    with document_storage().open(version.file.name, "rb") as handle:
        return handle.read()
