"""A PDF that is encrypted, cut off or broken is refused at the door with a message in Dutch, and
leaves nothing: no row, no file, no task, no audit record. qpdf (pikepdf) opens it to see."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from balie.audit.models import ChangeRecord
from balie.documents.actions import add_version, store_document
from balie.documents.models import Document, DocumentVersion

from . import samples
from .samples import stored_files, upload

PASSWORD = (
    "Dit PDF-bestand is beveiligd met een wachtwoord; bewaar het zonder wachtwoord en laad het opnieuw op."
)
ENCRYPTED = "Dit PDF-bestand is versleuteld; bewaar het zonder beveiliging en laad het opnieuw op."
CUT_OFF = "Dit PDF-bestand is onvolledig (het einde ontbreekt); laad het opnieuw op."
BROKEN = "Dit PDF-bestand is beschadigd en kan niet gelezen worden."
NO_PAGES = "Dit PDF-bestand heeft geen pagina's."


def cut_off() -> bytes:
    content = samples.text_pdf("Aanvraag", "Bijlage")
    return content[: len(content) * 2 // 3]


def broken() -> bytes:
    """Starts like a PDF and ends like one, with nothing readable in between."""
    return b"%PDF-1.7\n" + b"\x00\x13garbage " * 200 + b"\n%%EOF\n"


def no_pages() -> bytes:
    import io

    import pikepdf

    buffer = io.BytesIO()
    pikepdf.new().save(buffer)
    return buffer.getvalue()


def assert_nothing_left(media_root) -> None:
    assert stored_files(media_root) == []
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not ChangeRecord.objects.filter(model__startswith="documents.").exists()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: samples.encrypted_pdf(user_password="geheim"), PASSWORD),
        (lambda: samples.encrypted_pdf(user_password=""), ENCRYPTED),
        (cut_off, CUT_OFF),
        (broken, BROKEN),
        (no_pages, NO_PAGES),
    ],
    ids=["password", "encrypted-without-password", "cut-off", "broken", "no-pages"],
)
def test_a_bad_pdf_is_refused_and_leaves_nothing(handler, media_root, build, message):
    with pytest.raises(ValidationError) as refused:
        store_document(file=upload("brief.pdf", build(), "application/pdf"), title="Brief", by=handler)

    assert refused.value.message_dict == {"file": [message]}
    assert_nothing_left(media_root)


def test_a_bad_pdf_is_refused_as_a_new_version_too(handler, media_root):
    document = store_document(file=upload("brief.pdf", samples.PDF), title="Brief", by=handler)

    with pytest.raises(ValidationError) as refused:
        add_version(document=document, file=upload("brief-v2.pdf", cut_off()), by=handler)

    assert refused.value.message_dict == {"file": [CUT_OFF]}
    assert list(document.versions.values_list("number", flat=True)) == [1]
    assert len(stored_files(media_root)) == 1


def test_a_pdf_whose_cross_references_are_off_but_whole_is_accepted(handler):
    """Every PDF reader repairs a wrong xref offset; qpdf does too, so such a file is kept."""
    content = samples.PDF.replace(b"startxref\n278", b"startxref\n270")

    document = store_document(file=upload("scan.pdf", content), title="Scan", by=handler)

    assert document.current_version.size == len(content)
