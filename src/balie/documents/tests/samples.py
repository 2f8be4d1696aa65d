"""Small but real files of every kind the store knows, built in memory (the type is read from
the content, so these must be what they say), and an upload as the browser sends it."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
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
