"""Every stored version has its text read in the background: a PDF's text layer with pdftotext,
scanned pages and pictures with Tesseract, office files, plain text and e-mail from their content.
The version records the outcome: state, method, pages and the text."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from balie.core.worker import run_ready_tasks
from balie.documents.actions import add_version, store_document
from balie.documents.models import DocumentVersion, TextMethod, TextState
from balie.documents.text import clean_text

from . import samples
from .samples import upload


def stored_and_read(handler, name: str, content: bytes) -> DocumentVersion:
    document = store_document(file=upload(name, content), title="", by=handler)
    run_ready_tasks()
    return DocumentVersion.objects.get(pk=document.current_version_id)


def test_storing_a_version_asks_for_its_text_in_the_same_transaction(handler):
    document = store_document(file=upload("brief.txt", samples.TEXT), title="Brief", by=handler)

    version = document.current_version
    assert version.text_state == TextState.WAITING and version.text == ""
    assert version.text_queued_at is not None
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "balie.documents.tasks.extract_version_text"
    assert queued.args_kwargs == {"args": [version.pk], "kwargs": {}}


def test_a_pdf_with_a_text_layer_is_read_with_pdftotext(handler):
    content = samples.text_pdf("Beste mevrouw Peeters,\nUw aanvraag is goed ontvangen.", "Bijlage: het plan.")

    version = stored_and_read(handler, "antwoord.pdf", content)

    assert version.text_state == TextState.DONE
    assert version.text_method == TextMethod.TEXT_LAYER
    assert version.text_pages == 2
    assert version.text == "Beste mevrouw Peeters,\nUw aanvraag is goed ontvangen.\n\nBijlage: het plan."
    assert version.text_error == "" and version.text_done_at is not None and version.text_attempts == 1


@pytest.mark.slow
def test_a_scanned_pdf_is_read_with_tesseract(handler):
    content = samples.scanned_pdf("Geachte heer,\nWij ontvingen uw brief over de bouwvergunning.")

    version = stored_and_read(handler, "scan.pdf", content)

    assert version.text_state == TextState.DONE
    assert version.text_method == TextMethod.OCR
    assert version.text_pages == 1
    assert version.text == "Geachte heer,\nWij ontvingen uw brief over de bouwvergunning."


@pytest.mark.slow
def test_only_the_scanned_pages_of_a_pdf_are_read_with_tesseract(handler):
    content = samples.mixed_pdf(
        "Getypte brief over het terras van café De Zon.", "Bijlage: kaart van de straat"
    )

    version = stored_and_read(handler, "brief-met-bijlage.pdf", content)

    assert version.text_method == TextMethod.TEXT_LAYER_AND_OCR
    assert version.text_pages == 2
    assert version.text == "Getypte brief over het terras van café De Zon.\n\nBijlage: kaart van de straat"


@pytest.mark.slow
def test_every_page_of_a_multi_page_tiff_is_read(handler):
    content = samples.scan_tiff("Eerste pagina van de aanvraag", "Tweede pagina met handtekening")

    version = stored_and_read(handler, "scan.tif", content)

    assert version.mime_type == "image/tiff"
    assert (version.text_state, version.text_method, version.text_pages) == (
        TextState.DONE,
        TextMethod.OCR,
        2,
    )
    assert version.text == "Eerste pagina van de aanvraag\n\nTweede pagina met handtekening"


@pytest.mark.slow
def test_a_photo_of_a_letter_is_read(handler):
    version = stored_and_read(handler, "foto.png", samples.scan_png("Foto van een brief over het kerkhof"))

    assert (version.text_method, version.text_pages) == (TextMethod.OCR, 1)
    assert version.text == "Foto van een brief over het kerkhof"


def test_a_word_document_is_read_with_its_tables(handler):
    content = samples.real_docx(
        "Beslissing van het college", "Tweede alinea", table=[["Naam", "Adres"], ["An", "Kerkstraat 1"]]
    )

    version = stored_and_read(handler, "beslissing.docx", content)

    assert (version.text_state, version.text_method, version.text_pages) == (
        TextState.DONE,
        TextMethod.FILE,
        None,
    )
    assert version.text == "Beslissing van het college\nTweede alinea\nNaam\tAdres\nAn\tKerkstraat 1"


def test_an_opendocument_text_is_read_with_its_spaces_and_line_breaks(handler):
    version = stored_and_read(handler, "brief.odt", samples.real_odt("Eerste alinea over de markt"))

    assert version.text_method == TextMethod.FILE
    assert version.text == "Onderwerp\nEerste alinea over de markt\nMet vriendelijke\ngroet"


def test_plain_text_and_a_spreadsheet_are_read(handler):
    text = stored_and_read(handler, "notitie.txt", samples.TEXT)
    sheet = stored_and_read(handler, "lijst.xlsx", samples.xlsx())

    assert text.text == "Beste, in bijlage mijn bouwplan. Met vriendelijke groet, Anaïs."
    assert sheet.text == "Sheet\nOppervlakte"


def test_an_email_is_read_from_its_headers_and_text_parts(handler):
    plain = stored_and_read(handler, "mail.eml", samples.EML)
    html = stored_and_read(handler, "html.eml", samples.html_only_eml())

    assert plain.text == (
        "Onderwerp: Bouwplan\nVan: An Peeters <an.peeters@example.be>\nAan: omgeving@zonnedaal.be\n\n"
        "In bijlage mijn bouwplan."
    )
    # the HTML part without its script and style; an attachment is not the mail's text
    assert html.text == (
        "Onderwerp: Vraag over de straße\nVan: An Peeters <an.peeters@example.be>\n"
        "Aan: omgeving@zonnedaal.be\n\nGraag een afspraak voor het terras."
    )


def test_an_outlook_message_has_no_text_to_read(handler):
    version = stored_and_read(handler, "mail.msg", samples.msg())

    assert version.text_state == TextState.NOT_APPLICABLE
    assert version.text_error == "Balie leest geen tekst uit dit soort bestand (Outlook-bericht (MSG))."
    assert version.text == "" and version.text_method == ""


def test_a_new_version_has_its_own_text_read(handler):
    document = store_document(file=upload("v1.txt", b"Eerste versie van de nota"), title="Nota", by=handler)
    run_ready_tasks()

    version = add_version(document=document, file=upload("v2.txt", b"Tweede versie van de nota"), by=handler)
    run_ready_tasks()

    texts = dict(DocumentVersion.objects.filter(document=document).values_list("number", "text"))
    assert texts == {1: "Eerste versie van de nota", 2: "Tweede versie van de nota"}
    assert version.number == 2


def test_control_characters_are_left_out_of_the_text(handler):
    version = stored_and_read(
        handler, "raar.txt", "Regel\x07 een\r\nregel\ue000 twee   \n\n\n\nslot\n".encode()
    )

    assert version.text == "Regel een\nregel twee\n\nslot"
    assert clean_text("nul\x00teken\fpagina") == "nulteken\npagina"
