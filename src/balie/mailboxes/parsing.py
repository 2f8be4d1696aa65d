"""Raw bytes of a mail → what Balie shows and files (`ParsedMail`).

`parse_mail` never raises: whatever it cannot read is recorded in `defects`, and a message it
cannot make sense of at all comes back with `unparseable` set (the raw bytes are always kept by the
caller). HTML is sanitised with nh3 for display: no scripts, no styles that load anything, remote
images replaced unless asked; inline `cid:` images are kept (the view serves them from the parts).
Attachments carry decoded file names (RFC 2231 and encoded words, odd charsets); a `winmail.dat`
(TNEF) is unpacked into its attachments, an attached `.eml` (message/rfc822) and an Outlook
`.msg` are parsed into nested messages whose attachments join the list. Nothing is ever
decompressed: a zip is an attachment like any other.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import nh3

logger = logging.getLogger(__name__)

MAX_DEPTH = 5  # forwards of forwards of …
MAX_PARTS = 500  # a message with more parts is not walked further (recorded as a defect)
MAX_TEXT = 1_000_000  # characters of text / html kept for display

_FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "li", "ol", "p", "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"title", "align", "dir", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "font": {"color"},
}


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str = ""  # without <>; an inline image referenced as cid:…
    inline: bool = False
    source: str = ""  # "", "tnef", "eml", "msg": where it was unpacked from

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ParsedMail:
    message_id: str = ""  # with <>, as written; "" when the message has none
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    from_name: str = ""
    from_address: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    date: dt.datetime | None = None
    subject: str = ""
    text: str = ""
    html: str = ""  # raw HTML of the message (not for display)
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[ParsedMail] = field(default_factory=list)  # attached .eml / .msg
    defects: list[str] = field(default_factory=list)
    unparseable: bool = False

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.delivered_to]

    def safe_html(self, *, remote_images: bool = False) -> str:
        return sanitise_html(self.html, remote_images=remote_images)

    @property
    def body(self) -> str:
        """Plain text to show or file: the text part, or the HTML's text."""
        return self.text or html_to_text(self.html)

    def all_attachments(self) -> list[Attachment]:
        """Own attachments and those of forwarded messages, depth first."""
        found = list(self.attachments)
        for nested in self.forwarded:
            found.extend(nested.all_attachments())
        return found


# --- HTML --------------------------------------------------------------------------------------


def _filter_attribute(tag: str, attribute: str, value: str, remote_images: bool) -> str | None:
    if tag == "img" and attribute == "src":
        lowered = value.strip().lower()
        if lowered.startswith("cid:") or lowered.startswith("data:image/"):
            return value
        if remote_images and lowered.startswith("https://"):
            return value
        return None  # a tracking pixel or a remote image: not loaded
    return value


def sanitise_html(html: str, *, remote_images: bool = False) -> str:
    """HTML safe to put on a page: no scripts, handlers, styles, forms or frames; links open
    elsewhere without a referrer; remote images dropped unless `remote_images`."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "cid", "data"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=lambda tag, attribute, value: _filter_attribute(
            tag, attribute, value, remote_images
        ),
    )


_TAGS = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.IGNORECASE)
_SKIP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def html_to_text(html: str) -> str:
    import html as html_module

    if not html:
        return ""
    text = _SKIP.sub("", html)
    text = _BLOCK.sub("\n", text)
    text = html_module.unescape(_TAGS.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


# --- headers -----------------------------------------------------------------------------------


def decode_words(value: Any) -> str:
    """A header's text with encoded words decoded, whatever the charset claims."""
    if value is None:
        return ""
    raw = str(value)
    try:
        return str(make_header(decode_header(raw)))
    except (LookupError, UnicodeDecodeError, ValueError, email.errors.HeaderParseError):
        pass
    parts = []
    try:
        for chunk, charset in decode_header(raw):
            if isinstance(chunk, bytes):
                parts.append(_decode_bytes(chunk, charset))
            else:
                parts.append(chunk)
        return "".join(parts)
    except Exception:  # noqa: BLE001 - a header can be anything
        return raw


def _decode_bytes(data: bytes, charset: str | None) -> str:
    for candidate in (charset, *_FALLBACK_CHARSETS):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1", errors="replace")


_MSGID = re.compile(r"<[^<>\s]+>")


def message_ids(value: Any) -> list[str]:
    return _MSGID.findall(str(value or ""))


