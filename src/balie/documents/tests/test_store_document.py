"""Storing a document: what the file is comes from its content (never from the name or the
client's content type); size and SHA-256 are computed while it streams into storage; a file of a
type that is not allowed is refused and leaves nothing behind."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.documents.actions import store_document
from balie.documents.files import clean_filename
from balie.documents.models import Document, DocumentVersion

from . import samples
from .samples import stored_files, upload


def test_size_hash_and_type_come_from_the_content(handler, media_root):
    document = store_document(
        file=upload("bouwplan.pdf", samples.PDF, "application/pdf"), title="Bouwplan", by=handler
    )

    version = document.current_version
    assert version is not None and version.number == 1
    assert version.size == len(samples.PDF)
    assert version.sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert version.mime_type == "application/pdf"
    assert version.original_filename == "bouwplan.pdf"
    assert version.created_by == handler
    assert document.title == "Bouwplan" and document.created_by == handler
    assert document.department == handler.department and not document.confidential
    # the file is in storage under a name of its own, with exactly the content
    [path] = stored_files(media_root)
    assert path.read_bytes() == samples.PDF
    assert version.file.name == path.relative_to(media_root).as_posix()
    assert "bouwplan" not in version.file.name
    with version.file.open("rb") as stored:
        assert stored.read() == samples.PDF


def test_a_pdf_whose_name_says_docx_is_stored_as_a_pdf(handler):
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    document = store_document(file=upload("beslissing.docx", samples.PDF, word), title="", by=handler)

    version = document.current_version
    assert version.mime_type == "application/pdf"
    assert version.original_filename == "beslissing.docx"
    assert version.download_name == "beslissing.pdf"
    assert document.title == "beslissing"  # no title given: the file's name


def test_an_exe_renamed_pdf_is_refused_and_leaves_nothing_behind(handler, media_root):
    with pytest.raises(ValidationError) as refused:
        store_document(
            file=upload("factuur.pdf", samples.EXE, "application/pdf"), title="Factuur", by=handler
        )

    [message] = refused.value.message_dict["file"]
    assert message.startswith("Dit soort bestand kan niet bewaard worden")
    assert "Toegestaan: PDF, TIFF, PNG, JPEG, Word (DOCX)" in message
    assert stored_files(media_root) == []
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not ChangeRecord.objects.filter(model__startswith="documents.").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pagina.html", samples.HTML),
        ("leeg.pdf", b""),
    ],
)
def test_html_and_empty_files_are_refused(handler, media_root, name, content):
    with pytest.raises(ValidationError):
        store_document(file=upload(name, content, "application/pdf"), title="X", by=handler)

    assert stored_files(media_root) == [] and not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "build", "mime_type"),
    [
        ("scan.pdf", lambda: samples.PDF, "application/pdf"),
        ("scan.tif", lambda: samples.TIFF, "image/tiff"),
        ("foto.png", lambda: samples.PNG, "image/png"),
        ("foto.jpg", lambda: samples.JPEG, "image/jpeg"),
        (
            "brief.docx",
            samples.docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "brief-ander-programma.docx",
            samples.docx_parts_later,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("lijst.xlsx", samples.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("brief.odt", samples.odt, "application/vnd.oasis.opendocument.text"),
        ("notitie.txt", lambda: samples.TEXT, "text/plain"),
        ("mail.eml", lambda: samples.EML, "message/rfc822"),
        ("mail.msg", samples.msg, "application/vnd.ms-outlook"),
    ],
)
def test_every_allowed_type_is_recognised(handler, name, build, mime_type):
    content = build()

    document = store_document(file=upload(name, content), title="", by=handler)

    assert document.current_version.mime_type == mime_type
    assert document.current_version.size == len(content)


def test_the_allowed_types_are_a_setting(handler, settings, media_root):
    settings.BALIE_DOCUMENT_TYPES = ["application/pdf"]

    with pytest.raises(ValidationError):
        store_document(file=upload("foto.png", samples.PNG), title="Foto", by=handler)
    store_document(file=upload("scan.pdf", samples.PDF), title="Scan", by=handler)

    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\an\\Bureaublad\\plan.pdf", "plan.pdf"),
        ("factuur\u202efdp.exe", "factuurfdp.exe"),  # a right-to-left override hides the extension
        ('a<b>:"c"|d?*.pdf', "a_b___c__d__.pdf"),
        ("  . verborgen.pdf . ", "verborgen.pdf"),
        ("regel\r\nbreuk.pdf", "regelbreuk.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("Beslissing é ü.pdf", "Beslissing é ü.pdf"),
        ("", "document"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_file_names_are_made_harmless(given, cleaned):
    assert clean_filename(given) == cleaned


def test_the_stored_name_is_the_cleaned_one(handler):
    document = store_document(file=upload("../../geheim\u202e.pdf", samples.PDF), title="", by=handler)

    assert document.current_version.original_filename == "geheim.pdf"
    assert document.title == "geheim"


def test_creation_of_the_document_and_its_version_is_audited(handler):
    document = store_document(file=upload("scan.pdf", samples.PDF), title="Scan", by=handler)

    created = ChangeRecord.objects.get(model="documents.document", object_uuid=document.uuid)
    assert created.action == "create" and created.actor_uuid == handler.uuid
    assert created.changes["title"] == [None, "Scan"]
    version = ChangeRecord.objects.get(model="documents.documentversion")
    assert version.object_uuid == document.current_version.uuid
    assert version.changes["sha256"] == [None, hashlib.sha256(samples.PDF).hexdigest()]
    assert version.changes["mime_type"] == [None, "application/pdf"]


def test_a_citizen_cannot_store_documents(citizen, media_root):
    with pytest.raises(ValidationError):
        store_document(file=upload("scan.pdf", samples.PDF), title="Scan", by=citizen)

    assert stored_files(media_root) == [] and not Document.objects.exists()


def test_a_title_with_markup_is_refused_with_the_file_checked_too(handler, media_root):
    with pytest.raises(ValidationError) as refused:
        store_document(file=upload("x.exe", samples.EXE), title="<b>Plan</b>", by=handler)

    assert set(refused.value.message_dict) == {"file", "title"}
    assert stored_files(media_root) == []
