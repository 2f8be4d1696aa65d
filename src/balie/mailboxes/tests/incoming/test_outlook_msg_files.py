"""Real Outlook .msg files, as Outlook saves them: written by `outlook_msg.py` after [MS-CFB] and
[MS-OXMSG], checked first against two readers that are not ours (olefile for the compound file,
extract_msg for the message), then read by Balie: dropped as a file, attached to a mail, dropped on
a case page, and cut off halfway."""

from __future__ import annotations

import datetime as dt
import io
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import extract_msg
import magic
import olefile
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from extract_msg.enums import Color  # [MS-CFB] 2.6.1 colours, as another implementation names them

from balie.cases.actions import register_case
from balie.cases.models import CaseNote
from balie.contact_moments.models import ContactMoment
from balie.documents.files import document_storage
from balie.documents.models import Document
from balie.mailboxes.actions import ingest_message
from balie.mailboxes.models import IncomingMail, MailSource, MailState
from balie.mailboxes.parsing import parse_file, parse_mail

from .conftest import make_mailbox
from .outlook_msg import MAPI_CC, MAPI_TO, File, Recipient, compound_file, outlook_msg

SENT = dt.datetime(2026, 11, 18, 14, 35, 12, tzinfo=dt.UTC)
BODY = "Beste,\r\n\r\nIn bijlage de offerte voor het terras.\r\n\r\nMet vriendelijke groeten,\r\nAn"
HTML = "<html><body><p>Beste,</p><p>In bijlage de <b>offerte</b> voor het terras.</p></body></html>"


