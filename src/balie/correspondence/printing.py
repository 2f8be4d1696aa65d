"""The print-ready PDF of a batch of letters for the post room (pikepdf and reportlab).

A batch is a cover sheet (the batch number, the counts, the registered letters listed apart from
the ordinary ones), then every letter, each starting on a new sheet: printed on both sides
(duplex), a letter with an odd number of pages gets a blank back page, so the next one starts on
an odd page again. Every page carries a small sheet mark in its left margin (batch, register
number, page i/n), so that the post room can check that the sheets in one envelope belong together.

The address goes in the window of a window envelope: DL (110 × 220 mm) or C5/6 (114 × 229 mm)
with the window on the left, as bpost and the European envelopes (NBN EN ISO 269) have it. The
window is 90 × 45 mm, 20 mm from the left edge and 50 mm from the top of the letter (15 mm above
the bottom of a DL envelope; an A4 folded in three puts its top third against the window). The
address is set 4 mm inside the window on every side, because a folded letter shifts a few
millimetres in its envelope. Over the window area a white box is printed first: the window belongs
to the address block (a template may print the same address there; it is covered, not doubled).
Above the address, small: "Aangetekend" for registered mail and the sender's name.

The stored documents are never changed: a signed letter keeps its signature in the store; its
annotations (the visible signature block) are flattened into the printed copy so that they print.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Page, Rectangle
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


@dataclass(frozen=True)
class Window:
    """The envelope's window, in millimetres from the letter's top-left corner."""

    left: float = 20.0
    top: float = 50.0
    width: float = 90.0
    height: float = 45.0
    inset: float = 4.0  # the address stays this far inside the window

    def rect_points(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) in PDF points, y from the bottom of an A4 page."""
        return (self.left * mm, A4[1] - (self.top + self.height) * mm, self.width * mm, self.height * mm)


WINDOW = Window()
ADDRESS_FONT, ADDRESS_BOLD = "Helvetica", "Helvetica-Bold"
ADDRESS_SIZE, MIN_ADDRESS_SIZE = 10.0, 7.5
LINE_GAP = 1.25  # leading = size × this
A4_TOLERANCE = 3.0  # points: a page this close to A4 portrait is taken as it is


@dataclass(frozen=True)
class PrintLetter:
    """One letter of a batch: its register number, what goes in the window, its PDF documents."""

    number: str
    addressee: str
    address_lines: Sequence[str]
    registered: bool
    documents: Sequence[bytes]


@dataclass(frozen=True)
class BatchHeader:
    number: str
    made_at: dt.datetime
    made_by: str
    sender: str  # the municipality, printed small above the address
    duplex: bool


@dataclass(frozen=True)
class RenderedBatch:
    pdf: bytes
    pages: int
    sheets: int
    letter_pages: list[int]  # pages of each letter, without blank back pages
    first_pages: list[int]  # where each letter starts in the batch (1-based)


class PrintError(Exception):
    """A letter cannot be printed (its PDF does not open, or has no pages)."""


# --- the window -------------------------------------------------------------------------------


