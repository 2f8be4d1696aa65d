"""An employee makes a letter from a template for a party: merged (blocks, conditions, loops),
converted to PDF/A by the LibreOffice kept running, with the QR code that names its register
number; its DOCX and PDF are documents of the store."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.documents.letters.actions import make_letter
from balie.documents.letters.admin import create_template, update_template
from balie.documents.letters.context import LetterContextError
from balie.documents.letters.qr import LetterCode, find_letter_codes
from balie.documents.models import Document, Letter
from balie.parties.actions import register_party

from .letter_samples import document_text, docx_upload, pdf_text, pdfa_part, stored, word


def test_a_letter_is_merged_converted_to_pdfa_and_stored_as_two_documents(acknowledgement, an, handler):
    letter = make_letter(
        template=acknowledgement,
        by=handler,
        party=an,
        case={"number": "C2026-000042", "subject": "verbouwing Kerkstraat 12"},
        item={"register_number": "OUT-2026-000123", "date": dt.date(2026, 3, 3)},
    )

    docx = stored(letter.docx_document.current_version)
    assert document_text(docx).splitlines()[1:12] == [
        "Gemeente Zonnedaal",
        "Gemeenteplein 1, 2645 Zonnedaal",
        "An Peeters",
        "Kerkstraat 12 bus 3",
        "2645 Zonnedaal",
        "Zonnedaal, 3 maart 2026",
        "Ons kenmerk: OUT-2026-000123",
        "Geachte mevrouw Peeters,",
        "Wij ontvingen uw aanvraag verbouwing Kerkstraat 12 en gaven ze het nummer C2026-000042.",
        "",
        "Met vriendelijke groeten,",
    ]
    pdf = stored(letter.pdf_document.current_version)
    assert pdf.startswith(b"%PDF-")
    assert pdfa_part(pdf) == "2B"
    assert "Hans Handel" in pdf_text(pdf)
    assert find_letter_codes(pdf) == [
        LetterCode(payload="BALIE:OUT-2026-000123", register_number="OUT-2026-000123")
    ]
    assert letter.docx_document.title == "OUT-2026-000123 Ontvangstmelding – Peeters An"
    assert letter.docx_document.current_version.mime_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert letter.pdf_document.current_version.mime_type == "application/pdf"
    assert letter.template_version == acknowledgement.current_version
    assert letter.register_number == "OUT-2026-000123"
    assert letter.empty_fields == ["medewerker.functie"]  # Hans has no job title


def test_without_a_case_the_other_branch_is_written(acknowledgement, an, handler):
    letter = make_letter(
        template=acknowledgement, by=handler, party=an, item={"register_number": "OUT-2026-000124"}
    )

    text = document_text(stored(letter.docx_document.current_version))
    assert "Wij ontvingen uw brief." in text
    assert "aanvraag" not in text
    assert letter.empty_fields == ["medewerker.functie"]


def test_a_letter_without_a_number_carries_its_own_id_in_the_qr_code(acknowledgement, an, handler):
    letter = make_letter(template=acknowledgement, by=handler, party=an)

    assert letter.qr_payload == f"BALIE:BRIEF:{letter.uuid}"
    assert find_letter_codes(stored(letter.pdf_document.current_version)) == [
        LetterCode(payload=letter.qr_payload, letter_uuid=letter.uuid)
    ]
    assert f"Zonnedaal, {timezone.localdate().day} " in document_text(
        stored(letter.docx_document.current_version)
    )


def test_a_template_without_a_qr_code_gets_it_stamped_on_the_first_page(letter_admin, an, handler):
    template = create_template(
        name="Kort antwoord", file=docx_upload(word(["{{ klant.aanspreking }},", "Dank u."])), by=letter_admin
    )

    letter = make_letter(template=template, by=handler, party=an, item={"register_number": "OUT-2026-000125"})

    assert letter.qr_in_docx is False
    assert find_letter_codes(stored(letter.pdf_document.current_version)) == [
        LetterCode(payload="BALIE:OUT-2026-000125", register_number="OUT-2026-000125")
    ]
    assert pdfa_part(stored(letter.pdf_document.current_version)) == "2B"


def test_values_are_written_as_text_never_as_word_markup(letter_admin, handler):
    template = create_template(
        name="Antwoord", file=docx_upload(word(["Aan {{ klant.naam }}"])), by=letter_admin
    )
    party, _created = register_party(
        kind="association", name='Jeugdhuis "De Kelder" & Co', legal_form="feitelijke vereniging", by=None
    )

    letter = make_letter(template=template, by=handler, party=party)

    assert (
        document_text(stored(letter.docx_document.current_version)).splitlines()[0]
        == 'Aan Jeugdhuis "De Kelder" & Co'
    )


def test_the_salutation_follows_the_template_language(letter_admin, an, handler):
    template = create_template(
        name="Accusé de réception",
        language="fr",
        file=docx_upload(word(["{{ klant.aanspreking }},", "{{ poststuk.datum }}"])),
        by=letter_admin,
    )

    letter = make_letter(template=template, by=handler, party=an, item={"date": dt.date(2026, 3, 3)})

    assert document_text(stored(letter.docx_document.current_version)).splitlines()[:2] == [
        "Madame,",
        "3 mars 2026",
    ]


def test_a_template_of_another_department_cannot_be_used(letter_admin, an, handler, burgerzaken):
    template = create_template(
        name="Rijbewijs klaar", department=burgerzaken, file=docx_upload(word(["Beste"])), by=letter_admin
    )

    with pytest.raises(ValidationError) as caught:
        make_letter(template=template, by=handler, party=an)

    assert caught.value.messages == ["Dit sjabloon bestaat niet, is niet actief of is niet voor uw dienst."]
    assert Letter.objects.count() == 0
    assert Document.objects.count() == 0


def test_an_inactive_template_cannot_be_used(acknowledgement, letter_admin, an, handler):
    update_template(template=acknowledgement, active=False, by=letter_admin)

    with pytest.raises(ValidationError):
        make_letter(template=acknowledgement, by=handler, party=an)

    assert Letter.objects.count() == 0


def test_a_caller_passing_an_unknown_case_field_is_stopped(acknowledgement, an, handler):
    with pytest.raises(LetterContextError) as caught:
        make_letter(template=acknowledgement, by=handler, party=an, case={"number": "C1", "colour": "red"})

    assert str(caught.value) == (
        "unknown case field(s) colour; known: number, type, subject, registered_on, deadline, "
        "department, handler"
    )
    assert Letter.objects.count() == 0


def test_a_citizen_makes_no_letters(acknowledgement, an, citizen):
    with pytest.raises(ValidationError) as caught:
        make_letter(template=acknowledgement, by=citizen, party=an)

    assert caught.value.messages == ["Alleen een medewerker van de gemeente kan brieven maken."]