def a_pdf() -> bytes:
    """A real PDF of more than 4096 bytes: in sectors of its own, not in the mini stream."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pikepdf.Stream(pdf, b"0 0 m 10 10 l S\n" * 400)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


PDF = a_pdf()
NOTE = "Graag een antwoord vóór vrijdag.\n".encode()  # under 4096 bytes: in the mini stream


def real_msg(**changes: Any) -> bytes:
    values: dict[str, Any] = {
        "subject": "Offerte terras – Zoë's café",
        "sender_name": "Peeters, An",  # as Exchange shows names: with a comma
        "sender_address": "An.Peeters@example.org",
        "recipients": [
            Recipient("Info Zonnedaal", "info@zonnedaal.be", MAPI_TO),
            Recipient("Dienst Omgeving", "omgeving@zonnedaal.be", MAPI_TO),
            Recipient("Janssens, Jan", "jan.janssens@example.org", MAPI_CC),
        ],
        "body": BODY,
        "html": HTML,
        "message_id": "<AM0PR02MB1234.offerte@eurprd02.prod.outlook.com>",
        "sent": SENT,
        "attachments": [
            File("offerte-€-Zoë.pdf", PDF, "application/pdf"),
            File("opmerking.txt", NOTE, "text/plain"),
        ],
    }
    return outlook_msg(**{**values, **changes})


def stored_bytes(document: Document) -> bytes:
    version = document.current_version
    assert version is not None
    with document_storage().open(str(version.file.name), "rb") as handle:
        return bytes(handle.read())


# --- the writer, checked by readers that are not ours ---------------------------------------------


def open_strictly(data: bytes) -> olefile.OleFileIO:
    """olefile raising on every defect it knows of, not only on fatal ones."""
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def test_olefile_reads_every_stream_with_its_size_and_content():
    ole = open_strictly(real_msg())

    assert (ole.sector_size, ole.mini_sector_size, ole.minisectorcutoff) == (512, 64, 4096)
    assert ole.dll_version == 3 and ole.root.clsid == ""  # a CLSID of zeroes reads as ""
    streams = {"/".join(path): ole.get_size("/".join(path)) for path in ole.listdir()}
    assert streams == {
        "__properties_version1.0": 32 + 16 * 19,
        **{
            f"__substg1.0_{tag}": size
            for tag, size in {
                "001A001F": len("IPM.Note") * 2,
                "0037001F": len("Offerte terras – Zoë's café") * 2,
                "0C1A001F": len("Peeters, An") * 2,
                "0C1E001F": 8,
                "0C1F001F": len("An.Peeters@example.org") * 2,
                "5D01001F": len("An.Peeters@example.org") * 2,
                "0042001F": len("Peeters, An") * 2,
                "0064001F": 8,
                "0065001F": len("An.Peeters@example.org") * 2,
                "0E04001F": len("Info Zonnedaal; Dienst Omgeving") * 2,
                "0E03001F": len("Janssens, Jan") * 2,
                "1000001F": len(BODY) * 2,
                "1035001F": len("<AM0PR02MB1234.offerte@eurprd02.prod.outlook.com>") * 2,
                "10130102": len(HTML),
            }.items()
        },
        "__nameid_version1.0/__substg1.0_00020102": 0,
        "__nameid_version1.0/__substg1.0_00030102": 0,
        "__nameid_version1.0/__substg1.0_00040102": 0,
        **{
            f"__recip_version1.0_#0000000{n}/{name}": size
            for n, (display, address) in enumerate(
                [
                    ("Info Zonnedaal", "info@zonnedaal.be"),
                    ("Dienst Omgeving", "omgeving@zonnedaal.be"),
                    ("Janssens, Jan", "jan.janssens@example.org"),
                ]
            )
            for name, size in {
                "__properties_version1.0": 8 + 16 * 6,
                "__substg1.0_3001001F": len(display) * 2,
                "__substg1.0_3002001F": 8,
                "__substg1.0_3003001F": len(address) * 2,
                "__substg1.0_39FE001F": len(address) * 2,
            }.items()
        },
        **{
            f"__attach_version1.0_#0000000{n}/{name}": size
            for n, (filename, short, data, mime) in enumerate(
                [
                    ("offerte-€-Zoë.pdf", "OFFERT~1.PDF", PDF, "application/pdf"),
                    ("opmerking.txt", "OPMERK~1.TXT", NOTE, "text/plain"),
                ]
            )
            for name, size in {
                "__properties_version1.0": 8 + 16 * 9,
                "__substg1.0_3001001F": len(filename) * 2,
                "__substg1.0_3704001F": len(short) * 2,
                "__substg1.0_3707001F": len(filename) * 2,
                "__substg1.0_370E001F": len(mime) * 2,
                "__substg1.0_37010102": len(data),
            }.items()
        },
    }
    assert len(PDF) >= 4096 > len(NOTE)  # one in sectors of its own, one in the mini stream
    assert ole.openstream("__attach_version1.0_#00000000/__substg1.0_37010102").read() == PDF
    assert ole.openstream("__attach_version1.0_#00000001/__substg1.0_37010102").read() == NOTE
    assert ole.openstream("__attach_version1.0_#00000000/__substg1.0_3707001F").read().decode(
        "utf-16-le"
    ) == ("offerte-€-Zoë.pdf")
    assert ole.openstream("__substg1.0_0037001F").read().decode("utf-16-le") == "Offerte terras – Zoë's café"
    assert ole.openstream("__substg1.0_10130102").read() == HTML.encode()
    properties = ole.openstream("__properties_version1.0").read()
    assert properties[8:24] == bytes([3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0])  # recips, attachments


def _check_red_black(ole: olefile.OleFileIO, sid: int) -> tuple[list[str], int]:
    """In-order names and black height of the sibling tree at `sid`; asserts the red-black rules."""
    if sid == olefile.NOSTREAM:
        return [], 1
    entry = ole.direntries[sid] or ole._load_direntry(sid)
    left, left_height = _check_red_black(ole, entry.sid_left)
    right, right_height = _check_red_black(ole, entry.sid_right)
    assert left_height == right_height, f"{entry.name}: unequal black heights"
    if entry.color == Color.RED:
        for child in (entry.sid_left, entry.sid_right):
            assert child == olefile.NOSTREAM or ole.direntries[child].color == Color.BLACK
    return [*left, entry.name, *right], left_height + (entry.color == Color.BLACK)


@pytest.mark.parametrize("attachments", [2, 3, 7, 30])
def test_every_storage_holds_its_children_in_a_red_black_tree_in_cfb_order(attachments):
    data = real_msg(attachments=[File(f"bijlage {n}.txt", NOTE * (n + 1)) for n in range(attachments)])
    ole = open_strictly(data)

    storages = [
        e
        for e in ole.direntries
        if e is not None and e.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE)
    ]
    assert len(storages) == 1 + 1 + 3 + attachments  # root, nameid, recipients, attachments
    for storage in storages:
        assert ole.direntries[storage.sid_child].color == Color.BLACK, "the root of a tree is black"
        names, _height = _check_red_black(ole, storage.sid_child)
        assert names == sorted(names, key=lambda name: (len(name), name.upper()))
        assert sorted(names) == sorted(kid.name for kid in storage.kids)
    assert all(
        ole.openstream(f"__attach_version1.0_#{n:08X}/__substg1.0_37010102").read() == NOTE * (n + 1)
        for n in range(attachments)
    )


def test_a_file_that_needs_several_fat_and_mini_fat_sectors():
    big = bytes(range(256)) * 1200  # 300 KB: 600 sectors of its own
    smalls = [File(f"klein-{n}.bin", bytes([n]) * 4000) for n in range(40)]  # 63 mini sectors each

    data = real_msg(attachments=[File("groot.bin", big), *smalls])
    ole = open_strictly(data)

    sectors = (len(data) - 512) // 512
    assert ole.num_fat_sectors == -(-sectors // 128) > 1  # each FAT sector maps 128 sectors
    assert ole.openstream("__attach_version1.0_#00000000/__substg1.0_37010102").read() == big
    assert all(
        ole.openstream(f"__attach_version1.0_#{n + 1:08X}/__substg1.0_37010102").read() == bytes([n]) * 4000
        for n in range(40)
    )
    assert ole.num_mini_fat_sectors > 1 and len(ole.minifat) >= 40 * 63  # read once a mini stream is


def test_libmagic_knows_it_for_an_outlook_message():
    assert magic.from_buffer(real_msg()) == "CDFV2 Microsoft Outlook Message"
    assert magic.from_buffer(real_msg(), mime=True) == "application/vnd.ms-outlook"


def test_an_empty_compound_file_and_one_too_large_for_the_header_difat():
    assert open_strictly(compound_file({})).listdir() == []
    with pytest.raises(ValueError, match="DIFAT"):
        compound_file({"groot": b"\0" * 110 * 128 * 512})


def test_extract_msg_reads_the_message():
    msg = extract_msg.openMsg(io.BytesIO(real_msg()))
    try:
        assert msg.classType == "IPM.Note" and msg.areStringsUnicode
        assert msg.subject == "Offerte terras – Zoë's café"
        assert msg.sender == "Peeters, An <An.Peeters@example.org>"
        assert [(r.name, r.email, int(r.type)) for r in msg.recipients] == [
            ("Info Zonnedaal", "info@zonnedaal.be", 1),
            ("Dienst Omgeving", "omgeving@zonnedaal.be", 1),
            ("Janssens, Jan", "jan.janssens@example.org", 2),
        ]
        assert msg.body == BODY and msg.htmlBody == HTML.encode()
        assert msg.date == SENT and msg.messageId == "<AM0PR02MB1234.offerte@eurprd02.prod.outlook.com>"
        assert [(a.longFilename, a.shortFilename, a.mimetype, a.data) for a in msg.attachments] == [
            ("offerte-€-Zoë.pdf", "OFFERT~1.PDF", "application/pdf", PDF),
            ("opmerking.txt", "OPMERK~1.TXT", "text/plain", NOTE),
        ]
    finally:
        msg.close()


# --- Balie reads it ----------------------------------------------------------------------------


def test_a_dropped_msg_file_is_read_whole():
    parsed = parse_file(real_msg(), "bericht.msg")

    assert (parsed.unparseable, parsed.defects) == (False, [])
    assert parsed.subject == "Offerte terras – Zoë's café"
    assert (parsed.from_name, parsed.from_address) == ("Peeters, An", "an.peeters@example.org")
    assert parsed.to == ["info@zonnedaal.be", "omgeving@zonnedaal.be"]
    assert parsed.cc == ["jan.janssens@example.org"]
    assert parsed.message_id == "<AM0PR02MB1234.offerte@eurprd02.prod.outlook.com>"
    assert parsed.date == SENT
    assert parsed.text == BODY and parsed.html == HTML
    assert [(a.filename, a.content_type, a.data, a.source) for a in parsed.attachments] == [
        ("offerte-€-Zoë.pdf", "application/pdf", PDF, "msg"),
        ("opmerking.txt", "text/plain", NOTE, "msg"),
    ]


def test_a_msg_without_html_or_attachments_by_a_sender_without_a_comma():
    parsed = parse_file(real_msg(html=None, attachments=[], sender_name="An Peeters"), "x.msg")

    assert (parsed.from_name, parsed.from_address, parsed.text) == (
        "An Peeters",
        "an.peeters@example.org",
        BODY,
    )
    assert (parsed.attachments, parsed.defects, parsed.unparseable) == ([], [], False)


def test_a_received_msg_takes_its_sender_from_its_internet_headers():
    headers = (
        'From: "Peeters, An" <An.Peeters@example.org>\r\nTo: "Info Zonnedaal" <info@zonnedaal.be>\r\n'
        "Subject: Offerte terras\r\nMessage-ID: <AM0PR02MB1234.offerte@eurprd02.prod.outlook.com>\r\n\r\n"
    )

    parsed = parse_file(real_msg(headers=headers, sender_name="An P.", recipients=[]), "x.msg")

    assert (parsed.from_name, parsed.from_address) == ("Peeters, An", "an.peeters@example.org")
    assert (parsed.to, parsed.cc) == (["info@zonnedaal.be"], [])  # no recipient table: the headers


def a_mail_with(msg: bytes, filename: str = "Offerte terras.msg") -> bytes:
    mail = EmailMessage()
    mail["From"] = "Info Zonnedaal <info@zonnedaal.be>"
    mail["To"] = "omgeving@zonnedaal.be"
    mail["Subject"] = "Doorgestuurd: offerte terras"
    mail["Date"] = format_datetime(dt.datetime(2026, 11, 19, 8, 0, tzinfo=dt.UTC))
    mail["Message-ID"] = "<doorgestuurd-1@zonnedaal.be>"
    mail.set_content("Zie de mail van An in bijlage.")
    mail.add_attachment(msg, maintype="application", subtype="vnd.ms-outlook", filename=filename)
    return bytes(mail)


def test_an_attached_msg_is_unpacked_as_a_forwarded_message():
    msg = real_msg()

    parsed = parse_mail(a_mail_with(msg))

    assert (parsed.unparseable, parsed.defects) == (False, [])
    assert (parsed.subject, parsed.text.strip()) == (
        "Doorgestuurd: offerte terras",
        "Zie de mail van An in bijlage.",
    )
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == [
        ("Offerte terras.msg", "application/vnd.ms-outlook", msg)  # kept whole, as it came
    ]
    [nested] = parsed.forwarded
    assert (nested.subject, nested.from_address, nested.to, nested.cc) == (
        "Offerte terras – Zoë's café",
        "an.peeters@example.org",
        ["info@zonnedaal.be", "omgeving@zonnedaal.be"],
        ["jan.janssens@example.org"],
    )
    assert (nested.message_id, nested.date, nested.text) == (
        "<AM0PR02MB1234.offerte@eurprd02.prod.outlook.com>",
        SENT,
        BODY,
    )
    assert [(a.filename, a.data) for a in parsed.all_attachments()] == [
        ("Offerte terras.msg", msg),
        ("offerte-€-Zoë.pdf", PDF),
        ("opmerking.txt", NOTE),
    ]


@pytest.mark.django_db
def test_a_msg_dropped_on_a_case_is_filed_like_an_ingested_mail(client, handler, question_type, an):
    case = register_case(case_type=question_type, by=handler, subject="Terras")
    msg = real_msg(sender_address="an.peeters@example.org")  # An is known by that address
    client.force_login(handler)

    response = client.post(
        reverse("backoffice:case_drop_mail", args=[case.uuid]),
        {"mail": SimpleUploadedFile("Offerte terras.msg", msg, content_type="application/vnd.ms-outlook")},
    )

    assert response.status_code == 302 and response["Location"].endswith("#mails")
    mail = IncomingMail.objects.get()
    assert (mail.source, mail.case, mail.party, mail.state, mail.defects) == (
        MailSource.UPLOAD,
        case,
        an,
        MailState.INGESTED,
        [],
    )
    assert (mail.subject, mail.from_name, mail.from_address, mail.sent_at, mail.message_id) == (
        "Offerte terras – Zoë's café",
        "Peeters, An",
        "an.peeters@example.org",
        SENT,
        "<AM0PR02MB1234.offerte@eurprd02.prod.outlook.com>",
    )
    assert mail.to == "info@zonnedaal.be, omgeving@zonnedaal.be, jan.janssens@example.org"
    assert mail.raw_document is not None
    assert mail.raw_document.current_version.mime_type == "application/vnd.ms-outlook"
    assert stored_bytes(mail.raw_document) == msg
    documents = {d.filename: d.document for d in mail.documents.all()}
    assert {name: stored_bytes(d) for name, d in documents.items()} == {
        "offerte-€-Zoë.pdf": PDF,
        "opmerking.txt": NOTE,
    }
    assert set(case.documents.values_list("document__title", flat=True)) >= {
        "offerte-€-Zoë.pdf",
        "opmerking.txt",
    }
    moment = ContactMoment.objects.get(case=case)
    assert mail.contact_moment == moment and moment.party == an
    assert "Offerte terras – Zoë's café" in moment.summary and "offerte voor het terras" in moment.summary
    assert CaseNote.objects.filter(case=case, text__contains="Offerte terras – Zoë's café").exists()
    page = client.get(reverse("backoffice:case", args=[case.uuid])).content.decode()
    assert "Offerte terras – Zoë&#x27;s café" in page and "offerte-€-Zoë.pdf" in page


@pytest.mark.django_db
def test_a_msg_dropped_on_a_party(client, handler, an):
    client.force_login(handler)

    client.post(
        reverse("backoffice:party_drop_mail", args=[an.uuid]),
        {"mail": SimpleUploadedFile("bericht.msg", real_msg(attachments=[]))},
    )

    mail = IncomingMail.objects.get()
    assert (mail.party, mail.case, mail.contact_moment.party, mail.subject) == (
        an,
        None,
        an,
        "Offerte terras – Zoë's café",
    )


# --- cut off -------------------------------------------------------------------------------------


def test_a_msg_cut_off_anywhere_is_flagged_never_half_read():
    msg = real_msg()
    assert parse_file(msg[: len(msg) // 2], "bericht.msg").defects == [
        "the .msg could not be read: OleFileError"
    ]
    for cut in range(0, len(msg), 61):
        parsed = parse_file(msg[:cut], "bericht.msg")  # never raises
        # Either unreadable and said so, or complete: the cut fell in the last sector's padding.
        assert parsed.unparseable or [a.data for a in parsed.attachments] == [PDF, NOTE], cut
        assert parsed.defects if parsed.unparseable else parsed.subject, cut


@pytest.mark.django_db
def test_a_cut_off_msg_dropped_on_a_case_is_refused_and_nothing_is_stored(client, handler, question_type):
    case = register_case(case_type=question_type, by=handler, subject="Terras")
    msg = real_msg()
    client.force_login(handler)

    response = client.post(
        reverse("backoffice:case_drop_mail", args=[case.uuid]),
        {"mail": SimpleUploadedFile("bericht.msg", msg[: len(msg) // 2])},
        follow=True,
    )

    assert (
        "Dit is geen e-mail (.eml) of Outlook-bericht (.msg) dat Balie kan lezen" in response.content.decode()
    )
    assert (IncomingMail.objects.count(), Document.objects.count(), case.documents.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_a_mail_with_a_cut_off_msg_is_kept_raw_and_flagged(omgeving):
    msg = real_msg()
    raw = a_mail_with(msg[: len(msg) // 2])

    mail, created = ingest_message(mailbox=make_mailbox(omgeving, None), raw=raw, uidvalidity=1, uid=1)

    assert created and mail.subject == "Doorgestuurd: offerte terras"
    assert mail.defects == ["Offerte terras.msg: the .msg could not be read: OleFileError"]
    assert stored_bytes(mail.raw_document) == raw  # the cut-off .msg is in there as it came
    assert mail.needs_human and mail.route == "no-rule"  # no rule here: it waits in triage
    assert [(s["filename"], s["size"]) for s in mail.skipped_attachments] == [
        ("Offerte terras.msg", len(msg) // 2)
    ]
    assert not mail.documents.exists()


@pytest.mark.django_db
def test_a_mail_with_a_msg_attached_files_the_attachments_inside_it(omgeving):
    msg = real_msg()
    raw = a_mail_with(msg)

    mail, created = ingest_message(mailbox=make_mailbox(omgeving, None), raw=raw, uidvalidity=1, uid=1)

    assert created and mail.defects == []
    assert stored_bytes(mail.raw_document) == raw
    documents = {d.filename: stored_bytes(d.document) for d in mail.documents.all()}
    assert (documents["offerte-€-Zoë.pdf"], documents["opmerking.txt"]) == (PDF, NOTE)


@pytest.mark.django_db
def test_a_mail_with_a_msg_attached_keeps_the_msg_itself_as_a_document(omgeving):
    msg = real_msg()

    mail, _ = ingest_message(mailbox=make_mailbox(omgeving, None), raw=a_mail_with(msg), uidvalidity=1, uid=1)

    assert mail.skipped_attachments == []
    documents = {d.filename: stored_bytes(d.document) for d in mail.documents.all()}
    assert documents["Offerte terras.msg"] == msg
