"""Scanned post: checking a scan before it is registered, Balie's separator sheet, and splitting a
batch scan on those sheets.

A batch is a stack of letters scanned in one go, with a separator sheet between two letters. The
sheet carries a large QR code with a fixed payload (`SEPARATOR_MARKER`). To split, every page is
rendered small (poppler's `pdftoppm`, grey, about 100 dpi), the QR code is looked for (zxing-cpp),
and a page with hardly any ink is taken for the blank back of a single-sided letter. The letters'
pages are then copied into a PDF of their own (pikepdf), without the separators and blank pages.
"""

from __future__ import annotations

import enum
import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pikepdf
import zxingcpp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from balie.documents.actions import check_file
from balie.documents.files import type_label

SEPARATOR_MARKER = "BALIE-SEP"
PDF = "application/pdf"
TIFF = "image/tiff"
SCAN_TYPES = (PDF, TIFF, "image/png", "image/jpeg")
# A page is blank when fewer than this share of its pixels (margins left out) are dark.
BLANK_INK_SHARE = 0.001
DARK = 128
MARGIN_SHARE = 0.04
PAGES_PER_RENDER = 8
RENDER_TIMEOUT = 120


# --- checking a scan ---------------------------------------------------------------------------
# A PDF is checked by the document store itself (documents.files.pdf_problem): encrypted, cut off,
# broken or without pages is refused there, for every document.


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": message}, code=code)


def check_image(file: Any) -> int:
    """A TIFF, PNG or JPEG that can be decoded; returns its number of pages (frames)."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            frames = int(getattr(image, "n_frames", 1))
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise _refuse(
            _("Deze afbeelding is beschadigd en kan niet gelezen worden. Scan de brief opnieuw."),
            "image_broken",
        ) from None
    finally:
        file.seek(0)
    return frames


def check_incoming_file(file: Any, *, scan: bool) -> str:
    """Refuse a file before anything is registered: what the document store refuses (empty, too
    large, a type it does not keep, a PDF that is encrypted, cut off, broken or without pages), a
    scan that is not a PDF or image, an image that does not decode. Returns the type read from the
    content."""
    mime_type = check_file(file)
    if scan and mime_type not in SCAN_TYPES:
        raise _refuse(
            _("Een scan is een PDF, TIFF, PNG of JPEG; dit bestand is %(type)s.")
            % {"type": type_label(mime_type)},
            "scan_type",
        )
    if mime_type in SCAN_TYPES and mime_type != PDF:
        check_image(file)
    return mime_type


# --- the separator sheet -----------------------------------------------------------------------


def separator_sheet_pdf(*, municipality: str) -> bytes:
    """One A4 page to print and put between two letters of a stack: a large QR code that Balie
    finds when it splits the scan, and a line that tells people not to throw it away."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    sheet.setTitle(_("Scheidingsblad"))
    sheet.setAuthor(municipality)
    width, height = A4
    size = 12 * cm
    widget = QrCodeWidget(SEPARATOR_MARKER, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, sheet, (width - size) / 2, (height - size) / 2 + 1 * cm)
    sheet.setFont("Helvetica-Bold", 30)
    sheet.drawCentredString(width / 2, height - 4 * cm, _("Scheidingsblad — niet verwijderen"))
    sheet.setFont("Helvetica", 12)
    lines = [
        _("Leg dit blad tussen twee brieven en scan de hele stapel in één keer."),
        _("Balie maakt van elke brief een eigen poststuk; dit blad valt weg."),
        _("Gebruik het daarna opnieuw."),
    ]
    y = (height - size) / 2 - 1 * cm
    for line in lines:
        sheet.drawCentredString(width / 2, y, line)
        y -= 0.7 * cm
    sheet.setFont("Helvetica", 9)
    sheet.drawCentredString(width / 2, 1.5 * cm, f"{municipality} · Balie · {SEPARATOR_MARKER}")
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


# --- reading a batch ---------------------------------------------------------------------------


class PageKind(enum.Enum):
    CONTENT = "content"
    SEPARATOR = "separator"
    BLANK = "blank"


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise RuntimeError("pdftoppm (poppler-utils) is not installed")
    return found


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def classify_page(image: Image.Image) -> PageKind:
    """A separator (it carries our QR code), blank (hardly any ink inside the margins) or content."""
    grey = image.convert("L")
    for found in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)):
        if found.text == SEPARATOR_MARKER:
            return PageKind.SEPARATOR
    width, height = grey.size
    dx, dy = int(width * MARGIN_SHARE), int(height * MARGIN_SHARE)
    inner = grey.crop((dx, dy, width - dx, height - dy))
    histogram = inner.histogram()
    dark = sum(histogram[:DARK])
    total = max(1, sum(histogram))
    if dark / total < BLANK_INK_SHARE:
        return PageKind.BLANK
    return PageKind.CONTENT


def classify_pages(
    path: Path,
    *,
    start: int = 0,
    dpi: int | None = None,
    on_progress: Callable[[int, list[PageKind]], None] | None = None,
) -> list[PageKind]:
    """The kind of every page from `start` (0-based) on, rendered a few pages at a time;
    `on_progress(pages_read, kinds_so_far)` after each few."""
    dpi = dpi or int(settings.BALIE_POST_SCAN_DPI)
    total = page_count(path)
    kinds: list[PageKind] = []
    with tempfile.TemporaryDirectory(prefix="balie-batch-") as tmp:
        first = start + 1
        while first <= total:
            last = min(total, first + PAGES_PER_RENDER - 1)
            root = Path(tmp) / f"p{first}"
            subprocess.run(  # noqa: S603 - poppler's renderer on a file Balie wrote itself
                [
                    _pdftoppm(),
                    "-r",
                    str(dpi),
                    "-gray",
                    "-png",
                    "-f",
                    str(first),
                    "-l",
                    str(last),
                    str(path),
                    str(root),
                ],
                check=True,
                capture_output=True,
                timeout=RENDER_TIMEOUT,
            )
            rendered = sorted(Path(tmp).glob(f"p{first}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            if len(rendered) != last - first + 1:
                raise RuntimeError(f"pdftoppm rendered {len(rendered)} of pages {first}-{last}")
            for png in rendered:
                with Image.open(png) as image:
                    kinds.append(classify_page(image))
                png.unlink()
            if on_progress is not None:
                on_progress(start + len(kinds), kinds)
            first = last + 1
    return kinds


def letters_from(kinds: Sequence[PageKind]) -> list[list[int]]:
    """The pages (0-based) of each letter: runs of content pages between separators. Blank pages
    are left out; a run with no content (two separators in a row, a separator first or last, only
    blank pages) is no letter."""
    letters: list[list[int]] = []
    current: list[int] = []
    for index, kind in enumerate(kinds):
        if kind is PageKind.SEPARATOR:
            if current:
                letters.append(current)
            current = []
        elif kind is PageKind.CONTENT:
            current.append(index)
    if current:
        letters.append(current)
    return letters


def extract_pages(path: Path, pages: Sequence[int]) -> bytes:
    """A new PDF with these pages of the batch (0-based), in order."""
    with pikepdf.open(path) as source, pikepdf.new() as letter:
        for index in pages:
            letter.pages.append(source.pages[index])
        out = io.BytesIO()
        letter.save(out)
    return out.getvalue()