def _addresses(message: Message, *names: str) -> list[tuple[str, str]]:
    values: list[str] = []
    for name in names:
        values.extend(str(v) for v in message.get_all(name, []) or [])
    try:
        pairs = email.utils.getaddresses(values)
    except Exception:  # noqa: BLE001
        return []
    return [(decode_words(n), a.strip().lower()) for n, a in pairs if a and "@" in a]


# --- parts -------------------------------------------------------------------------------------


def part_text(part: Message, defects: list[str]) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        payload = None
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset() or ""
    if charset:
        try:
            "".encode(charset)
        except LookupError:
            defects.append(f"unknown charset {charset!r}")
            charset = ""
    if isinstance(payload, bytes):
        return _decode_bytes(payload, charset or None)[:MAX_TEXT]
    return str(payload)[:MAX_TEXT]


def attachment_filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if not name:
        try:
            param = part.get_param("name")
            name = email.utils.collapse_rfc2231_value(param) if isinstance(param, tuple) else param
        except Exception:  # noqa: BLE001
            name = None
    return decode_words(name).strip().replace("\x00", "") if name else ""


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "replace") if isinstance(raw, str) else b""


def _is_tnef(part: Message, filename: str) -> bool:
    return part.get_content_type() == "application/ms-tnef" or filename.lower() == "winmail.dat"


def _looks_like_msg(filename: str, content_type: str) -> bool:
    return filename.lower().endswith(".msg") or content_type == "application/vnd.ms-outlook"


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _walk(message: Message, parsed: ParsedMail, depth: int, counter: list[int]) -> None:
    """Fill text, html and attachments from the body parts of `message` (an attached message is
    parsed on its own, not walked into)."""
    counter[0] += 1
    if counter[0] > MAX_PARTS:
        if counter[0] == MAX_PARTS + 1:
            parsed.defects.append(f"more than {MAX_PARTS} parts: the rest is only in the raw message")
        return
    content_type = message.get_content_type()
    filename = attachment_filename(message)
    is_message = content_type == "message/rfc822" or (
        filename.lower().endswith(".eml") and content_type in {"application/octet-stream", "message/rfc822"}
    )
    if is_message and counter[0] > 1:  # an attached message (not the top itself)
        _nested_eml(message, parsed, depth, filename)
        return
    if message.is_multipart():
        payload = message.get_payload()
        for child in payload if isinstance(payload, list) else []:
            if isinstance(child, Message):
                _walk(child, parsed, depth, counter)
        return
    _leaf(message, parsed, depth, content_type, filename)


def _leaf(part: Message, parsed: ParsedMail, depth: int, content_type: str, filename: str) -> None:
    disposition = (part.get_content_disposition() or "").lower()
    if _is_tnef(part, filename):
        _unpack_tnef(_payload_bytes(part), parsed, filename or "winmail.dat")
        return
    if _looks_like_msg(filename, content_type):
        _unpack_msg(_payload_bytes(part), parsed, filename or "bericht.msg", depth)
        return
    if content_type.startswith("multipart/"):  # broken: no parts found; keep what it says as text
        text = part_text(part, parsed.defects)
        parsed.text = f"{parsed.text}\n\n{text}".strip() if parsed.text else text
        return
    if disposition != "attachment" and not filename and content_type == "text/plain":
        text = part_text(part, parsed.defects)
        parsed.text = f"{parsed.text}\n\n{text}".strip() if parsed.text else text
        return
    if disposition != "attachment" and not filename and content_type == "text/html":
        html = part_text(part, parsed.defects)
        parsed.html = f"{parsed.html}\n{html}" if parsed.html else html
        return
    content_id = str(part.get("Content-ID", "") or "").strip().strip("<>")
    data = _payload_bytes(part)
    if not data and not filename:
        return
    parsed.attachments.append(
        Attachment(
            filename=filename or _default_name(content_type, len(parsed.attachments) + 1),
            content_type=content_type,
            data=data,
            content_id=content_id,
            inline=disposition == "inline" or bool(content_id and disposition != "attachment"),
        )
    )


def _default_name(content_type: str, index: int) -> str:
    extension = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "application/pdf": ".pdf"}
    return f"bijlage-{index}{extension.get(content_type, '.bin')}"


