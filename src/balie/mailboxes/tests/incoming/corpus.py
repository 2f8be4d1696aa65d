"""Test mails built in code: the varied corpus the issue names, no binary blobs in the repository."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime

SENDER = "an.peeters@example.org"
MAILBOX = "info@zonnedaal.be"
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def message(
    *,
    subject: str = "Vraag over mijn aanvraag",
    text: str = "Goedendag,\n\nIk heb een vraag.\n\nAn",
    sender: str = SENDER,
    to: str = MAILBOX,
    message_id: str | None = "<auto>",
    in_reply_to: str = "",
    references: str = "",
    number: int = 0,
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = f"An Peeters <{sender}>"
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(
        dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=number)
    )
    if message_id == "<auto>":
        mail["Message-ID"] = f"<m{number}.{abs(hash(subject)) % 10**8}@example.org>"
    elif message_id:
        mail["Message-ID"] = message_id
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = references
    mail.set_content(text)
    return mail


def simple(number: int = 0, **kwargs: object) -> bytes:
    return bytes(message(number=number, **kwargs))  # type: ignore[arg-type]


def alternative() -> bytes:
    mail = message(subject="Foto van de put in de straat", message_id="<alt-1@example.org>")
    mail.add_alternative(
        '<html><body><p>Zie <b>foto</b>:</p><img src="cid:foto1@example.org" alt="put">'
        '<img src="https://tracker.example.com/pixel.gif"><script>alert(1)</script>'
        '<a href="https://example.org" onclick="steal()">link</a></body></html>',
        subtype="html",
    )
    html_part = mail.get_payload()[1]
    html_part.add_related(
        PNG_1PX, maintype="image", subtype="png", cid="<foto1@example.org>", filename="put.png"
    )
    return bytes(mail)


def non_ascii_attachments() -> bytes:
    mail = message(subject="Bijlagen met één naam €", message_id="<names-1@example.org>")
    mail.add_attachment(
        b"Inhoud van het verslag.\n",
        maintype="text",
        subtype="plain",
        filename="Verslag vergadering – één.txt",
    )
    mail.add_attachment(PNG_1PX, maintype="image", subtype="png", filename="Фото-straat.png")
    return bytes(mail)


def nested_forward() -> bytes:
    inner = message(
        subject="Oorspronkelijke klacht", text="De eerste mail.", message_id="<inner@example.org>"
    )
    inner.add_attachment(b"bewijs\n", maintype="text", subtype="plain", filename="bewijs.txt")
    middle = message(
        subject="Fwd: Oorspronkelijke klacht", text="Doorgestuurd.", message_id="<middle@example.org>"
    )
    middle.add_attachment(inner)
    outer = message(
        subject="Fwd: Fwd: Oorspronkelijke klacht",
        text="Nog eens doorgestuurd.",
        message_id="<outer@example.org>",
    )
    outer.add_attachment(middle)
    return bytes(outer)


def tnef_blob(filename: str = "offerte.txt", data: bytes = b"Offerte voor de zaal\n") -> bytes:
    """A minimal winmail.dat: signature, key, attachment (rend data, title, data)."""

    def attribute(level: int, attr_id: int, payload: bytes) -> bytes:
        checksum = sum(payload) & 0xFFFF
        return struct.pack("<BII", level, attr_id, len(payload)) + payload + struct.pack("<H", checksum)

    blob = struct.pack("<IH", 0x223E9F78, 0x0001)
    blob += attribute(0x01, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    blob += attribute(0x02, 0x00069002, b"\x00" * 14)  # attAttachRendData: a new attachment
    blob += attribute(0x02, 0x00018010, filename.encode("latin-1") + b"\x00")  # attAttachTitle
    blob += attribute(0x02, 0x0006800F, data)  # attAttachData
    return blob


def tnef() -> bytes:
    mail = message(subject="Offerte (Outlook)", message_id="<tnef-1@example.org>")
    mail.add_attachment(tnef_blob(), maintype="application", subtype="ms-tnef", filename="winmail.dat")
    return bytes(mail)


def broken_mime() -> bytes:
    return (
        b"From: Kapot <kapot@example.org>\r\nTo: info@zonnedaal.be\r\nSubject: Kapotte MIME\r\n"
        b"Message-ID: <broken-1@example.org>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="nergens"\r\n\r\n'
        b"--ergens-anders\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"!!!dit is geen base64!!!\r\n"
    )


def no_message_id() -> bytes:
    return simple(subject="Zonder Message-ID", message_id=None, number=7)


def unknown_charset() -> bytes:
    return (
        b"From: Oud <oud@example.org>\r\nTo: info@zonnedaal.be\r\n"
        b"Subject: =?x-onbekend?Q?Vreemde_tekens?=\r\n"
        b"Message-ID: <charset-1@example.org>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=x-onbekend-8bit\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Caf\xe9 op de Grote Markt \xe0 10 uur\r\n"
    )


def large(megabytes: int = 30) -> bytes:
    mail = message(subject="Groot bestand", message_id="<large-1@example.org>")
    mail.add_attachment(
        b"A" * (megabytes * 1024 * 1024), maintype="text", subtype="plain", filename="groot.txt"
    )
    return bytes(mail)


def zip_bomb_bytes(megabytes: int = 200) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("nullen.bin", "w", force_zip64=True) as entry,
    ):
        chunk = b"\x00" * (1024 * 1024)
        for _ in range(megabytes):
            entry.write(chunk)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    mail = message(subject="Archief", message_id="<zip-1@example.org>")
    mail.add_attachment(zip_bomb_bytes(), maintype="application", subtype="zip", filename="archief.zip")
    return bytes(mail)


def fake_msg() -> bytes:
    mail = message(subject="Een .msg die er geen is", message_id="<fakemsg-1@example.org>")
    mail.add_attachment(
        b"dit is helemaal geen Outlook-bericht",
        maintype="application",
        subtype="vnd.ms-outlook",
        filename="bericht.msg",
    )
    return bytes(mail)


def not_a_mail() -> bytes:
    return b"\x00\x01\x02 binary garbage \xff\xfe"
