"""A template is previewed with the catalogue's example values, as a PDF and as page images."""

from __future__ import annotations

import io

from PIL import Image

from balie.documents.letters.preview import page_images, preview_pdf
from balie.documents.letters.qr import find_letter_codes

from .letter_samples import pdf_text


def test_a_preview_merges_the_example_values(acknowledgement):
    pdf = preview_pdf(acknowledgement.current_version)

    text = pdf_text(pdf)
    assert "An Peeters" in text
    assert "Kerkstraat 12 bus 3" in text
    assert "Geachte mevrouw Peeters," in text
    assert (
        "Wij ontvingen uw aanvraag Verbouwing woning Kerkstraat 12 en gaven ze het nummer C2026-000123."
        in text
    )
    assert "Hans Handel" in text
    assert [code.register_number for code in find_letter_codes(pdf)] == ["OUT-2026-000123"]


def test_the_preview_pages_are_images(acknowledgement):
    images = page_images(preview_pdf(acknowledgement.current_version))

    assert len(images) == 1
    with Image.open(io.BytesIO(images[0])) as page:
        assert page.format == "PNG"
        assert page.size == (579, 819)  # A4 at 70 dpi
