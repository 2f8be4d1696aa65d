"""A worker that dies while it reads a text (killed, out of memory) leaves its task "running" in
the queue for ever; the version's own lease runs out and the scheduled job enqueues it again.
One that keeps dying fails after BALIE_TEXT_MAX_ATTEMPTS rather than take every worker down."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balie.core.schedule import schedule
from balie.core.worker import run_ready_tasks
from balie.documents.actions import store_document
from balie.documents.models import DocumentVersion, TextState
from balie.documents.tasks import LEASE, REQUEUE_AFTER, _claim, resume_waiting_versions

from .samples import upload


def stored(handler) -> DocumentVersion:
    document = store_document(
        file=upload("nota.txt", b"Verslag van de buurtvergadering"), title="", by=handler
    )
    DBTaskResult.objects.all().delete()  # the worker that took the task died with it
    return document.current_version


def test_a_version_whose_reader_died_is_read_once_its_lease_ran_out(handler):
    version = stored(handler)
    claim = _claim(version.pk)  # a worker claims it ... and is killed
    assert claim is not None and claim.attempt == 1

    assert resume_waiting_versions() == 0  # the lease still runs: it may be alive
    later = timezone.now() + LEASE + dt.timedelta(seconds=1)
    assert resume_waiting_versions(now=later) == 1
    run_ready_tasks()

    version.refresh_from_db()
    assert version.text_state == TextState.DONE
    assert version.text == "Verslag van de buurtvergadering"
    assert version.text_attempts == 2 and version.text_lease_until is None


def test_a_late_writer_whose_claim_was_taken_over_writes_nothing(handler):
    from balie.documents.tasks import _finish
    from balie.documents.text import Extracted

    version = stored(handler)
    first = _claim(version.pk)
    DocumentVersion.objects.filter(pk=version.pk).update(text_lease_until=timezone.now())
    second = _claim(version.pk)
    assert first is not None and second is not None and second.attempt == 2

    assert _finish(first, state=TextState.DONE, extracted=Extracted("oud", "file", None)) == "superseded"
    assert _finish(second, state=TextState.DONE, extracted=Extracted("nieuw", "file", None)) == "done"

    version.refresh_from_db()
    assert version.text == "nieuw"


def test_a_version_that_waited_long_without_a_task_is_enqueued_again(handler):
    version = stored(handler)

    assert resume_waiting_versions() == 0
    assert resume_waiting_versions(now=timezone.now() + REQUEUE_AFTER + dt.timedelta(seconds=1)) == 1
    assert run_ready_tasks() == 1

    version.refresh_from_db()
    assert version.text_state == TextState.DONE


def test_a_version_interrupted_too_often_fails_with_that_reason(handler, settings):
    settings.BALIE_TEXT_MAX_ATTEMPTS = 2
    version = stored(handler)
    for _attempt in range(2):
        assert _claim(version.pk) is not None
        DocumentVersion.objects.filter(pk=version.pk).update(text_lease_until=timezone.now())

    assert _claim(version.pk) is None

    version.refresh_from_db()
    assert version.text_state == TextState.FAILED
    assert version.text_error == "Het lezen van de tekst werd 2 keer onderbroken; probeer het opnieuw."


def test_a_version_already_read_is_not_read_twice(handler):
    version = stored(handler)
    assert _claim(version.pk) is not None
    DocumentVersion.objects.filter(pk=version.pk).update(
        text_state=TextState.DONE, text="al gelezen", text_lease_until=None
    )

    assert resume_waiting_versions(now=timezone.now() + REQUEUE_AFTER * 2) == 0
    assert _claim(version.pk) is None


def test_the_job_runs_every_minute():
    job = schedule.get("documents.resume_text_extraction")

    assert job.when.describe() == "every 0:01:00"