def _fit(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """Shrink a line to the width (down to MIN_ADDRESS_SIZE), then shorten it."""
    while stringWidth(text, font, size) > width and size > MIN_ADDRESS_SIZE:
        size -= 0.5
    while stringWidth(text, font, size) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text, size


def address_overlay(letter: PrintLetter, *, sender: str, window: Window = WINDOW) -> bytes:
    """One A4 page: a white window area with the address block in it."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    x, y, width, height = window.rect_points()
    sheet.setFillColor(colors.white)
    sheet.setStrokeColor(colors.white)
    sheet.rect(x, y, width, height, stroke=0, fill=1)
    sheet.setFillColor(colors.black)
    inner = width - 2 * window.inset * mm
    cursor = y + height - window.inset * mm
    small = 7.0
    if letter.registered:
        cursor -= small
        sheet.setFont(ADDRESS_BOLD, small + 1)
        sheet.drawString(x + window.inset * mm, cursor, "AANGETEKEND")
        cursor -= 1.5
    if sender:
        text, size = _fit(sender, ADDRESS_FONT, 6.0, inner)
        cursor -= size + 1
        sheet.setFont(ADDRESS_FONT, size)
        sheet.drawString(x + window.inset * mm, cursor, text)
        cursor -= 3 * mm
    for index, line in enumerate([letter.addressee, *letter.address_lines]):
        font = ADDRESS_BOLD if index == 0 else ADDRESS_FONT
        text, size = _fit(line, font, ADDRESS_SIZE, inner)
        cursor -= size * LINE_GAP
        sheet.setFont(font, size)
        sheet.drawString(x + window.inset * mm, cursor, text)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _sheet_mark(text: str) -> bytes:
    """One A4 page with `text` small and vertical in the left margin."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    sheet.saveState()
    sheet.translate(6 * mm, 12 * mm)
    sheet.rotate(90)
    sheet.setFont(ADDRESS_FONT, 6)
    sheet.setFillColor(colors.Color(0.3, 0.3, 0.3))
    sheet.drawString(0, 0, text)
    sheet.restoreState()
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


# --- the cover sheet ----------------------------------------------------------------------------


def cover_sheet(header: BatchHeader, letters: Sequence[PrintLetter], letter_sheets: Sequence[int]) -> bytes:
    """The batch's first page(s): what is in it, and which letters go as registered mail."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=8.5, leading=10.5)
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Printbatch {header.number}",
        author=header.sender,
        invariant=1,
    )
    registered = [(i, letter) for i, letter in enumerate(letters) if letter.registered]
    ordinary = [(i, letter) for i, letter in enumerate(letters) if not letter.registered]
    story = [
        Paragraph(f"Printbatch {header.number}", styles["Title"]),
        Paragraph(
            f"Gemaakt op {header.made_at:%d/%m/%Y om %H:%M} door {_escape(header.made_by)} · "
            f"{'recto verso' if header.duplex else 'enkelzijdig'}",
            styles["BodyText"],
        ),
        Spacer(1, 4 * mm),
    ]
    counts = Table(
        [
            ["Brieven", str(len(letters))],
            ["  waarvan aangetekend", str(len(registered))],
            ["  waarvan gewone post", str(len(ordinary))],
            ["Vellen voor de brieven", str(sum(letter_sheets))],
        ],
        colWidths=[70 * mm, 30 * mm],
        hAlign="LEFT",
    )
    counts.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 10), ("ALIGN", (1, 0), (1, -1), "RIGHT")])
    )
    story += [counts, Spacer(1, 6 * mm)]
    for title, rows in (("Aangetekend", registered), ("Gewone post", ordinary)):
        story.append(Paragraph(f"{title} ({len(rows)})", styles["Heading2"]))
        if not rows:
            story.append(Paragraph("Geen.", styles["BodyText"]))
            continue
        data = [["#", "Nummer", "Geadresseerde", "Adres", "Vellen"]]
        for index, letter in rows:
            data.append(
                [
                    str(index + 1),
                    letter.number,
                    Paragraph(_escape(letter.addressee), small),
                    Paragraph(_escape(", ".join(letter.address_lines)), small),
                    str(letter_sheets[index]),
                ]
            )
        table = Table(
            data, colWidths=[10 * mm, 34 * mm, 50 * mm, 64 * mm, 14 * mm], repeatRows=1, hAlign="LEFT"
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                    ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ]
            )
        )
        story += [table, Spacer(1, 4 * mm)]
    document.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- the batch ----------------------------------------------------------------------------------


def _is_plain_a4(page: Page) -> bool:
    box = [float(v) for v in page.mediabox]
    width, height = box[2] - box[0], box[3] - box[1]
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    crop = [float(v) for v in page.obj.get("/CropBox", page.mediabox)]
    return (
        rotate == 0
        and box[0] == 0
        and box[1] == 0
        and abs(width - A4[0]) <= A4_TOLERANCE
        and abs(height - A4[1]) <= A4_TOLERANCE
        and crop == box
    )


def open_letter(data: bytes) -> pikepdf.Pdf:
    """A letter's PDF, with its annotations (a visible signature) flattened so that they print."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as error:
        raise PrintError(str(error)) from None
    if len(pdf.pages) == 0:
        raise PrintError("no pages")
    pdf.flatten_annotations("print")
    return pdf


def _append_pages(out: pikepdf.Pdf, source: pikepdf.Pdf) -> int:
    """Copy the source's pages to the end of `out` as A4 portrait pages; returns how many."""
    for page in source.pages:
        if _is_plain_a4(page):
            out.pages.append(page)
            continue
        blank = out.add_blank_page(page_size=A4)
        formx = out.copy_foreign(page.as_form_xobject(handle_transformations=True))
        blank.add_overlay(formx, Rectangle(0, 0, A4[0], A4[1]))
    return len(source.pages)


def _overlay(out: pikepdf.Pdf, index: int, overlay_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(overlay_pdf)) as overlay:
        formx = out.copy_foreign(overlay.pages[0].as_form_xobject())
    out.pages[index].add_overlay(formx, Rectangle(0, 0, A4[0], A4[1]))


def render_batch(
    header: BatchHeader, letters: Sequence[PrintLetter], *, window: Window = WINDOW
) -> RenderedBatch:
    """The batch PDF: the cover sheet, then each letter from a new sheet with its address in the window."""
    sources: list[list[pikepdf.Pdf]] = []
    try:
        for letter in letters:
            sources.append([open_letter(data) for data in letter.documents])
        letter_pages = [sum(len(pdf.pages) for pdf in pdfs) for pdfs in sources]
        per_sheet = 2 if header.duplex else 1
        letter_sheets = [-(-pages // per_sheet) for pages in letter_pages]
        out = pikepdf.new()
        with pikepdf.open(io.BytesIO(cover_sheet(header, letters, letter_sheets))) as cover:
            out.pages.extend(cover.pages)
        if header.duplex and len(out.pages) % 2:
            out.add_blank_page(page_size=A4)
        first_pages: list[int] = []
        for letter, pdfs, pages in zip(letters, sources, letter_pages, strict=True):
            first = len(out.pages)
            first_pages.append(first + 1)
            for pdf in pdfs:
                _append_pages(out, pdf)
            _overlay(out, first, address_overlay(letter, sender=header.sender, window=window))
            for page in range(pages):
                _overlay(
                    out, first + page, _sheet_mark(f"{header.number} · {letter.number} · {page + 1}/{pages}")
                )
            if header.duplex and pages % 2:
                out.add_blank_page(page_size=A4)
        out.docinfo["/Title"] = f"Printbatch {header.number}"
        out.docinfo["/Creator"] = "Balie"
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, compress_streams=True)
        total = len(out.pages)
    finally:
        for pdfs in sources:
            for pdf in pdfs:
                pdf.close()
    return RenderedBatch(
        pdf=buffer.getvalue(),
        pages=total,
        sheets=-(-total // (2 if header.duplex else 1)),
        letter_pages=letter_pages,
        first_pages=first_pages,
    )
