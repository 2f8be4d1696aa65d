"""A batch scan: a stack of letters with Balie's separator sheets between them, scanned into one
image-only PDF, is split by the background worker into one incoming item per letter, each with a
PDF of its own pages; separators and blank pages are left out. The post room then completes each
item (sender, subject), after which it joins its department's queue."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.core.worker import run_ready_tasks
from balie.correspondence.actions import complete_details
from balie.correspondence.batches import retry_batch, split, upload_batch
from balie.correspondence.models import DocumentRole, PostItem, PostStatus, ScanBatch, ScanBatchState
from balie.correspondence.queries import PostQueueFilter, items_to_complete, queue_for
from balie.documents.files import document_storage

from .samples import blank_pdf, letter_pdf, scanned, separator_pdf, stored_files, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SENDERS = [
    "Marc Claes", "Els Wouters", "Bakkerij Verhoeven", "Jan Peeters", "Sofie Maes",
    "Tennisclub Zonnedaal", "Karim El Amrani", "Lies Janssens", "Notaris Van Dyck", "Wim De Backer",
]  # fmt: skip


def _pages(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def _stack() -> bytes:
    """Ten letters (the third and seventh two pages long, the fifth with a blank back page),
    separator sheets between them, and one extra separator at the end."""
    documents: list[bytes] = []
    for number, sender in enumerate(SENDERS, start=1):
        if number > 1:
            documents.append(separator_pdf())
        documents.append(letter_pdf(sender, f"Brief {number}", pages=2 if number in (3, 7) else 1))
        if number == 5:
            documents.append(blank_pdf())
    documents.append(separator_pdf())
    return scanned(documents)


def test_a_batch_of_ten_letters_becomes_ten_items(post_room, omgeving, media_root):
    stack = _stack()
    assert _pages(stack) == 10 + 2 + 1 + 10  # letters' pages, the blank back page, ten separators

    batch = upload_batch(file=upload("stapel.pdf", stack), by=post_room, department=omgeving)
    assert batch.state == ScanBatchState.QUEUED and len(stored_files(media_root)) == 1

    run_ready_tasks()  # the split, then the text of each letter's scan (the document store's own task)

    batch.refresh_from_db()
    assert batch.state == ScanBatchState.DONE
    assert (batch.pages, batch.pages_read, batch.separators, batch.blank_pages) == (23, 23, 10, 1)
    assert (batch.letters, batch.items_registered, batch.warning, batch.error) == (10, 10, "", "")
    items = list(PostItem.objects.filter(batch=batch).order_by("batch_index"))
    year = timezone.localdate().year
    assert [item.number for item in items] == [f"IN-{year}-{n:06d}" for n in range(1, 11)]
    assert all(
        (i.channel, i.department, i.needs_details, i.status, i.received_on)
        == ("paper", omgeving, True, PostStatus.REGISTERED, batch.received_on)
        for i in items
    )
    page_counts = []
    for item in items:
        link = item.documents.select_related("document__current_version").get()
        assert link.role == DocumentRole.SCAN
        with document_storage().open(link.document.current_version.file.name, "rb") as handle:
            page_counts.append(_pages(handle.read()))
    assert page_counts == [1, 1, 2, 1, 1, 1, 2, 1, 1, 1]
    # The stack's own file is gone once every letter has its own.
    assert batch.file == "" and len(stored_files(media_root)) == 10


def test_the_items_are_completed_in_the_post_room_before_they_reach_the_queue(
    post_room, omgeving, handler, sender
):
    stack = scanned(
        [letter_pdf("Marc Claes", "Brief 1"), separator_pdf(), letter_pdf("Els Wouters", "Brief 2")]
    )
    upload_batch(file=upload("stapel.pdf", stack), by=post_room, department=omgeving)
    run_ready_tasks()
    first, second = items_to_complete(post_room)
    assert queue_for(handler, PostQueueFilter()) == []

    complete_details(item=first, by=post_room, party=sender, subject="Bouwaanvraag", handler=handler)

    first.refresh_from_db()
    assert (first.needs_details, first.subject, first.party, first.status) == (
        False,
        "Bouwaanvraag",
        sender,
        PostStatus.ASSIGNED,
    )
    assert items_to_complete(post_room) == [second]
    assert queue_for(handler, PostQueueFilter()) == [first]


def test_a_batch_without_separators_is_one_item(post_room, omgeving):
    stack = scanned([letter_pdf("Marc Claes", "Lange brief", pages=3)])

    batch = upload_batch(file=upload("brief.pdf", stack), by=post_room, department=omgeving)
    run_ready_tasks()

    batch.refresh_from_db()
    assert (batch.state, batch.letters, batch.separators) == (ScanBatchState.DONE, 1, 0)
    assert batch.warning == "Geen scheidingsbladen gevonden: het hele bestand is één poststuk geworden."
    assert PostItem.objects.filter(batch=batch).count() == 1


def test_a_batch_of_blank_pages_and_separators_makes_no_item(post_room, omgeving):
    stack = scanned([blank_pdf(), separator_pdf(), separator_pdf(), blank_pdf()])

    batch = upload_batch(file=upload("leeg.pdf", stack), by=post_room, department=omgeving)
    run_ready_tasks()

    batch.refresh_from_db()
    assert (batch.state, batch.letters, batch.blank_pages, batch.separators) == (ScanBatchState.DONE, 0, 2, 2)
    assert batch.warning == "Geen enkele pagina met inhoud: er is geen poststuk gemaakt."
    assert PostItem.objects.count() == 0


def test_a_split_that_runs_again_registers_no_letter_twice(post_room, omgeving):
    stack = scanned(
        [
            letter_pdf("A", "Een"),
            separator_pdf(),
            letter_pdf("B", "Twee"),
            separator_pdf(),
            letter_pdf("C", "Drie"),
        ]
    )
    batch = upload_batch(file=upload("stapel.pdf", stack), by=post_room, department=omgeving)
    run_ready_tasks()
    # As if the worker died after the second letter: the third item and the end are undone.
    PostItem.objects.filter(batch=batch, batch_index=3).delete()
    ScanBatch.objects.filter(pk=batch.pk).update(
        state=ScanBatchState.FAILED, file=batch.file, items_registered=2, error="Werker gestopt"
    )
    # (The split deleted the stack's file when it finished: put it back, as it was then.)
    document_storage().save(batch.file, io.BytesIO(stack))

    retry_batch(batch=ScanBatch.objects.get(pk=batch.pk), by=post_room)
    run_ready_tasks()

    batch.refresh_from_db()
    assert (batch.state, batch.items_registered, batch.runs) == (ScanBatchState.DONE, 3, 2)
    assert sorted(PostItem.objects.filter(batch=batch).values_list("batch_index", flat=True)) == [1, 2, 3]


def test_a_finished_batch_is_not_run_again(post_room, omgeving):
    batch = upload_batch(
        file=upload("brief.pdf", scanned([letter_pdf("A", "Een")])), by=post_room, department=omgeving
    )
    run_ready_tasks()

    assert split(batch.pk).runs == 1
    with pytest.raises(ValidationError, match="niet mislukt"):
        retry_batch(batch=batch, by=post_room)
    assert PostItem.objects.count() == 1


def test_a_tiff_is_no_batch(post_room, omgeving):
    from .samples import tiff_scan

    with pytest.raises(ValidationError) as refused:
        upload_batch(file=upload("stapel.tif", tiff_scan()), by=post_room, department=omgeving)

    assert refused.value.message_dict == {
        "file": ["Een batch is één PDF met alle brieven en scheidingsbladen."]
    }
    assert ScanBatch.objects.count() == 0
