"""Background work of the mailboxes: the scheduled poll of every mailbox that is due."""

from __future__ import annotations

from django_tasks import task

from .polling import poll_all


@task()
def poll_mailboxes() -> dict[str, int]:
    """Read every active mailbox whose back-off has passed; returns messages ingested per mailbox."""
    return {address: result.ingested for address, result in poll_all().items()}
