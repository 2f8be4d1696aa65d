"""A file over BALIE_DOCUMENT_MAX_BYTES is refused with a clear message and leaves nothing behind,
also when the size it claims is less than what it holds (it is counted while it streams)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File

from balie.documents.actions import store_document
from balie.documents.models import Document, DocumentVersion

from . import samples
from .samples import stored_files, upload


@pytest.fixture(autouse=True)
def _small_limit(settings) -> None:
    settings.BALIE_DOCUMENT_MAX_BYTES = 1024


def pdf_of(size: int) -> bytes:
    """A whole PDF of exactly `size` bytes: a comment fills it up before its end mark."""
    return samples.PDF[:-6] + b"%" * (size - len(samples.PDF)) + samples.PDF[-6:]


def test_a_file_over_the_limit_is_refused(handler, media_root):
    with pytest.raises(ValidationError) as refused:
        store_document(file=upload("groot.pdf", pdf_of(1025)), title="Groot", by=handler)

    assert refused.value.message_dict == {"file": ["Het bestand is te groot: het mag hoogstens 1,0 KB zijn."]}
    assert stored_files(media_root) == []
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_a_file_of_exactly_the_limit_is_accepted(handler):
    document = store_document(file=upload("net.pdf", pdf_of(1024)), title="Net", by=handler)

    assert document.current_version.size == 1024


def test_the_default_limit_is_25_mb(settings, handler, media_root):
    settings.BALIE_DOCUMENT_MAX_BYTES = 25 * 1024 * 1024

    with pytest.raises(ValidationError) as refused:
        store_document(file=upload("groot.pdf", pdf_of(25 * 1024 * 1024 + 1)), title="Groot", by=handler)

    assert "hoogstens 25,0 MB" in refused.value.messages[0]
    assert stored_files(media_root) == []


class LyingFile(File):
    """A file that claims to be smaller than it is."""

    @property
    def size(self) -> int:  # type: ignore[override]
        return 100


def test_a_file_larger_than_it_claims_is_stopped_while_it_streams(handler, media_root):
    lying = LyingFile(io.BytesIO(pdf_of(200 * 1024)), name="klein.pdf")

    with pytest.raises(ValidationError) as refused:
        store_document(file=lying, title="Klein", by=handler)

    assert "te groot" in refused.value.messages[0]
    assert stored_files(media_root) == []
    assert not Document.objects.exists()
