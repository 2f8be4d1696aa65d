"""Outlook .msg files for tests, written from Python values: no sample file, no library that writes
them. Two layers, each after its spec:

* `compound_file`: a Compound File Binary file ([MS-CFB]), version 3 (512-byte sectors): header
  (2.2) with the DIFAT in it (enough for files up to ~6.8 MB), FAT (2.3), mini FAT and mini stream
  (2.4, streams under 4096 bytes), directory (2.6) with each storage's children in a red-black tree.
* `outlook_msg`: a message ([MS-OXMSG]) as storages and streams in such a file: a property stream
  (2.4) for the fixed-size values, one `__substg1.0_` stream per variable-length value (2.1.3),
  the named property mapping storage (2.2.3), recipients (2.2.1) and attachments (2.2.2).

It is checked against independent readers (olefile and extract_msg) in test_outlook_msg_files.py.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from dataclasses import dataclass, field
from typing import Union

# --- [MS-CFB] ------------------------------------------------------------------------------------

SECTOR = 512  # version 3 (2.2: sector shift 9)
MINI_SECTOR = 64  # 2.2: mini sector shift 6
MINI_CUTOFF = 4096  # 2.2: a smaller stream lives in the mini stream
DIFSECT, FATSECT, ENDOFCHAIN, FREESECT = 0xFFFFFFFC, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFF  # 2.1
NOSTREAM = 0xFFFFFFFF  # 2.6.1
STORAGE, STREAM, ROOT = 1, 2, 5  # 2.6.1 object types
RED, BLACK = 0, 1  # 2.6.1 colour flag
HEADER_DIFAT = 109  # 2.2: DIFAT entries in the header

Tree = dict[str, Union["Tree", bytes]]  # a storage: name → storage or stream content


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    colour: int = BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """2.6.4: shorter names first, then by upper-cased characters."""
    return len(name), name.upper()


def _sibling_tree(entries: list[_Entry], ids: list[int]) -> int:
    """The children of one storage as a balanced binary search tree, returned by its root (2.6.4).

    Splitting at the middle fills every level but the deepest; colouring the nodes on the deepest
    level red (when it is not full) and all others black gives every path the same number of black
    nodes and no red node a red child: a valid red-black tree. A full tree is all black."""
    ordered = sorted(ids, key=lambda i: _sort_key(entries[i].name))
    depth_of: dict[int, int] = {}

    def build(low: int, high: int, depth: int) -> int:
        if low >= high:
            return NOSTREAM
        middle = (low + high) // 2
        node = ordered[middle]
        depth_of[node] = depth
        entries[node].left = build(low, middle, depth + 1)
        entries[node].right = build(middle + 1, high, depth + 1)
        return node

    root = build(0, len(ordered), 0)
    deepest = max(depth_of.values(), default=0)
    full = len(ordered) == 2 ** (deepest + 1) - 1
    for node, depth in depth_of.items():
        entries[node].colour = RED if depth == deepest and not full else BLACK
    return root


def _chain(fat: list[int], first: int, count: int) -> None:
    for sector in range(first, first + count):
        fat[sector] = sector + 1 if sector < first + count - 1 else ENDOFCHAIN


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def compound_file(tree: Tree) -> bytes:
    """A CFB version 3 file holding `tree` under its root storage."""
    entries = [_Entry("Root Entry", ROOT)]

    def add(storage: Tree, parent: int) -> None:
        for name, value in storage.items():
            if len(name) > 31:
                raise ValueError(f"a CFB name has at most 31 characters: {name!r}")  # 2.6.1
            entries.append(
                _Entry(name, STREAM, data=value) if isinstance(value, bytes) else _Entry(name, STORAGE)
            )
            entries[parent].children.append(len(entries) - 1)
            if not isinstance(value, bytes):
                add(value, len(entries) - 1)

    add(tree, 0)
    for entry in entries:
        if entry.kind != STREAM:
            entry.child = _sibling_tree(entries, entry.children)

    # Place the streams: small ones in the mini stream (2.4), the others in sectors of their own.
    streams = [e for e in entries if e.kind == STREAM and e.data]
    small = [e for e in streams if len(e.data) < MINI_CUTOFF]
    large = [e for e in streams if len(e.data) >= MINI_CUTOFF]
    mini_fat: list[int] = []
    for entry in small:
        first, count = len(mini_fat), _sectors(len(entry.data), MINI_SECTOR)
        entry.start, entry.size = first, len(entry.data)
        mini_fat.extend([FREESECT] * count)
        _chain(mini_fat, first, count)
    mini_stream = b"".join(
        e.data.ljust(_sectors(len(e.data), MINI_SECTOR) * MINI_SECTOR, b"\0") for e in small
    )
    directory_sectors = _sectors(len(entries), SECTOR // 128)
    mini_fat_sectors = _sectors(len(mini_fat), SECTOR // 4)
    mini_stream_sectors = _sectors(len(mini_stream), SECTOR)
    large_sectors = sum(_sectors(len(e.data), SECTOR) for e in large)
    other = directory_sectors + mini_fat_sectors + mini_stream_sectors + large_sectors
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + other:  # the FAT also maps its own sectors
        fat_sectors += 1
    if fat_sectors > HEADER_DIFAT:
        raise ValueError("too large for a DIFAT in the header")

    # Layout: FAT, directory, mini FAT, mini stream, large streams (2.3: one FAT entry per sector).
    fat = [FREESECT] * (fat_sectors * SECTOR // 4)
    fat[:fat_sectors] = [FATSECT] * fat_sectors
    directory_start = fat_sectors
    _chain(fat, directory_start, directory_sectors)
    mini_fat_start = directory_start + directory_sectors
    _chain(fat, mini_fat_start, mini_fat_sectors)
    mini_stream_start = mini_fat_start + mini_fat_sectors
    _chain(fat, mini_stream_start, mini_stream_sectors)
    if mini_stream:
        entries[0].start, entries[0].size = mini_stream_start, len(mini_stream)  # 2.6.2
    next_sector = mini_stream_start + mini_stream_sectors
    for entry in large:
        entry.start, entry.size = next_sector, len(entry.data)
        _chain(fat, next_sector, _sectors(len(entry.data), SECTOR))
        next_sector += _sectors(len(entry.data), SECTOR)

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # signature
        b"\0" * 16,  # header CLSID
        0x003E,  # minor version
        0x0003,  # major version 3
        0xFFFE,  # byte order: little-endian
        9,  # sector shift: 512
        6,  # mini sector shift: 64
        b"\0" * 6,
        0,  # number of directory sectors: MUST be 0 in version 3
        fat_sectors,
        directory_start,
        0,  # transaction signature
        MINI_CUTOFF,
        mini_fat_start if mini_fat_sectors else ENDOFCHAIN,
        mini_fat_sectors,
        ENDOFCHAIN,  # first DIFAT sector: none beyond the header
        0,  # number of DIFAT sectors
    )
    header += struct.pack("<109I", *range(fat_sectors), *[FREESECT] * (HEADER_DIFAT - fat_sectors))

    def directory_entry(entry: _Entry | None) -> bytes:
        if entry is None:  # an unused entry (2.6.3)
            return struct.pack(
                "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0
            )
        name = (entry.name + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry.kind,
            entry.colour,
            entry.left,
            entry.right,
            entry.child,
            b"\0" * 16,  # CLSID
            0,  # state bits
            0,  # creation time
            0,  # modified time
            entry.start,
            entry.size,
        )

    slots: list[_Entry | None] = [*entries, *[None] * (directory_sectors * 4 - len(entries))]
    body = b"".join(
        [
            struct.pack(f"<{len(fat)}I", *fat),
            b"".join(directory_entry(e) for e in slots),
            struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(mini_fat_sectors * SECTOR, b"\xff"),
            mini_stream.ljust(mini_stream_sectors * SECTOR, b"\0"),
            *(e.data.ljust(_sectors(len(e.data), SECTOR) * SECTOR, b"\0") for e in large),
        ]
    )
    return header + body


# --- [MS-OXMSG] ----------------------------------------------------------------------------------

PT_LONG, PT_TIME, PT_STRING, PT_BINARY = 0x0003, 0x0040, 0x001F, 0x0102  # [MS-OXCDATA] 2.11.1
READABLE_WRITABLE = 0x2 | 0x4  # 2.4.2.1 flags
STORE_UNICODE_OK = 0x00040000  # PidTagStoreSupportMask: the strings are UTF-16
MAPI_TO, MAPI_CC = 1, 2  # PidTagRecipientType
ATTACH_BY_VALUE = 1  # PidTagAttachMethod
MSGFLAG_READ = 0x1  # PidTagMessageFlags (not MSGFLAG_UNSENT: it was sent)

Value = str | bytes | int | dt.datetime


@dataclass
class Recipient:
    name: str
    address: str
    kind: int = MAPI_TO


@dataclass
class File:
    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"


def _filetime(moment: dt.datetime) -> int:
    """100-nanosecond intervals since 1601-01-01 UTC ([MS-DTYP] 2.3.3)."""
    delta = moment.astimezone(dt.UTC) - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def _properties(values: dict[int, Value], header: bytes) -> Tree:
    """One object's `__properties_version1.0` stream and `__substg1.0_` streams (2.4, 2.1.3).

    `values` maps a property id to its value; the type follows from the Python type."""
    streams: Tree = {}
    entries = b""
    for prop_id, value in values.items():
        if isinstance(value, str):
            tag, data = prop_id << 16 | PT_STRING, value.encode("utf-16-le")
            entries += struct.pack("<IIII", tag, READABLE_WRITABLE, len(data) + 2, 0)  # 2.4.2.2: + null
        elif isinstance(value, bytes):
            tag, data = prop_id << 16 | PT_BINARY, value
            entries += struct.pack("<IIII", tag, READABLE_WRITABLE, len(data), 0)
        elif isinstance(value, dt.datetime):
            entries += struct.pack("<IIQ", prop_id << 16 | PT_TIME, READABLE_WRITABLE, _filetime(value))
            continue
        else:
            entries += struct.pack("<IIiI", prop_id << 16 | PT_LONG, READABLE_WRITABLE, value, 0)
            continue
        streams[f"__substg1.0_{tag:08X}"] = data
    return {"__properties_version1.0": header + entries, **streams}


def _short_name(filename: str) -> str:
    """An 8.3 name for PidTagAttachFilename (the long one is PidTagAttachLongFilename)."""
    stem, _, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    stem = re.sub(r"[^A-Za-z0-9]", "", stem).upper()
    extension = re.sub(r"[^A-Za-z0-9]", "", extension).upper()[:3]
    return (stem[:6] + "~1" if len(stem) > 8 else stem or "BIJLAGE") + (f".{extension}" if extension else "")


def outlook_msg(
    *,
    subject: str,
    sender_name: str,
    sender_address: str,
    recipients: list[Recipient],
    body: str,
    message_id: str,
    sent: dt.datetime,
    html: str | None = None,
    attachments: list[File] | None = None,
    headers: str | None = None,
) -> bytes:
    """A sent e-mail as Outlook saves it (File → Save As → .msg), Unicode strings throughout;
    `headers` are the internet headers a received message keeps."""
    attachments = attachments or []
    message: dict[int, Value] = {
        0x001A: "IPM.Note",  # PidTagMessageClass
        0x0037: subject,  # PidTagSubject
        0x0C1A: sender_name,  # PidTagSenderName
        0x0C1E: "SMTP",  # PidTagSenderAddressType
        0x0C1F: sender_address,  # PidTagSenderEmailAddress
        0x5D01: sender_address,  # PidTagSenderSmtpAddress
        0x0042: sender_name,  # PidTagSentRepresentingName
        0x0064: "SMTP",  # PidTagSentRepresentingAddressType
        0x0065: sender_address,  # PidTagSentRepresentingEmailAddress
        0x0E04: "; ".join(r.name for r in recipients if r.kind == MAPI_TO),  # PidTagDisplayTo
        0x0E03: "; ".join(r.name for r in recipients if r.kind == MAPI_CC),  # PidTagDisplayCc
        0x1000: body,  # PidTagBody
        0x1035: message_id,  # PidTagInternetMessageId
        0x0039: sent,  # PidTagClientSubmitTime
        0x0E06: sent,  # PidTagMessageDeliveryTime
        0x0E07: MSGFLAG_READ,  # PidTagMessageFlags
        0x340D: STORE_UNICODE_OK,  # PidTagStoreSupportMask
    }
    if html is not None:
        message[0x1013] = html.encode("utf-8")  # PidTagHtml (PtypBinary)
        message[0x3FDE] = 65001  # PidTagInternetCodepage: UTF-8
    if headers is not None:
        message[0x007D] = headers  # PidTagTransportMessageHeaders
    count = struct.pack("<II", len(recipients), len(attachments))
    tree: Tree = _properties(message, b"\0" * 8 + count + count + b"\0" * 8)  # 2.4.1.1: 32 bytes
    tree["__nameid_version1.0"] = {  # 2.2.3: GUID, entry and string streams, empty: no named props
        "__substg1.0_00020102": b"",
        "__substg1.0_00030102": b"",
        "__substg1.0_00040102": b"",
    }
    for number, recipient in enumerate(recipients):  # 2.2.1
        tree[f"__recip_version1.0_#{number:08X}"] = _properties(
            {
                0x3001: recipient.name,  # PidTagDisplayName
                0x3002: "SMTP",  # PidTagAddressType
                0x3003: recipient.address,  # PidTagEmailAddress
                0x39FE: recipient.address,  # PidTagSmtpAddress
                0x0C15: recipient.kind,  # PidTagRecipientType
                0x3000: number,  # PidTagRowid
            },
            b"\0" * 8,  # 2.4.1.3
        )
    for number, attachment in enumerate(attachments):  # 2.2.2
        tree[f"__attach_version1.0_#{number:08X}"] = _properties(
            {
                0x3001: attachment.filename,  # PidTagDisplayName
                0x3704: _short_name(attachment.filename),  # PidTagAttachFilename
                0x3707: attachment.filename,  # PidTagAttachLongFilename
                0x370E: attachment.mime_type,  # PidTagAttachMimeTag
                0x3701: attachment.data,  # PidTagAttachDataBinary
                0x3705: ATTACH_BY_VALUE,  # PidTagAttachMethod
                0x0E20: len(attachment.data),  # PidTagAttachSize
                0x0E21: number,  # PidTagAttachNumber
                0x370B: -1,  # PidTagRenderingPosition: not rendered in the body
            },
            b"\0" * 8,  # 2.4.1.3
        )
    return compound_file(tree)
