"""An employee downloads a letter's DOCX, edits it in Word and uploads it again: a new version of
the letter's DOCX document, and its PDF made again as a new version of the PDF document."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.exceptions import ValidationError

from balie.documents.letters.actions import make_letter, replace_letter_docx
from balie.documents.letters.qr import find_letter_codes
from balie.documents.models import DocumentVersion
from balie.documents.signing.actions import request_signing

from .letter_samples import docx_upload, pdf_text, pdfa_part, stored
from .samples import PDF, stored_files, upload


@pytest.fixture
def letter(acknowledgement, an, handler):
    return make_letter(
        template=acknowledgement, by=handler, party=an, item={"register_number": "OUT-2026-000200"}
    )


def edited(content: bytes, *, remove_pictures: bool = False) -> bytes:
    """What Word saves after the employee added a sentence (and, maybe, deleted the QR code)."""
    document = docx.Document(io.BytesIO(content))
    document.add_paragraph("Wij nodigen u uit op het gemeentehuis op 12 maart om 10 uur.")
    if remove_pictures:
        for drawing in document.element.body.xpath(".//w:drawing"):
            drawing.getparent().remove(drawing)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_edited_docx_and_its_new_pdf_are_the_next_versions(letter, handler):
    downloaded = stored(letter.docx_document.current_version)

    replace_letter_docx(letter=letter, file=docx_upload(edited(downloaded), "brief.docx"), by=handler)

    letter.docx_document.refresh_from_db()
    letter.pdf_document.refresh_from_db()
    assert letter.docx_document.current_version.number == 2
    assert letter.pdf_document.current_version.number == 2
    pdf = stored(letter.pdf_document.current_version)
    assert "Wij nodigen u uit op het gemeentehuis op 12 maart om 10 uur." in pdf_text(pdf)
    assert pdfa_part(pdf) == "2B"
    assert [code.register_number for code in find_letter_codes(pdf)] == ["OUT-2026-000200"]
    # The first versions stay as they were.
    first = DocumentVersion.objects.get(document=letter.pdf_document, number=1)
    assert "12 maart" not in pdf_text(stored(first))


def test_a_qr_code_deleted_in_word_is_stamped_on_again(letter, handler):
    downloaded = stored(letter.docx_document.current_version)

    replace_letter_docx(letter=letter, file=docx_upload(edited(downloaded, remove_pictures=True)), by=handler)

    pdf = stored(letter.pdf_document.current_version)
    assert [code.register_number for code in find_letter_codes(pdf)] == ["OUT-2026-000200"]


def test_a_file_that_is_no_docx_changes_nothing(letter, handler, media_root):
    files = stored_files(media_root)

    with pytest.raises(ValidationError) as caught:
        replace_letter_docx(letter=letter, file=upload("brief.docx", PDF), by=handler)

    assert caught.value.message_dict == {
        "file": ["Dit is geen Word-document (.docx) maar PDF. Sla het in Word op als .docx."]
    }
    assert (
        DocumentVersion.objects.filter(document__in=[letter.docx_document, letter.pdf_document]).count() == 2
    )
    assert stored_files(media_root) == files


def test_an_employee_who_may_not_see_the_letter_cannot_replace_it(
    acknowledgement, an, handler, front_desk, media_root
):
    secret = make_letter(template=acknowledgement, by=handler, party=an, confidential=True)
    files = stored_files(media_root)

    with pytest.raises(ValidationError) as caught:
        replace_letter_docx(
            letter=secret, file=docx_upload(stored(secret.docx_document.current_version)), by=front_desk
        )

    assert caught.value.messages == ["Deze brief bestaat niet of u mag hem niet zien."]
    assert stored_files(media_root) == files


def test_a_letter_on_its_way_to_be_signed_is_not_edited(
    acknowledgement,
    an,
    handler,
    omgeving,
    lead,
    approved_letter_procedure,
    municipality_certificate,
    media_root,
):
    letter = make_letter(template=acknowledgement, by=handler, party=an, department=omgeving)
    request_signing(document=letter.pdf_document, procedure=approved_letter_procedure, by=handler)
    files = stored_files(media_root)
    downloaded = stored(letter.docx_document.current_version)

    with pytest.raises(ValidationError) as caught:
        replace_letter_docx(letter=letter, file=docx_upload(edited(downloaded)), by=handler)

    assert caught.value.messages == [
        "Deze brief wacht op goedkeuring of ondertekening. Trek die aanvraag eerst in om hem te bewerken."
    ]
    assert (
        DocumentVersion.objects.filter(document__in=[letter.docx_document, letter.pdf_document]).count() == 2
    )
    assert stored_files(media_root) == files
