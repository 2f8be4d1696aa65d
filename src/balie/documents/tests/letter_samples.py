"""Word templates and blocks as an administrator makes them, built with python-docx (so they are
real DOCX files, as Word writes them), and the people and letters the tests use."""

from __future__ import annotations

import io

import docx
from docx.shared import Mm, Pt
from PIL import Image

from .samples import upload

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word(
    paragraphs: list[str], *, header: str = "", footer: str = "", title: str = "", image: bool = False
) -> bytes:
    """A DOCX with these paragraphs (Jinja as the administrator types it), optionally a header,
    a footer, a document title and a small picture (a logo)."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, not python-docx's US Letter
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    if title:
        document.core_properties.title = title
    if image:
        picture = io.BytesIO()
        Image.new("RGB", (120, 40), (0, 90, 160)).save(picture, format="PNG")
        picture.seek(0)
        document.add_picture(picture, width=Mm(30))
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def acknowledgement() -> bytes:
    """An acknowledgement letter (ontvangstmelding) with a letterhead block, the address for a
    window envelope, a condition on the case, the QR code and the signature block."""
    return word(
        [
            "{{ blok.briefhoofd }}",
            "{{ klant.naam }}",
            "{%p for regel in klant.adresregels %}",
            "{{ regel }}",
            "{%p endfor %}",
            "Zonnedaal, {{ poststuk.datum }}",
            "Ons kenmerk: {{ poststuk.nummer }}",
            "{{ klant.aanspreking }},",
            "{%p if zaak %}",
            "Wij ontvingen uw aanvraag {{ zaak.onderwerp }} en gaven ze het nummer {{ zaak.nummer }}.",
            "{%p else %}",
            "Wij ontvingen uw brief.",
            "{%p endif %}",
            "{{ qr }}",
            "{{ blok.handtekening }}",
        ],
        footer="{{ gemeente.naam }} · {{ gemeente.adres }} · {{ gemeente.website }}",
        title="Ontvangstmelding {{ poststuk.nummer }}",
    )


def letterhead() -> bytes:
    return word(["{{ gemeente.naam }}", "{{ gemeente.adres }}"], image=True)


def signature() -> bytes:
    return word(
        [
            "Met vriendelijke groeten,",
            "{{ medewerker.naam }}",
            "{{ medewerker.functie }}, {{ medewerker.dienst }}",
        ]
    )


def docx_upload(content: bytes, name: str = "sjabloon.docx"):
    return upload(name, content, DOCX_TYPE)


def document_text(content: bytes) -> str:
    """Every paragraph's text of a DOCX, body first, then headers and footers."""
    document = docx.Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for section in document.sections:
        lines += [paragraph.text for paragraph in section.header.paragraphs]
        lines += [paragraph.text for paragraph in section.footer.paragraphs]
    return "\n".join(lines)


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it, every run of white space one space
    (where a line wraps depends on the fonts)."""
    import shutil
    import subprocess

    command = [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-", "-"]
    text = subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603
    return " ".join(text.split())


def pdfa_part(pdf: bytes) -> str:
    """The PDF/A conformance its metadata claims ("2B"), or "" for none."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return str(document.open_metadata().pdfa_status)


def stored(version) -> bytes:
    """The bytes of a document version in storage."""
    from balie.documents.files import document_storage

    with document_storage().open(version.file.name, "rb") as handle:
        return handle.read()
