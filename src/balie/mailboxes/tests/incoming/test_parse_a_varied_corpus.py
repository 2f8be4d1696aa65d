"""Parsing never raises: a varied corpus comes out as text, safe HTML and attachments; what
cannot be read is flagged, with the raw message kept by the caller."""

from __future__ import annotations

from balie.mailboxes.parsing import parse_file, parse_mail, sanitise_html

from . import corpus


def test_multipart_alternative_gives_text_safe_html_and_the_inline_image():
    parsed = parse_mail(corpus.alternative())

    assert parsed.message_id == "<alt-1@example.org>"
    assert parsed.text.startswith("Goedendag,")
    html = parsed.safe_html()
    assert "<script" not in html and "onclick" not in html and "alert" not in html
    assert 'src="cid:foto1@example.org"' in html  # the inline image stays
    assert "tracker.example.com" not in html  # a remote image is not loaded
    assert "tracker.example.com" in parsed.safe_html(remote_images=True)
    assert [(a.filename, a.content_id, a.inline) for a in parsed.attachments] == [
        ("put.png", "foto1@example.org", True)
    ]


def test_non_ascii_attachment_names_are_decoded():
    parsed = parse_mail(corpus.non_ascii_attachments())

    assert parsed.subject == "Bijlagen met één naam €"
    assert [a.filename for a in parsed.attachments] == ["Verslag vergadering – één.txt", "Фото-straat.png"]


def test_nested_forwards_are_unpacked_with_their_attachments():
    parsed = parse_mail(corpus.nested_forward())

    assert parsed.text.strip() == "Nog eens doorgestuurd."
    assert [m.subject for m in parsed.forwarded] == ["Fwd: Oorspronkelijke klacht"]
    assert [m.subject for m in parsed.forwarded[0].forwarded] == ["Oorspronkelijke klacht"]
    assert [a.filename for a in parsed.all_attachments()] == [
        "Fwd Oorspronkelijke klacht.eml",
        "Oorspronkelijke klacht.eml",
        "bewijs.txt",
    ]


def test_winmail_dat_is_unpacked():
    parsed = parse_mail(corpus.tnef())

    assert [(a.filename, a.data, a.source) for a in parsed.attachments] == [
        ("offerte.txt", b"Offerte voor de zaal\n", "tnef")
    ]


def test_broken_mime_keeps_the_text_and_records_the_defects():
    parsed = parse_mail(corpus.broken_mime())

    assert not parsed.unparseable
    assert "StartBoundaryNotFoundDefect" in parsed.defects
    assert "dit is geen base64" in parsed.text


def test_no_message_id_and_an_unknown_charset():
    assert parse_mail(corpus.no_message_id()).message_id == ""
    parsed = parse_mail(corpus.unknown_charset())
    assert parsed.text.strip() == "Café op de Grote Markt à 10 uur"
    assert parsed.subject == "Vreemde tekens"
    assert parsed.defects == ["unknown charset 'x-onbekend-8bit'"]


def test_a_msg_that_is_not_one_stays_an_attachment_and_is_flagged():
    parsed = parse_mail(corpus.fake_msg())

    assert [a.filename for a in parsed.attachments] == ["bericht.msg"]
    assert parsed.defects == ["bericht.msg: not an Outlook .msg file"]
    assert parse_file(b"dit is geen msg", "bericht.msg").unparseable


def test_a_zip_bomb_is_an_attachment_never_unpacked():
    raw = corpus.zip_bomb()
    parsed = parse_mail(raw)

    assert [(a.filename, a.size) for a in parsed.attachments] == [
        ("archief.zip", len(corpus.zip_bomb_bytes()))
    ]
    assert len(raw) < 2 * 1024 * 1024


def test_garbage_is_unparseable_but_never_raises():
    for raw in (b"", b"\x00\x01\xff", corpus.not_a_mail(), b"Subject: \xff\xfe\r\n\r\n\xff"):
        parse_mail(raw)  # no exception
    assert parse_mail(corpus.not_a_mail()).unparseable


def test_sanitising_drops_scripts_styles_and_handlers():
    html = sanitise_html(
        '<p style="background:url(https://x)" onmouseover="x()">a</p>'
        '<style>p{}</style><iframe src="x"></iframe>'
    )
    assert html == "<p>a</p>"
