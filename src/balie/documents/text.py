"""The text of a stored file, read by type: a PDF's text layer (poppler's `pdftotext`), and OCR
(ocr.py) for the pages that have none; scans in TIFF, PNG or JPEG by OCR; Word (python-docx),
OpenDocument text (its content.xml), Excel, plain text and e-mail (its text parts).

Works on a local copy of the file (tasks.py fetches it from the storage, which may be S3) and
never raises anything but ExtractionFailed or NotApplicable for a file it cannot read.
"""

from __future__ import annotations

import email
import email.policy
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from django.utils.translation import gettext as _

from . import ocr
from .files import type_label
from .models import TextMethod
from .text_errors import ExtractionFailed, NotApplicable

MAX_TEXT_CHARS = 2_000_000
"""What is kept of a very long text (about 600 pages of dense text)."""
MIN_PAGE_CHARS = 20
"""A PDF page with a picture on it whose text layer has fewer letters than this (spaces not
counted) is OCR'd: a scan, perhaps with a scanner's stamp on it. A page without pictures has all
its text in its text layer."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""An office file (a zip) that unpacks to more than this is not read: a zip bomb."""
PDFTOTEXT_TIMEOUT = 120.0
HIGHLIGHT_MARKS = "\ue000\ue001"
"""Private-use characters that mark a search hit in a snippet (search.py): never in a text."""

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
IMAGES = ("image/tiff", "image/png", "image/jpeg")
TEXT = "text/plain"
EML = "message/rfc822"

ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f" + HIGHLIGHT_MARKS + "]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")

Progress = Callable[[], None]


@dataclass(frozen=True)
class Extracted:
    text: str
    method: str  # a TextMethod
    pages: int | None


def clean_text(text: str) -> str:
    """No control characters (PostgreSQL stores no NUL), no trailing spaces, at most one blank
    line in a row; cut at MAX_TEXT_CHARS."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()[:MAX_TEXT_CHARS]


def extract_text(
    path: Path, mime_type: str, *, workdir: Path, progress: Progress = lambda: None
) -> Extracted:
    """The text of the file at `path`, read as `mime_type` (the type sniffed when it was stored).
    `progress` is called after each page, so that the caller can show it is still alive."""
    if mime_type == PDF:
        return _pdf(path, workdir, progress)
    if mime_type in IMAGES:
        texts = ocr.ocr_image(path, workdir, progress=progress)
        return Extracted(clean_text("\n\n".join(texts)), TextMethod.OCR, len(texts))
    if mime_type == DOCX:
        return Extracted(clean_text(_docx(path)), TextMethod.FILE, None)
    if mime_type == ODT:
        return Extracted(clean_text(_odt(path)), TextMethod.FILE, None)
    if mime_type == XLSX:
        return Extracted(clean_text(_xlsx(path)), TextMethod.FILE, None)
    if mime_type == TEXT:
        return Extracted(clean_text(_decode(path.read_bytes())), TextMethod.FILE, None)
    if mime_type == EML:
        return Extracted(clean_text(_eml(path)), TextMethod.FILE, None)
    raise NotApplicable(
        _("Balie leest geen tekst uit dit soort bestand (%(type)s).") % {"type": type_label(mime_type)}
    )


# --- PDF -----------------------------------------------------------------------------------------


def pdf_page_count(path: Path) -> int:
    output = ocr.run(
        ["pdfinfo", str(path)], timeout=PDFTOTEXT_TIMEOUT, what=_("Het lezen van de PDF (pdfinfo)")
    )
    found = re.search(rb"^Pages:\s+(\d+)", output, re.MULTILINE)
    if found is None:
        raise ExtractionFailed(_("Het aantal pagina's van de PDF kon niet gelezen worden."))
    return int(found.group(1))


def _pdf(path: Path, workdir: Path, progress: Progress) -> Extracted:
    pages = pdf_page_count(path)
    output = ocr.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        timeout=PDFTOTEXT_TIMEOUT,
        what=_("Het lezen van de tekstlaag (pdftotext)"),
    )
    # pdftotext ends every page with a form feed.
    layer = output.decode("utf-8", "replace").split("\f")
    pictured = _pages_with_pictures(path)
    texts: list[str] = []
    scanned = 0
    for number in range(1, pages + 1):
        text = layer[number - 1] if number - 1 < len(layer) else ""
        if number in pictured and len(re.sub(r"\s", "", text)) < MIN_PAGE_CHARS:
            text = ocr.ocr_pdf_page(path, number, workdir)
            scanned += 1
        texts.append(text)
        progress()
    if scanned == 0:
        method = TextMethod.TEXT_LAYER
    elif scanned == pages:
        method = TextMethod.OCR
    else:
        method = TextMethod.TEXT_LAYER_AND_OCR
    return Extracted(clean_text("\n\n".join(texts)), method, pages)


def _pages_with_pictures(path: Path) -> set[int]:
    """The numbers (from 1) of the pages that show an image, directly or in a form."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            return {number for number, page in enumerate(pdf.pages, start=1) if _shows_image(page.resources)}
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise ExtractionFailed(
            _("Het PDF-bestand kon niet gelezen worden (%(error)s).") % {"error": str(error)[:200]}
        ) from None


