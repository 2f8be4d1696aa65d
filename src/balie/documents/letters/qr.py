"""The QR code on a letter: what it says, the image a template shows with {{ qr }}, a stamp on the
PDF's first page when the template has no place for it, and reading it back from a scan.

The payload is `BALIE:<register number>` (e.g. BALIE:OUT-2026-000123) for a registered letter and
`BALIE:BRIEF:<uuid>` for one without a number, so that a signed paper copy that comes back
through the scanner is matched to its post item or letter.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import qrcode
import zxingcpp
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

PREFIX = "BALIE:"
LETTER_PREFIX = "BRIEF:"
REGISTER_NUMBER = re.compile(r"^[A-Z]{2,5}-\d{4}-\d{6}$")
STAMP_SIZE = 18 * mm  # printed size of the stamped code
STAMP_MARGIN = 8 * mm  # from the right and bottom edges of the first page
SCAN_DPI = 200
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


@dataclass(frozen=True)
class LetterCode:
    """What a QR code on a letter says: a register number, or the letter's own id."""

    payload: str
    register_number: str = ""
    letter_uuid: uuid.UUID | None = None


def payload_for(*, register_number: str = "", letter_uuid: uuid.UUID | None = None) -> str:
    if register_number:
        return f"{PREFIX}{register_number}"
    if letter_uuid is None:
        raise ValueError("a QR code needs a register number or a letter id")
    return f"{PREFIX}{LETTER_PREFIX}{letter_uuid}"


def parse_payload(text: str) -> LetterCode | None:
    """The code on a Balie letter, or None for any other QR code."""
    text = text.strip()
    if not text.startswith(PREFIX):
        return None
    rest = text[len(PREFIX) :]
    if rest.startswith(LETTER_PREFIX):
        try:
            return LetterCode(payload=text, letter_uuid=uuid.UUID(rest[len(LETTER_PREFIX) :]))
        except ValueError:
            return None
    if REGISTER_NUMBER.match(rest):
        return LetterCode(payload=text, register_number=rest)
    return None


def _matrix(payload: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2)
    code.add_data(payload)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_png(payload: str, *, box_size: int = 8) -> bytes:
    """The code as a black-and-white PNG (for {{ qr }} in a template)."""
    matrix = _matrix(payload)
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def _stamp_page(payload: str, width: float, height: float) -> bytes:
    """A page of the letter's size with only the code on it, drawn as vector squares: no image,
    no font, so a PDF/A stays PDF/A."""
    matrix = _matrix(payload)
    module = STAMP_SIZE / len(matrix)
    left = width - STAMP_MARGIN - STAMP_SIZE
    bottom = STAMP_MARGIN
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    sheet.setFillGray(1)
    sheet.rect(left, bottom, STAMP_SIZE, STAMP_SIZE, stroke=0, fill=1)
    sheet.setFillGray(0)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                sheet.rect(
                    left + x * module,
                    bottom + STAMP_SIZE - (y + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def stamp_qr(pdf: bytes, payload: str) -> bytes:
    """The PDF with the code in the bottom right corner of its first page."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        box = page.mediabox
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        with pikepdf.open(io.BytesIO(_stamp_page(payload, width, height))) as stamp:
            page.add_overlay(stamp.pages[0], pikepdf.Rectangle(0, 0, width, height))
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def _images(data: bytes, *, pages: int, dpi: int) -> list[Image.Image]:
    if data[:5] == b"%PDF-":
        with tempfile.TemporaryDirectory(prefix="balie-qr-") as folder:
            source = Path(folder) / "scan.pdf"
            source.write_bytes(data)
            command = [PDFTOPPM, "-r", str(dpi), "-f", "1", "-l", str(pages), "-gray", "-png"]
            subprocess.run(  # noqa: S603 - poppler, fixed arguments
                [*command, str(source), str(Path(folder) / "page")],
                check=True,
                capture_output=True,
                timeout=120,
            )
            images = []
            for path in sorted(Path(folder).glob("page*.png")):
                with Image.open(path) as image:
                    images.append(image.copy())
            return images
    images = []
    with Image.open(io.BytesIO(data)) as image:
        for frame in range(min(getattr(image, "n_frames", 1), pages)):
            image.seek(frame)
            images.append(image.convert("L"))
    return images


def find_letter_codes(data: bytes, *, pages: int = 1, dpi: int = SCAN_DPI) -> list[LetterCode]:
    """The Balie codes on the first `pages` pages of a scanned PDF (or a PNG, JPEG or TIFF):
    what post registration calls to match a returned paper copy to its letter."""
    found: list[LetterCode] = []
    for image in _images(data, pages=pages, dpi=dpi):
        for barcode in zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        ):
            code = parse_payload(barcode.text)
            if code is not None and code not in found:
                found.append(code)
    return found
