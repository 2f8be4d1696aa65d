"""A file is written before its transaction commits; when the transaction fails after all, the
file is deleted again, so storage never holds a file without its row."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from balie.accounts.models import Department
from balie.documents.actions import discard_new_files_on_failure, store_document
from balie.documents.models import Document

from . import samples
from .samples import stored_files, upload


def test_a_failure_after_storing_inside_the_same_block_removes_the_file(handler, media_root):
    with pytest.raises(RuntimeError), discard_new_files_on_failure(), transaction.atomic():
        store_document(file=upload("scan.pdf", samples.PDF), title="Scan", by=handler)
        assert len(stored_files(media_root)) == 1
        raise RuntimeError("the caller refuses after all")

    assert stored_files(media_root) == []
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_commit_that_fails_removes_the_file(handler, media_root):
    """The row points at a department that is not there: the foreign key is checked at commit."""
    missing = Department(pk=10**9, name="Weg", code="weg")

    with pytest.raises(IntegrityError):
        store_document(file=upload("scan.pdf", samples.PDF), title="Scan", by=handler, department=missing)

    assert stored_files(media_root) == []
    assert not Document.objects.exists()


def test_a_successful_block_keeps_its_files(handler, media_root):
    with discard_new_files_on_failure(), transaction.atomic():
        store_document(file=upload("a.pdf", samples.PDF), title="A", by=handler)
        store_document(file=upload("b.pdf", samples.PDF), title="B", by=handler)

    assert len(stored_files(media_root)) == 2
