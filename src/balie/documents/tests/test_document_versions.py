"""A new file for a document is a new version: numbered 1, 2, 3 …, the newest is current, the
earlier ones stay as they were. A refused version changes nothing."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from balie.documents.actions import add_version, store_document
from balie.documents.models import DocumentVersion
from balie.documents.queries import versions_of

from . import samples
from .samples import stored_files, upload


@pytest.fixture
def document(handler):
    return store_document(file=upload("brief.docx", samples.docx("Ontwerp")), title="Brief", by=handler)


def test_versions_are_numbered_and_the_newest_is_current(handler, document, media_root):
    second = add_version(document=document, file=upload("brief v2.docx", samples.docx("Tweede")), by=handler)
    third = add_version(document=document, file=upload("brief-getekend.pdf", samples.PDF), by=handler)

    document.refresh_from_db()
    assert [v.number for v in versions_of(document)] == [3, 2, 1]
    assert document.current_version == third and third.number == 3 and second.number == 2
    assert third.mime_type == "application/pdf" and third.original_filename == "brief-getekend.pdf"
    assert second.sha256 == hashlib.sha256(samples.docx("Tweede")).hexdigest()
    first = DocumentVersion.objects.get(document=document, number=1)
    assert first.sha256 == hashlib.sha256(samples.docx("Ontwerp")).hexdigest()
    assert len(stored_files(media_root)) == 3  # every version keeps its own file


def test_a_refused_version_changes_nothing(handler, document, media_root):
    before = stored_files(media_root)

    with pytest.raises(ValidationError):
        add_version(document=document, file=upload("brief.docx", samples.EXE), by=handler)

    document.refresh_from_db()
    assert document.current_version.number == 1
    assert DocumentVersion.objects.filter(document=document).count() == 1
    assert stored_files(media_root) == before


def test_someone_who_may_not_see_the_document_cannot_add_a_version(handler, front_desk, omgeving, media_root):
    secret = store_document(
        file=upload("advies.pdf", samples.PDF),
        title="Advies",
        by=handler,
        confidential=True,
        department=omgeving,
    )
    before = stored_files(media_root)

    with pytest.raises(ValidationError):
        add_version(document=secret, file=upload("advies2.pdf", samples.PDF), by=front_desk)

    assert DocumentVersion.objects.filter(document=secret).count() == 1
    assert stored_files(media_root) == before
