"""Real files for the post register's tests, made in memory: letters typed with reportlab,
"scanned" into image-only PDF pages (rendered by poppler, as a scanner would give them), blank
pages, Balie's separator sheet, and broken or encrypted PDFs."""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from balie.correspondence.scans import separator_sheet_pdf

SCAN_DPI = 100


def letter_pdf(sender: str, subject: str, *, pages: int = 1) -> bytes:
    """A typed letter of `pages` pages (vector text, as a word processor makes it)."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    for page in range(1, pages + 1):
        sheet.setFont("Helvetica", 12)
        sheet.drawString(72, 770, sender)
        sheet.drawString(72, 752, "Dorpsstraat 12, 2645 Zonnedaal")
        sheet.drawString(320, 680, "Gemeente Zonnedaal")
        sheet.drawString(320, 662, "Markt 1, 2645 Zonnedaal")
        sheet.setFont("Helvetica-Bold", 13)
        sheet.drawString(72, 600, f"Betreft: {subject}")
        sheet.setFont("Helvetica", 12)
        for line in range(12):
            sheet.drawString(
                72, 560 - line * 18, f"Pagina {page}: geachte, hierbij mijn vraag over {subject.lower()}."
            )
        sheet.drawString(72, 300, f"Met vriendelijke groeten, {sender}")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def blank_pdf() -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def separator_pdf() -> bytes:
    return separator_sheet_pdf(municipality="Gemeente Zonnedaal")


def scanned(documents: Sequence[bytes], *, dpi: int = SCAN_DPI) -> bytes:
    """The documents' pages one after the other, as a scanner gives them: each page an image
    (greyscale, `dpi`), no text layer."""
    images: list[Image.Image] = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, document in enumerate(documents):
            source = Path(tmp) / f"d{number}.pdf"
            source.write_bytes(document)
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / f"d{number}")],  # noqa: S607
                check=True,
            )
            for png in sorted(
                Path(tmp).glob(f"d{number}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
            ):
                with Image.open(png) as image:
                    images.append(image.convert("L").copy())
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def scanned_letter(sender: str = "Marc Claes", subject: str = "Bouwaanvraag", *, pages: int = 1) -> bytes:
    return scanned([letter_pdf(sender, subject, pages=pages)])


def tiff_scan() -> bytes:
    image = Image.new("L", (827, 1169), 255)
    for y in range(200, 600, 20):
        for x in range(100, 700):
            image.putpixel((x, y), 0)
    out = io.BytesIO()
    image.save(out, "TIFF", compression="tiff_deflate")
    return out.getvalue()


def encrypted_pdf(*, user_password: str = "geheim") -> bytes:  # noqa: S107
    """A letter protected with a password (or, with an empty user password, with an owner
    password only: it opens, but may not be freely processed)."""
    with pikepdf.open(io.BytesIO(letter_pdf("Marc Claes", "Geheim"))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user=user_password, owner="eigenaar"))
    return out.getvalue()


BROKEN_PDF = b"%PDF-1.4\n" + b"\x00garbage that is no PDF at all " * 40 + b"\n%%EOF\n"


def cut_off_pdf() -> bytes:
    """A letter whose upload stopped halfway."""
    whole = letter_pdf("Marc Claes", "Afgebroken")
    return whole[: len(whole) // 2]


def empty_pdf() -> bytes:
    """A well-formed PDF without a single page."""
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.save(out)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x40\x00\x00\x00"
EXE += b"\x00" * (0x40 - len(EXE)) + b"PE\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as it arrives from a browser: the name and content type are the client's word."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in Path(root).rglob("*") if path.is_file())
