"""Small but real files of every kind the store knows, built in memory (the type is read from
the content, so these must be what they say), and an upload as the browser sends it."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

# A PDF of one blank A4 page, as qpdf writes it (a PDF must open and have a page to be stored).
PDF = (
    b"%PDF-1.3\n%\xbf\xf7\xa2\xfe\n1 0 obj\n<< /Pages 2 0 R /Type /Catalog >>\nendobj\n"
    b"2 0 obj\n<< /Count 1 /Kids [ 3 0 R ] /Type /Pages >>\nendobj\n"
    b"3 0 obj\n<< /Contents 4 0 R /MediaBox [ 0 0 595 842 ] /Parent 2 0 R /Resources << >> /Type /Page >>"
    b"\nendobj\n4 0 obj\n<< /Length 0 >>\nstream\n\nendstream\nendobj\n"
    b"xref\n0 5\n0000000000 65535 f \n0000000015 00000 n \n0000000064 00000 n \n0000000123 00000 n \n"
    b"0000000229 00000 n \ntrailer << /Root 1 0 R /Size 5 /ID [<31415926535897932384626433832795>"
    b"<31415926535897932384626433832795>] >>\nstartxref\n278\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
TIFF = b"II*\x00\x08\x00\x00\x00\x00\x00" + b"\x00" * 16
TEXT = "Beste, in bijlage mijn bouwplan. Met vriendelijke groet, Anaïs.\n".encode()
EML = (
    b"Return-Path: <an.peeters@example.be>\r\n"
    b"From: An Peeters <an.peeters@example.be>\r\n"
    b"To: omgeving@zonnedaal.be\r\n"
    b"Subject: Bouwplan\r\n"
    b"Date: Mon, 2 Mar 2026 10:00:00 +0100\r\n"
    b"Message-ID: <1@example.be>\r\n\r\n"
    b"In bijlage mijn bouwplan.\r\n"
)
# A Windows program (MZ header and PE signature): never accepted, whatever its name.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x40\x00\x00\x00"
EXE += b"\x00" * (0x40 - len(EXE)) + b"PE\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _zip(entries: list[tuple[str, str]]) -> bytes:
    """The same bytes for the same entries (a fixed time on every part: a test compares hashes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, compress_type=method
            )
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx(text: str = "Beslissing") -> bytes:
    """A Word document as Word lays it out ([Content_Types].xml first)."""
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", "<Relationships/>"),
            ("word/document.xml", f"<w:document><w:body><w:p>{text}</w:p></w:body></w:document>"),
        ]
    )


def docx_parts_later() -> bytes:
    """A Word document from a writer that does not put [Content_Types].xml first."""
    return _zip(
        [
            ("docProps/app.xml", "<Properties>" + "x" * 5000 + "</Properties>"),
            ("word/document.xml", "<w:document/>"),
            ("_rels/.rels", "<Relationships/>"),
            ("[Content_Types].xml", CONTENT_TYPES),
        ]
    )


def xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Oppervlakte"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt() -> bytes:
    return _zip([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office/>")])


def msg() -> bytes:
    """An Outlook message: a compound file (CFB) with Outlook's property streams."""
    end, free, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, end, *([free] * 126))

    def entry(name: str, kind: int, child: int = nostream, right: int = nostream) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, nostream, right, child)
        struct.pack_into("<I", raw, 116, end)
        return bytes(raw)

    entries = [
        entry("Root Entry", 5, child=1),
        entry("__substg1.0_0037001F", 2, right=2),
        entry("__properties_version1.0", 2),
        entry("", 0),
    ]
    return bytes(header) + fat + b"".join(entries)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as it arrives from a browser: the name and content type are the client's word."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    """Every file under the storage's root (directories do not count)."""
    return sorted(path for path in Path(root).rglob("*") if path.is_file())


# --- files with text in them, for reading and searching ------------------------------------------

FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]


def text_pdf(*pages: str) -> bytes:
    """A PDF with a text layer, one page per argument (reportlab, as a word processor makes one)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in pages:
        y = 780
        for line in page.splitlines():
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def page_image(text: str, *, width: int = 1700, dpi: int = 300):  # type: ignore[no-untyped-def]
    """A scanned piece of a page: the lines of `text` in 12 pt print at `dpi`, black on white."""
    from PIL import Image, ImageDraw, ImageFont

    lines = text.splitlines()
    size = round(12 / 72 * dpi)
    font_path = next((path for path in FONT_PATHS if Path(path).exists()), None)
    font = ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default(size=size)
    leading = round(size * 1.5)
    height = leading * len(lines) + size * 2
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((size * 2, size + index * leading), line, fill=0, font=font)
    return image


def scanned_pdf(*pages: str) -> bytes:
    """A PDF of scanned pages: pictures only, no text layer."""
    images = [page_image(page).convert("RGB") for page in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=300, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def mixed_pdf(typed: str, scanned: str) -> bytes:
    """A typed page followed by a scanned one (a letter with a scanned annex)."""
    import pikepdf

    result = pikepdf.open(io.BytesIO(text_pdf(typed)))
    with pikepdf.open(io.BytesIO(scanned_pdf(scanned))) as scan:
        result.pages.extend(scan.pages)
        buffer = io.BytesIO()
        result.save(buffer)
    return buffer.getvalue()


def scan_tiff(*pages: str) -> bytes:
    """A multi-page TIFF as a scanner makes it (black and white, Group 4 fax compression)."""
    images = [page_image(page).convert("1") for page in pages]
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="TIFF", compression="group4", dpi=(300, 300), save_all=True, append_images=images[1:]
    )
    return buffer.getvalue()


def scan_png(text: str) -> bytes:
    buffer = io.BytesIO()
    page_image(text).save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def real_docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    """A Word document as python-docx writes it (it opens in Word)."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_odt(*paragraphs: str) -> bytes:
    """An OpenDocument text with paragraphs, a heading, spaces and a line break in ODF's own
    elements."""
    body = "".join(f"<text:p>{paragraph}</text:p>" for paragraph in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        "<office:body><office:text><text:h>Onderwerp</text:h>"
        f"{body}<text:p>Met<text:s/>vriendelijke<text:line-break/>groet</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    return _zip(
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("META-INF/manifest.xml", "<manifest/>"),
            ("content.xml", content),
        ]
    )


def html_only_eml() -> bytes:
    return (
        b"From: An Peeters <an.peeters@example.be>\r\n"
        b"To: omgeving@zonnedaal.be\r\n"
        b"Subject: =?utf-8?q?Vraag_over_de_stra=C3=9Fe?=\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="grens"\r\n\r\n'
        b"--grens\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><style>p{color:red}</style><body><p>Graag een <b>afspraak</b> voor het"
        b" terras.</p><script>alert(1)</script></body></html>\r\n"
        b"--grens\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b'Content-Disposition: attachment; filename="x.txt"\r\n\r\n'
        b"Bijlage die niet meetelt.\r\n"
        b"--grens--\r\n"
    )


def encrypted_pdf(*, user_password: str = "geheim") -> bytes:  # noqa: S107 - a test file's
    import pikepdf

    with pikepdf.open(io.BytesIO(text_pdf("Vertrouwelijk verslag"))) as pdf:
        buffer = io.BytesIO()
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="eigenaar", user=user_password))
    return buffer.getvalue()
