"""Background work of the post register: splitting batch scans."""

from __future__ import annotations

from django_tasks import task

from .batches import split


@task()
def split_batch(batch_id: int) -> str:
    """Split one uploaded batch scan into its letters (see batches.py); returns its end state."""
    return str(split(batch_id).state)