def _shows_image(resources: object, depth: int = 0) -> bool:
    objects = getattr(resources, "get", lambda *_: None)("/XObject")
    if objects is None or depth > 3:
        return False
    for _name, item in objects.items():
        subtype = item.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _shows_image(item.get("/Resources"), depth + 1):
            return True
    return False


# --- office files --------------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ExtractionFailed(
            _("Het bestand is geen geldig zip-archief (%(error)s).") % {"error": error}
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExtractionFailed(_("Het bestand is uitgepakt te groot om te lezen."))


def _docx(path: Path) -> str:
    import docx
    from docx.table import Table

    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for a broken file
        raise ExtractionFailed(
            _("Het Word-bestand kon niet gelezen worden (%(error)s).") % {"error": str(error)[:200]}
        ) from None
    lines: list[str] = []

    def walk(blocks: Iterator[object]) -> None:
        for block in blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                    lines.append("\t".join(cell for cell in cells if cell))
            else:
                lines.append(getattr(block, "text", ""))

    for section in document.sections:
        walk(iter(section.header.iter_inner_content()))
    walk(iter(document.iter_inner_content()))
    for section in document.sections:
        walk(iter(section.footer.iter_inner_content()))
    return "\n".join(lines)


def _odt(path: Path) -> str:
    from lxml import etree

    _check_zip(path)
    try:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("content.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(content, parser)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError) as error:
        raise ExtractionFailed(
            _("Het OpenDocument-bestand kon niet gelezen worden (%(error)s).") % {"error": str(error)[:200]}
        ) from None
    lines: list[str] = []
    for element in root.iter(f"{{{ODF_TEXT}}}p", f"{{{ODF_TEXT}}}h"):
        lines.append(_odf_text(element))
    return "\n".join(lines)


def _odf_text(element: object) -> str:
    """The text of a paragraph, with ODF's own space, tab and line-break elements; a paragraph
    inside it (a note, a frame) is read on its own."""
    parts: list[str] = []
    node = element
    if getattr(node, "text", None):
        parts.append(node.text)  # type: ignore[attr-defined]
    for child in node:  # type: ignore[attr-defined]
        tag = child.tag if isinstance(child.tag, str) else ""
        name = tag.rpartition("}")[2]
        if name == "s":
            parts.append(" " * int(child.get(f"{{{ODF_TEXT}}}c", "1") or 1))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        elif name not in ("p", "h", "note"):
            parts.append(_odf_text(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def _xlsx(path: Path) -> str:
    import openpyxl

    _check_zip(path)
    try:
        # a file object: openpyxl would refuse a path without an .xlsx extension
        workbook = openpyxl.load_workbook(path.open("rb"), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ExtractionFailed(
            _("Het Excel-bestand kon niet gelezen worden (%(error)s).") % {"error": str(error)[:200]}
        ) from None
    lines: list[str] = []
    size = 0
    try:
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join(str(value) for value in row if value is not None)
                if line:
                    lines.append(line)
                    size += len(line)
                if size > MAX_TEXT_CHARS:
                    return "\n".join(lines)
    finally:
        workbook.close()
    return "\n".join(lines)


# --- plain text and e-mail -----------------------------------------------------------------------


def _decode(data: bytes, charset: str | None = None) -> str:
    for encoding in (charset, "utf-8-sig", "cp1252"):
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def _eml(path: Path) -> str:
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    lines = []
    for header, label in (("subject", _("Onderwerp")), ("from", _("Van")), ("to", _("Aan"))):
        value = str(message.get(header, "") or "").strip()
        if value:
            lines.append(f"{label}: {value}")
    plain: list[str] = []
    html: list[str] = []
    for part in message.walk():
        if part.is_multipart() or part.is_attachment():
            continue
        content_type = part.get_content_type()
        if content_type not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        text = _decode(payload, part.get_content_charset())
        (plain if content_type == "text/plain" else html).append(text)
    if not plain:
        plain = [_html_text(text) for text in html]
    return "\n".join([*lines, "", *plain])


def _html_text(markup: str) -> str:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(markup)
    except Exception:  # noqa: BLE001 - lxml's ParserError for an empty or broken document
        return ""
    for element in tree.xpath("//script|//style"):
        element.drop_tree()
    return str(tree.text_content())
