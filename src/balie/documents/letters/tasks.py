"""Background work of letters: mass mailings (mailing.py)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from .mailing import mailings_to_resume, run_mailing_now


@task()
def run_mailing(mailing_id: int) -> dict[str, int]:
    """Make a mass mailing's pending letters (continues where an earlier run stopped)."""
    return run_mailing_now(mailing_id)


@task()
def resume_mailings() -> int:
    """Every minute: a run for each mailing whose run stopped or whose job was lost."""
    with transaction.atomic():
        ids = mailings_to_resume()
        for mailing_id in ids:
            run_mailing.enqueue(mailing_id=mailing_id)
    return len(ids)
