"""Batch scans: the post room uploads one PDF with a whole stack of letters, separated by Balie's
separator sheets; a background task splits it and registers one incoming item per letter.

The upload is checked like any scan (type from the content, not encrypted, not broken) and kept in
the document storage until the split is done; the task is enqueued in the same transaction as the
batch row. The split records how far it got: the pages read (progress), then each letter's item
together with the batch's count in one transaction. A split that stopped (a worker that died, a
failure) runs again from the start of the file and skips the letters already registered (one
item per batch and letter number, also a database constraint), so nothing is registered twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.audit.actions import record_creation
from balie.documents.actions import discard_new_files_on_failure, write_file
from balie.documents.files import HEAD_BYTES, clean_filename, document_storage, sniff_mime_type

from .actions import register_incoming
from .models import PostChannel, PostItem, ScanBatch, ScanBatchState
from .permissions import can_register_post
from .scans import PDF, PageKind, check_incoming_file, classify_pages, extract_pages, letters_from

logger = logging.getLogger("balie.correspondence")

STALE_AFTER = dt.timedelta(minutes=30)
"""A split that has been running this long without finishing is taken to have died with its worker."""


def upload_batch(
    *,
    file: Any,
    by: User,
    department: Department | None = None,
    received_on: dt.date | None = None,
    confidential: bool = False,
) -> ScanBatch:
    """Keep a batch scan (a PDF) and enqueue its split. Each letter becomes an incoming item of
    `department` (default: the uploader's), received on `received_on` (today), whose sender and
    subject the post room then fills in. Refused before anything is stored."""
    if not can_register_post(by):
        raise ValidationError(_("Alleen een medewerker van een dienst kan post registreren."))
    department = department or by.department
    errors: dict[str, list[str]] = {}
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        errors["received_on"] = [_("De ontvangstdatum ligt in de toekomst.")]
    if department is None or not department.active:
        errors["department"] = [_("Kies een actieve dienst.")]
    mime_type = ""
    try:
        mime_type = check_incoming_file(file, scan=True)
    except ValidationError as error:
        errors["file"] = error.message_dict.get("file", error.messages)
    else:
        if mime_type != PDF:
            errors["file"] = [_("Een batch is één PDF met alle brieven en scheidingsbladen.")]
    if errors:
        raise ValidationError(errors)
    assert department is not None
    from .tasks import split_batch  # the task module imports this one

    with discard_new_files_on_failure():
        stored = write_file(file, mime_type=mime_type)
        with transaction.atomic():
            batch = ScanBatch.objects.create(
                uploaded_by=by,
                department=department,
                received_on=received_on,
                confidential=confidential,
                original_filename=stored.original_filename,
                file=stored.name,
                size=stored.size,
                sha256=stored.sha256,
            )
            record_creation(
                instance=batch,
                fields=["department", "received_on", "confidential", "original_filename", "sha256"],
                by=by,
            )
            split_batch.enqueue(batch.pk)
    return batch


@dataclass(frozen=True)
class UploadOutcome:
    """What became of one file of a bulk upload: a batch to split, an item, or the reason it was refused."""

    filename: str
    batch: ScanBatch | None = None
    item: PostItem | None = None
    error: str = ""


def upload_scans(
    *,
    files: Sequence[Any],
    by: User,
    department: Department | None = None,
    received_on: dt.date | None = None,
    confidential: bool = False,
) -> list[UploadOutcome]:
    """The scanner's files, each on its own: a PDF is a batch (split on separator sheets in the
    background; without separators it is one item), an image (TIFF, PNG, JPEG) one item at once.
    Every item still needs its sender and subject. A refused file leaves nothing and does not stop
    the others; the outcome says why."""
    outcomes: list[UploadOutcome] = []
    for file in files:
        name = clean_filename(getattr(file, "name", "") or "")
        try:
            if sniff_mime_type(_head(file)) == PDF:
                batch = upload_batch(
                    file=file,
                    by=by,
                    department=department,
                    received_on=received_on,
                    confidential=confidential,
                )
                outcomes.append(UploadOutcome(name, batch=batch))
            else:
                item = register_incoming(
                    by=by,
                    channel=PostChannel.PAPER,
                    department=department or by.department,
                    received_on=received_on,
                    confidential=confidential,
                    scan=file,
                    needs_details=True,
                )
                outcomes.append(UploadOutcome(name, item=item))
        except ValidationError as error:
            outcomes.append(UploadOutcome(name, error=" ".join(error.messages)))
    return outcomes


def _head(file: Any) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return bytes(head)


@transaction.atomic
def retry_batch(*, batch: ScanBatch, by: User) -> ScanBatch:
    """Run the split of a failed batch again (or of one whose worker died): it carries on, the
    letters already registered are skipped."""
    from .tasks import split_batch

    batch = ScanBatch.objects.select_for_update().get(pk=batch.pk)
    stale = (
        batch.state == ScanBatchState.RUNNING
        and batch.started_at is not None
        and timezone.now() - batch.started_at > STALE_AFTER
    )
    if batch.state != ScanBatchState.FAILED and not stale:
        raise ValidationError(_("Deze batch is niet mislukt; er is niets om opnieuw te proberen."))
    if not batch.file:
        raise ValidationError(_("Het bestand van deze batch is er niet meer; laad het opnieuw op."))
    if not can_register_post(by):
        raise ValidationError(_("Alleen een medewerker van een dienst kan post registreren."))
    batch.state, batch.error = ScanBatchState.QUEUED, ""
    batch.save(update_fields=["state", "error", "updated_at"])
    split_batch.enqueue(batch.pk)
    return batch


def _claim(batch_id: int) -> ScanBatch | None:
    with transaction.atomic():
        batch = ScanBatch.objects.select_for_update().get(pk=batch_id)
        if batch.state != ScanBatchState.QUEUED:
            return None  # done, failed, or being split by another worker
        batch.state = ScanBatchState.RUNNING
        batch.runs += 1
        batch.started_at = timezone.now()
        batch.pages_read = 0
        batch.save(update_fields=["state", "runs", "started_at", "pages_read", "updated_at"])
    return batch


@contextlib.contextmanager
def _local_copy(name: str) -> Iterator[Path]:
    """The batch's file as a path on this machine (poppler reads files; the storage may be S3)."""
    with tempfile.TemporaryDirectory(prefix="balie-batch-") as tmp:
        path = Path(tmp) / "batch.pdf"
        with document_storage().open(name, "rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        yield path


def _progress(batch: ScanBatch) -> Any:
    def report(pages_read: int, _kinds: list[PageKind]) -> None:
        ScanBatch.objects.filter(pk=batch.pk).update(pages_read=pages_read, updated_at=timezone.now())

    return report


def _register_letter(batch: ScanBatch, index: int, pdf: bytes) -> PostItem:
    stem = batch.original_filename.rsplit(".", 1)[0] or "batch"
    scan = ContentFile(pdf, name=f"{stem}-{index:03d}.pdf")
    with discard_new_files_on_failure(), transaction.atomic():
        item = register_incoming(
            by=batch.uploaded_by,
            channel=PostChannel.PAPER,
            department=batch.department,
            received_on=batch.received_on,
            confidential=batch.confidential,
            scan=scan,
            needs_details=True,
            batch=batch,
            batch_index=index,
        )
        ScanBatch.objects.filter(pk=batch.pk).update(items_registered=F("items_registered") + 1)
    return item


def split(batch_id: int) -> ScanBatch:
    """Split a queued batch: read every page, register one item per letter. Returns the batch
    as it ended (done, or failed with the reason)."""
    batch = _claim(batch_id)
    if batch is None:
        return ScanBatch.objects.get(pk=batch_id)
    try:
        with _local_copy(batch.file) as path:
            kinds = classify_pages(path, on_progress=_progress(batch))
            letters = letters_from(kinds)
            batch.pages = batch.pages_read = len(kinds)
            batch.separators = sum(kind is PageKind.SEPARATOR for kind in kinds)
            batch.blank_pages = sum(kind is PageKind.BLANK for kind in kinds)
            batch.letters = len(letters)
            batch.save(
                update_fields=["pages", "pages_read", "separators", "blank_pages", "letters", "updated_at"]
            )
            done = set(PostItem.objects.filter(batch=batch).values_list("batch_index", flat=True))
            for index, pages in enumerate(letters, start=1):
                if index not in done:
                    _register_letter(batch, index, extract_pages(path, pages))
    except Exception as error:  # recorded on the batch for the post room, and logged
        logger.exception("batch scan split failed", extra={"batch": str(batch.uuid)})
        message = error.messages[0] if isinstance(error, ValidationError) else _("onverwachte fout")
        ScanBatch.objects.filter(pk=batch.pk).update(
            state=ScanBatchState.FAILED,
            error=(_("De scan kon niet gesplitst worden: %(reason)s") % {"reason": message})[:500],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return ScanBatch.objects.get(pk=batch.pk)
    return _finish(batch)


def _finish(batch: ScanBatch) -> ScanBatch:
    warning = ""
    if batch.letters == 0:
        warning = _("Geen enkele pagina met inhoud: er is geen poststuk gemaakt.")
    elif batch.separators == 0:
        warning = _("Geen scheidingsbladen gevonden: het hele bestand is één poststuk geworden.")
    name = batch.file
    with transaction.atomic():
        ScanBatch.objects.filter(pk=batch.pk).update(
            state=ScanBatchState.DONE,
            warning=warning,
            file="",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        # Every letter is an item with its own PDF now: the stack's file is not kept.
        transaction.on_commit(lambda: _delete_file(name))
    return ScanBatch.objects.get(pk=batch.pk)


def _delete_file(name: str) -> None:
    try:
        document_storage().delete(name)
    except OSError:
        logger.exception("could not delete a split batch file", extra={"file": name})