def _nested_eml(part: Message, parsed: ParsedMail, depth: int, filename: str) -> None:
    payload = part.get_payload()
    raw: bytes
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        try:
            raw = payload[0].as_bytes(policy=email.policy.compat32)
        except Exception:  # noqa: BLE001
            raw = _payload_bytes(part)
    else:
        raw = _payload_bytes(part)
    if depth >= MAX_DEPTH:
        parsed.defects.append("forwarded messages nested too deep: not unpacked further")
        parsed.attachments.append(
            Attachment(
                filename=filename or "doorgestuurd-bericht.eml",
                content_type="message/rfc822",
                data=raw,
                source="eml",
            )
        )
        return
    nested = parse_mail(raw, _depth=depth + 1)
    name = filename or f"{_safe_name(nested.subject) or 'doorgestuurd-bericht'}.eml"
    parsed.attachments.append(
        Attachment(filename=name, content_type="message/rfc822", data=raw, source="eml")
    )
    parsed.forwarded.append(nested)


def _safe_name(text: str) -> str:
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', "", text).strip(" .")[:100]


def _unpack_tnef(data: bytes, parsed: ParsedMail, filename: str) -> None:
    try:
        import tnefparse

        tnef = tnefparse.TNEF(data)
        for found, attachment in enumerate(tnef.attachments):
            name = attachment.long_filename() or attachment.name or f"bijlage-{found + 1}.bin"
            if isinstance(name, bytes):
                name = _decode_bytes(name, None)
            parsed.attachments.append(
                Attachment(
                    filename=str(name).strip("\x00"),
                    content_type="application/octet-stream",
                    data=bytes(attachment.data),
                    source="tnef",
                )
            )
        body = getattr(tnef, "body", None)
        if body and not parsed.text:
            parsed.text = _decode_bytes(body, None) if isinstance(body, bytes) else str(body)
        html = getattr(tnef, "htmlbody", None)
        if html and not parsed.html:
            parsed.html = _decode_bytes(html, None) if isinstance(html, bytes) else str(html)
    except Exception as error:  # noqa: BLE001 - a broken winmail.dat stays an attachment
        parsed.defects.append(f"winmail.dat could not be unpacked: {type(error).__name__}")
        parsed.attachments.append(
            Attachment(filename=filename, content_type="application/ms-tnef", data=data)
        )


def parse_msg(data: bytes, *, _depth: int = 0) -> ParsedMail:
    """An Outlook .msg file as a ParsedMail; one that is not a .msg comes back `unparseable`."""
    parsed = ParsedMail()
    if not data.startswith(OLE_MAGIC):
        parsed.unparseable = True
        parsed.defects.append("not an Outlook .msg file")
        return parsed
    try:
        import extract_msg

        msg: Any = extract_msg.openMsg(io.BytesIO(data), strict=False)
        try:
            parsed.subject = str(msg.subject or "")
            parsed.message_id = (message_ids(getattr(msg, "messageId", "") or "") or [""])[0]
            parsed.from_name, parsed.from_address = _msg_sender(msg)
            parsed.to, parsed.cc = _msg_recipients(msg, 1), _msg_recipients(msg, 2)
            date = getattr(msg, "date", None)
            parsed.date = date if isinstance(date, dt.datetime) else None
            parsed.text = str(msg.body or "")[:MAX_TEXT]
            html = getattr(msg, "htmlBody", None)
            if html:
                parsed.html = _decode_bytes(html, None) if isinstance(html, bytes) else str(html)
            for attachment in msg.attachments:
                payload = getattr(attachment, "data", None)
                if isinstance(payload, bytes):
                    name = attachment.longFilename or attachment.shortFilename or "bijlage.bin"
                    parsed.attachments.append(
                        Attachment(
                            filename=str(name),
                            content_type=str(
                                getattr(attachment, "mimetype", "") or "application/octet-stream"
                            ),
                            data=payload,
                            source="msg",
                        )
                    )
                else:
                    parsed.defects.append("an embedded item of the .msg was not unpacked")
        finally:
            msg.close()
    except Exception as error:  # noqa: BLE001
        parsed.unparseable = True
        parsed.defects.append(f"the .msg could not be read: {type(error).__name__}")
    return parsed


def _header_addresses(msg: Any, name: str) -> list[tuple[str, str]]:
    """(name, address) pairs of a header of the .msg's own internet headers (PidTagTransport-
    MessageHeaders), when it has them: quoted as RFC 5322 says, unlike extract_msg's summaries."""
    if not getattr(msg, "headerText", None):
        return []
    values = [str(v) for v in msg.header.get_all(name, []) or []]
    return [(decode_words(n), a.strip().lower()) for n, a in email.utils.getaddresses(values) if "@" in a]


