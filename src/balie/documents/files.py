"""Files as the document store sees them: where they are kept, what they really are (sniffed from
the content, never from the client's name or content type) and a name that is safe to hand back.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from typing import TYPE_CHECKING, Any

import magic
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STORAGE_ALIAS = "documents"
CHUNK_BYTES = 64 * 1024
HEAD_BYTES = 1024 * 1024
"""How much of the start of a file the type is read from (zip-based formats such as DOCX and XLSX
name their parts a few kilobytes in; libmagic reads no further than this either)."""

# What the sniffed type is called, and the extensions a file of that type may carry (the first is
# the one a download gets when the name says something else).
KNOWN_TYPES: dict[str, tuple[StrOrPromise, tuple[str, ...]]] = {
    "application/pdf": ("PDF", (".pdf",)),
    "image/tiff": ("TIFF", (".tif", ".tiff")),
    "image/png": ("PNG", (".png",)),
    "image/jpeg": ("JPEG", (".jpg", ".jpeg")),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        _("Word (DOCX)"),
        (".docx",),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (_("Excel (XLSX)"), (".xlsx",)),
    "application/vnd.oasis.opendocument.text": (_("OpenDocument-tekst (ODT)"), (".odt",)),
    "text/plain": (_("tekst"), (".txt", ".csv", ".log")),
    "message/rfc822": (_("e-mail (EML)"), (".eml",)),
    "application/vnd.ms-outlook": (_("Outlook-bericht (MSG)"), (".msg",)),
}

_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\.|$)", re.IGNORECASE)
MAX_NAME_LENGTH = 150


def document_storage() -> Storage:
    """The storage documents live in: STORAGES["documents"] (the filesystem under MEDIA_ROOT by
    default, never served by Balie's URLs; an S3-compatible object store by setting)."""
    return storages[STORAGE_ALIAS]


def sniff_mime_type(head: bytes) -> str:
    """The type the content says it is."""
    return str(magic.from_buffer(head, mime=True))


PDF_TAIL_BYTES = 2048
"""A PDF ends with %%EOF (perhaps followed by a little padding); one that does not was cut off."""


def pdf_problem(file: Any) -> str | None:
    """What is wrong with a PDF, in Dutch, or None: it needs a password or is encrypted, it was
    cut off (no end), qpdf cannot read it (even repaired), or it has no pages. A PDF whose
    cross-reference table is off but whose content is whole is fine: qpdf repairs it on opening,
    as every PDF reader does."""
    import pikepdf  # loaded when a PDF arrives, not by every process that starts

    file.seek(0, io.SEEK_END)
    size = file.tell()  # what it holds, not what it claims
    if size > max_bytes():
        file.seek(0)
        return None  # refused as too large while it streams in
    file.seek(max(0, size - PDF_TAIL_BYTES))
    tail = file.read(PDF_TAIL_BYTES)
    file.seek(0)
    if b"%%EOF" not in tail:
        return gettext("Dit PDF-bestand is onvolledig (het einde ontbreekt); laad het opnieuw op.")
    try:
        with pikepdf.open(file) as pdf:
            if pdf.is_encrypted:
                return gettext(
                    "Dit PDF-bestand is versleuteld; bewaar het zonder beveiliging en laad het opnieuw op."
                )
            if len(pdf.pages) == 0:
                return gettext("Dit PDF-bestand heeft geen pagina's.")
    except pikepdf.PasswordError:
        return gettext(
            "Dit PDF-bestand is beveiligd met een wachtwoord; bewaar het zonder wachtwoord en laad het "
            "opnieuw op."
        )
    except (pikepdf.PdfError, ValueError, OSError, RuntimeError):
        return gettext("Dit PDF-bestand is beschadigd en kan niet gelezen worden.")
    finally:
        file.seek(0)
    return None


def allowed_types() -> list[str]:
    return list(settings.BALIE_DOCUMENT_TYPES)


def max_bytes() -> int:
    return int(settings.BALIE_DOCUMENT_MAX_BYTES)


def type_label(mime_type: str) -> str:
    known = KNOWN_TYPES.get(mime_type)
    return str(known[0]) if known else mime_type


def known_extensions() -> list[str]:
    """The extensions of the allowed types, for a file picker's `accept` (a hint, never a check)."""
    allowed = set(allowed_types())
    return [ext for mime_type, (_label, exts) in KNOWN_TYPES.items() if mime_type in allowed for ext in exts]


def clean_filename(name: str, *, fallback: str = "document") -> str:
    """A file name from a client made harmless: no path, no control or direction-changing
    characters, nothing a file system or a Content-Disposition header trips over."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = _FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(' .')}.{extension}"
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(" .")
    return name or fallback


def name_for_type(name: str, mime_type: str) -> str:
    """The name with an extension that fits the content: a PDF called 'brief.docx' is handed out
    as 'brief.pdf', so the computer that opens it picks the right program."""
    known = KNOWN_TYPES.get(mime_type)
    if known is None:
        return name
    extensions = known[1]
    stem, dot, extension = name.rpartition(".")
    if dot and f".{extension.lower()}" in extensions:
        return name
    base = stem if dot and stem and len(extension) <= 10 else name
    return f"{base}{extensions[0]}"


def title_from_filename(name: str) -> str:
    stem, dot, _extension = name.rpartition(".")
    return (stem if dot and stem else name)[:200]


class TooLarge(Exception):
    """The content turned out larger than the limit while it was being stored."""


class HashingReader(io.RawIOBase):
    """Reads a source file for the storage, counting and hashing every byte that passes.

    The storage pulls the content through `read` (or File.chunks), so the file is stored and
    hashed in one pass, a chunk at a time. Rewinding to the start begins the count again (a
    storage that retries an upload reads it twice); any other seek is refused.
    """

    def __init__(self, source: Any, *, limit: int, size: int) -> None:
        super().__init__()
        self._source = source
        self._limit = limit
        self.size = size  # what File.size and storages that set a content length read
        self._restart()

    def _restart(self) -> None:
        self.sha256 = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET and offset == 0:
            self._source.seek(0)
            self._restart()
            return 0
        if whence == io.SEEK_CUR and offset == 0:
            return self.count
        raise io.UnsupportedOperation("only a rewind to the start")

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:  # to the end, as promised; storages read in chunks
            return b"".join(iter(lambda: self.read(CHUNK_BYTES), b""))
        data = self._source.read(size)
        if isinstance(data, str):
            data = data.encode()
        self.count += len(data)
        if self.count > self._limit:
            raise TooLarge
        self.sha256.update(data)
        return bytes(data)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
