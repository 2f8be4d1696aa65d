"""Reading the text of stored versions in the background.

Storing a version enqueues `extract_version_text` in the same transaction (actions._new_version).
A run claims the version in a short transaction (a lease of LEASE, attempt + 1), reads the text
outside any transaction (OCR may take minutes), renewing the lease after every page, and writes
the outcome in a second short transaction, only if the claim is still its own.

django-tasks-db leaves the task of a worker that died (killed, out of memory, the machine
restarted) as "running" for ever; the version's own lease is what counts: the scheduled job
`resume_text_extraction` enqueues again every version whose lease ran out, and every version that
waited long without being claimed (an enqueue that was lost). A version that was interrupted
BALIE_TEXT_MAX_ATTEMPTS times fails with that reason instead of taking the worker down again.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .files import document_storage
from .models import DocumentVersion, TextState
from .search import index_document
from .text import Extracted, extract_text
from .text_errors import ExtractionFailed, NotApplicable, Superseded

logger = logging.getLogger("balie.documents")

LEASE = dt.timedelta(minutes=5)
REQUEUE_AFTER = dt.timedelta(minutes=15)
RESUME_LIMIT = 200


@dataclass(frozen=True)
class Claim:
    version_id: int
    attempt: int
    file_name: str
    mime_type: str


def max_attempts() -> int:
    return int(settings.BALIE_TEXT_MAX_ATTEMPTS)


@task()
def extract_version_text(version_id: int) -> str:
    return read_version_text(version_id)


def queue_text_extraction(version: DocumentVersion) -> None:
    """Ask for the version's text (in the caller's transaction: the task exists exactly when the
    version does)."""
    extract_version_text.enqueue(version.pk)


def read_version_text(version_id: int) -> str:
    """Claim, read, record. Returns what happened (for the task's result and the logs)."""
    claim = _claim(version_id)
    if claim is None:
        return "not claimed"
    try:
        with tempfile.TemporaryDirectory(prefix="balie-text-") as workdir:
            local = _fetch(claim.file_name, Path(workdir))
            extracted = extract_text(
                local, claim.mime_type, workdir=Path(workdir), progress=lambda: _renew(claim)
            )
    except Superseded:
        return "superseded"
    except NotApplicable as outcome:
        return _finish(claim, state=TextState.NOT_APPLICABLE, reason=outcome.reason)
    except ExtractionFailed as failure:
        return _finish(claim, state=TextState.FAILED, reason=failure.reason)
    except Exception:  # a bug or a library's surprise: visible on the version, retryable
        logger.exception("reading the text of a document version failed", extra={"version": version_id})
        return _finish(
            claim, state=TextState.FAILED, reason=_("Onverwachte fout bij het lezen van de tekst.")
        )
    return _finish(claim, state=TextState.DONE, extracted=extracted)


def _claim(version_id: int) -> Claim | None:
    now = timezone.now()
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().filter(pk=version_id).first()
        if version is None or version.text_state != TextState.WAITING:
            return None
        if version.text_lease_until is not None and version.text_lease_until > now:
            return None  # another worker is reading it
        if version.text_attempts >= max_attempts():
            version.text_state = TextState.FAILED
            version.text_error = _(
                "Het lezen van de tekst werd %(count)d keer onderbroken; probeer het opnieuw."
            ) % {"count": version.text_attempts}
            version.text_lease_until = None
            version.text_done_at = now
            version.save(update_fields=["text_state", "text_error", "text_lease_until", "text_done_at"])
            return None
        version.text_attempts += 1
        version.text_lease_until = now + LEASE
        version.save(update_fields=["text_attempts", "text_lease_until"])
        return Claim(version.pk, version.text_attempts, version.file.name or "", version.mime_type)


def _renew(claim: Claim) -> None:
    renewed = DocumentVersion.objects.filter(
        pk=claim.version_id, text_state=TextState.WAITING, text_attempts=claim.attempt
    ).update(text_lease_until=timezone.now() + LEASE)
    if not renewed:
        raise Superseded


def _fetch(name: str, workdir: Path) -> Path:
    """A local copy of the stored file (the storage may be an object store)."""
    local = workdir / "file"
    try:
        with document_storage().open(name, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
    except OSError as error:
        raise ExtractionFailed(
            _("Het bestand kon niet uit de opslag gelezen worden (%(error)s).") % {"error": error}
        ) from None
    return local


def _finish(claim: Claim, *, state: str, extracted: Extracted | None = None, reason: str = "") -> str:
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().filter(pk=claim.version_id).first()
        if (
            version is None
            or version.text_state != TextState.WAITING
            or version.text_attempts != claim.attempt
        ):
            return "superseded"
        version.text_state = state
        version.text_error = reason[:500]
        version.text = extracted.text if extracted else ""
        version.text_method = extracted.method if extracted else ""
        version.text_pages = extracted.pages if extracted else None
        version.text_lease_until = None
        version.text_done_at = timezone.now()
        version.save(
            update_fields=[
                "text_state",
                "text_error",
                "text",
                "text_method",
                "text_pages",
                "text_lease_until",
                "text_done_at",
            ]
        )
        index_document(version.document_id)
    logger.info(
        "document text read",
        extra={"version": claim.version_id, "state": state, "pages": version.text_pages},
    )
    return str(state)


# --- taking up what was left -------------------------------------------------------------------


def resume_waiting_versions(*, now: dt.datetime | None = None, limit: int = RESUME_LIMIT) -> int:
    """Enqueue again the versions whose reader died (lease run out) or whose task never came
    (waiting unclaimed for REQUEUE_AFTER); returns how many."""
    now = now or timezone.now()
    stale = Q(text_lease_until__lt=now) | Q(
        Q(text_queued_at__isnull=True) | Q(text_queued_at__lt=now - REQUEUE_AFTER),
        text_lease_until__isnull=True,
    )
    with transaction.atomic():
        ids = list(
            DocumentVersion.objects.filter(stale, text_state=TextState.WAITING)
            .order_by("text_queued_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return 0
        DocumentVersion.objects.filter(pk__in=ids).update(text_queued_at=now, text_lease_until=None)
        for version_id in ids:
            extract_version_text.enqueue(version_id)
    logger.info("document text reading resumed", extra={"versions": len(ids)})
    return len(ids)


@task()
def resume_text_extraction() -> int:
    return resume_waiting_versions()
