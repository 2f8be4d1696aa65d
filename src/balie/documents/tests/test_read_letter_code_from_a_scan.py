"""A signed letter comes back on paper: the scan's QR code names its register number (or the
letter), whatever the scanner did to it."""

from __future__ import annotations

import io
import uuid

from PIL import Image

from balie.documents.conversion import get_converter
from balie.documents.letters.qr import (
    PDFTOPPM,
    LetterCode,
    find_letter_codes,
    parse_payload,
    payload_for,
    stamp_qr,
)

from .letter_samples import word


def scanned(pdf: bytes) -> bytes:
    """The page printed, signed and scanned: 150 dpi grey, slightly skewed, saved as a PDF by the
    scanner."""
    import subprocess

    command = [PDFTOPPM, "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", "-"]
    png = subprocess.run(command, input=pdf, capture_output=True, check=True).stdout  # noqa: S603
    page = Image.open(io.BytesIO(png)).convert("L").rotate(1.5, expand=True, fillcolor=255)
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=150)
    return out.getvalue()


def test_the_code_stamped_on_a_letter_is_read_from_its_scan():
    pdf = stamp_qr(
        get_converter().convert(word(["Geachte mevrouw,", "Handtekening:"])), "BALIE:OUT-2026-000123"
    )

    assert find_letter_codes(scanned(pdf)) == [
        LetterCode(payload="BALIE:OUT-2026-000123", register_number="OUT-2026-000123")
    ]


def test_a_scanned_image_is_read_too():
    pdf = stamp_qr(get_converter().convert(word(["Brief"])), payload_for(register_number="OUT-2026-000009"))
    image = io.BytesIO()
    Image.open(io.BytesIO(_first_page_png(pdf))).save(image, format="TIFF")

    assert [code.register_number for code in find_letter_codes(image.getvalue())] == ["OUT-2026-000009"]


def _first_page_png(pdf: bytes) -> bytes:
    import subprocess

    command = [PDFTOPPM, "-r", "200", "-png", "-f", "1", "-l", "1", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout  # noqa: S603


def test_only_balie_codes_count():
    letter = uuid.uuid4()

    assert parse_payload(f"BALIE:BRIEF:{letter}") == LetterCode(
        payload=f"BALIE:BRIEF:{letter}", letter_uuid=letter
    )
    assert parse_payload("BALIE:OUT-2026-000123") == LetterCode(
        payload="BALIE:OUT-2026-000123", register_number="OUT-2026-000123"
    )
    assert parse_payload("https://example.com/OUT-2026-000123") is None
    assert parse_payload("BALIE:iets anders") is None
    assert parse_payload("BALIE:BRIEF:geen-uuid") is None


def test_a_page_without_a_code_gives_none():
    assert find_letter_codes(get_converter().convert(word(["Geen code"]))) == []