def _msg_sender(msg: Any) -> tuple[str, str]:
    """The sender of a .msg. Not from extract_msg's `sender` ("Name <address>" unquoted, so
    "Peeters, Zoë" falls apart) but from the headers, else the sender properties."""
    if found := _header_addresses(msg, "From"):
        return found[0]
    name = msg.getStringStream("__substg1.0_0C1A") or msg.getStringStream("__substg1.0_0042") or ""
    for stream in ("__substg1.0_5D01", "__substg1.0_0C1F", "__substg1.0_0065"):  # SMTP first
        address = str(msg.getStringStream(stream) or "").strip()
        if "@" in address:  # an Exchange sender has an /O=… address besides its SMTP one
            return str(name), address.lower()
    return str(name), ""


def _msg_recipients(msg: Any, kind: int) -> list[str]:
    """Addresses of the To (1) or Cc (2) recipients of a .msg, from its recipient table (one
    recipient per storage, so a display name with a comma cannot split one), else its headers."""
    found = [
        str(r.email).strip().lower()
        for r in msg.recipients
        if int(r.type) == kind and r.email and "@" in str(r.email)
    ]
    return found or [a for _n, a in _header_addresses(msg, "To" if kind == 1 else "Cc")]


def _unpack_msg(data: bytes, parsed: ParsedMail, filename: str, depth: int) -> None:
    parsed.attachments.append(
        Attachment(filename=filename, content_type="application/vnd.ms-outlook", data=data, source="msg")
    )
    nested = parse_msg(data, _depth=depth + 1)
    if nested.unparseable:
        parsed.defects.append(f"{filename}: {', '.join(nested.defects)}")
    else:
        parsed.forwarded.append(nested)


# --- the message -------------------------------------------------------------------------------


def _looks_like_mail(data: bytes) -> bool:
    head = data[:4096]
    return bool(
        re.search(rb"^(from|to|subject|date|message-id|received|mime-version)\s*:", head, re.I | re.M)
    )


def parse_mail(data: bytes, *, _depth: int = 0) -> ParsedMail:
    """Parse raw RFC 5322 bytes. Never raises."""
    parsed = ParsedMail()
    if not data or not data.strip():
        parsed.unparseable = True
        parsed.defects.append("empty message")
        return parsed
    if not _looks_like_mail(data):
        parsed.unparseable = True
        parsed.defects.append("no mail headers")
        return parsed
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception as error:  # noqa: BLE001
        parsed.unparseable = True
        parsed.defects.append(f"not a mail: {type(error).__name__}")
        return parsed
    try:
        _fill(message, parsed, _depth)
    except Exception as error:  # noqa: BLE001 - whatever it is, the raw message is kept
        logger.warning("mail only partly parsed", extra={"error": type(error).__name__})
        parsed.defects.append(f"only partly parsed: {type(error).__name__}")
    return parsed


def _fill(message: Message, parsed: ParsedMail, depth: int) -> None:
    for defect in message.defects:
        parsed.defects.append(type(defect).__name__)
    parsed.message_id = (message_ids(message.get("Message-ID")) or [""])[0]
    parsed.in_reply_to = message_ids(message.get("In-Reply-To"))
    parsed.references = message_ids(" ".join(str(v) for v in message.get_all("References", []) or []))
    senders = _addresses(message, "From") or _addresses(message, "Sender", "Return-Path")
    if senders:
        parsed.from_name, parsed.from_address = senders[0]
    parsed.to = [a for _n, a in _addresses(message, "To")]
    parsed.cc = [a for _n, a in _addresses(message, "Cc")]
    parsed.delivered_to = [a for _n, a in _addresses(message, "Delivered-To", "X-Original-To")]
    parsed.subject = (
        decode_words(message.get("Subject", "")).replace("\r", "").replace("\n", " ").strip()[:998]
    )
    try:
        date = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
        parsed.date = date if date.tzinfo else date.replace(tzinfo=dt.UTC)
    except (TypeError, ValueError, IndexError):
        if message.get("Date"):
            parsed.defects.append("unreadable Date")
    _walk(message, parsed, depth, [0])
    for attachment in parsed.attachments:
        if attachment.content_id and f"cid:{attachment.content_id}" in parsed.html:
            attachment.inline = True
    if not parsed.text and not parsed.html:
        for nested in parsed.forwarded:
            parsed.text = nested.body
            break
    if message.is_multipart() and not message.get_boundary():
        parsed.defects.append("multipart without boundary")


def parse_file(data: bytes, filename: str = "") -> ParsedMail:
    """A dropped file: an Outlook .msg (by its signature) or an .eml."""
    if data.startswith(OLE_MAGIC) or filename.lower().endswith(".msg"):
        return parse_msg(data)
    return parse_mail(data)
