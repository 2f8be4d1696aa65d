"""Recognising delivery status notifications (bounces) in a message mail-in received.

`parse_dsn(message)` reads a stdlib `email.message.EmailMessage` and answers a `Bounce` (the
original Message-ID, the recipient, the status code, the diagnostic, the action) or None when the
message is no bounce. First the standard (RFC 3464: `multipart/report; report-type=delivery-status`
with a `message/delivery-status` part, the original message or its headers beside it; also RFC
6533's `message/global-delivery-status`), then what mail servers send without it: Exchange's "Delivery
has failed to these recipients", qmail's "failure notice", Exim's `X-Failed-Recipients`, Postfix
and Gmail texts; there the recipient, the status code (`5.1.1`, or an SMTP reply code) and the
original Message-ID (an attached message, its headers, or a `Message-ID:` line in the quoted copy)
are read from the text. A delay ("will retry", action `delayed`, a 4.x.x status from a delay
notice) is recognised but is no failure: `record_mail_bounce` records only failures.
"""

from __future__ import annotations

import email
import email.message
import email.parser
import email.policy
import re
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from typing import Any

from django.utils.translation import gettext as _

_MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s]+>")
_MESSAGE_ID_LINE = re.compile(r"^\s*>?\s*Message-ID:\s*(<[^<>\s@]+@[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
_STATUS = re.compile(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])")
_SMTP_CODE = re.compile(r"(?<!\d)([45]\d\d)(?:[ -](?=\S))")
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
_BOUNCE_SENDERS = re.compile(
    r"mailer-daemon|postmaster|mail delivery (?:sub)?system|microsoftexchange", re.IGNORECASE
)
_BOUNCE_SUBJECTS = re.compile(
    r"undeliver|undelivered|delivery status notification|failure notice|returned mail|"
    r"mail delivery failed|delivery failure|delivery has failed|non[- ]?remis|onbestelbaar|"
    r"niet (?:bezorgd|afgeleverd)|could not be delivered|message not delivered",
    re.IGNORECASE,
)
_DELAY = re.compile(
    r"delivery (?:has been |is )?delayed|will (?:continue to )?retry|still trying|not yet been delivered|"
    r"vertraagd|warning: message .* delayed",
    re.IGNORECASE,
)
_FAILURE_LINE = re.compile(
    r"(?:remote server returned|diagnostic|said:|reason:|error:|smtp error|"
    r"user unknown|does not exist|no such user|not found|mailbox unavailable|address rejected|"
    r"recipient address rejected|quota|mailbox full|rejected)",
    re.IGNORECASE,
)
_OWN_ADDRESSES = re.compile(r"^(?:mailer-daemon|postmaster|no-?reply)@", re.IGNORECASE)


@dataclass(frozen=True)
class Bounce:
    original_message_id: str
    recipient: str
    status: str
    diagnostic: str
    action: str  # failed, delayed, delivered, relayed, expanded (RFC 3464)
    standard: bool  # an RFC 3464 report, or read from a text

    @property
    def failed(self) -> bool:
        return self.action == "failed"

    def reason(self) -> str:
        """One Dutch line for the employee."""
        parts = [
            _("Niet afgeleverd aan %(recipient)s") % {"recipient": self.recipient or _("de geadresseerde")}
        ]
        if self.status:
            parts.append(f"({self.status})")
        text = " ".join(parts)
        if self.diagnostic:
            text += f": {self.diagnostic}"
        return text[:1000]


def _text(part: Any) -> str:
    try:
        content = part.get_content()
    except (LookupError, KeyError, ValueError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else str(payload)
    if isinstance(content, bytes):
        return content.decode("utf-8", errors="replace")
    return content if isinstance(content, str) else ""


def _fields_blocks(part: Any) -> list[dict[str, str]]:
    """The field blocks of a delivery-status part: the per-message block, then one per recipient."""
    payload = part.get_payload()
    blocks: list[dict[str, str]] = []
    if isinstance(payload, list):
        for block in payload:
            blocks.append({k.lower(): " ".join(str(v).split()) for k, v in block.items()})
        return blocks
    raw = part.get_payload(decode=True) or b""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
    for chunk in re.split(r"\r?\n\s*\r?\n", text.strip()):
        parsed = email.message_from_string(chunk.strip() + "\n\n", policy=email.policy.compat32)
        blocks.append({k.lower(): " ".join(str(v).split()) for k, v in parsed.items()})
    return blocks


def _after_type(value: str) -> str:
    """`rfc822; an@example.be` → `an@example.be`; `smtp; 550 5.1.1 …` → `550 5.1.1 …`."""
    return value.split(";", 1)[1].strip() if ";" in value else value.strip()


def _original_message_id(message: Any) -> str:
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type in ("message/rfc822", "message/global"):
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, email.message.Message):
                found = _MESSAGE_ID.search(str(inner.get("Message-ID", "")))
                if found:
                    return found.group(0)
        elif content_type in ("text/rfc822-headers", "message/global-headers"):
            found = _MESSAGE_ID_LINE.search(_text(part))
            if found:
                return found.group(1)
    for part in message.walk():
        if part.get_content_maintype() == "text":
            found = _MESSAGE_ID_LINE.search(_text(part))
            if found:
                return found.group(1)
    return ""


def _is_report(message: Any) -> bool:
    return bool(
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type", "")).lower() in ("delivery-status", "global-delivery-status")
    )


def _standard(message: Any) -> Bounce | None:
    status_part = next(
        (
            p
            for p in message.walk()
            if p.get_content_type() in ("message/delivery-status", "message/global-delivery-status")
        ),
        None,
    )
    if status_part is None:
        return None
    blocks = _fields_blocks(status_part)
    recipients = [b for b in blocks if "action" in b or "final-recipient" in b]
    if not recipients:
        return None
    chosen = next((b for b in recipients if b.get("action", "").lower() == "failed"), recipients[0])
    recipient = _after_type(chosen.get("final-recipient", "") or chosen.get("original-recipient", ""))
    status = _STATUS.search(chosen.get("status", "")) or _STATUS.search(chosen.get("diagnostic-code", ""))
    action = (chosen.get("action", "") or "failed").lower().split()[0]
    return Bounce(
        original_message_id=_original_message_id(message),
        recipient=recipient,
        status=status.group(1) if status else "",
        diagnostic=_after_type(chosen.get("diagnostic-code", ""))[:500],
        action=action,
        standard=True,
    )


def _looks_like_bounce(message: Any) -> bool:
    sender = str(message.get("From", ""))
    return bool(
        message.get("X-Failed-Recipients")
        or _BOUNCE_SENDERS.search(sender)
        or _BOUNCE_SUBJECTS.search(str(message.get("Subject", "")))
    )


def _explanation(message: Any) -> str:
    """The text parts of the bounce itself (not of the original message attached)."""
    texts: list[str] = []

    def visit(part: Any) -> None:
        content_type = part.get_content_type()
        if content_type.startswith("message/") or content_type == "text/rfc822-headers":
            return
        if part.is_multipart():
            for child in part.iter_parts() if hasattr(part, "iter_parts") else part.get_payload():
                visit(child)
        elif content_type == "text/plain":
            texts.append(_text(part))
        elif content_type == "text/html" and not texts:
            texts.append(re.sub(r"<[^>]+>", " ", _text(part)))

    visit(message)
    text = "\n".join(texts)
    # The quoted copy of the original (qmail, some Exchange texts) says nothing about the failure.
    for marker in ("--- Below this line is a copy of the message", "------ This is a copy of the message"):
        text = text.split(marker, 1)[0]
    return text


def _heuristic(message: Any) -> Bounce | None:
    if not _looks_like_bounce(message):
        return None
    text = _explanation(message)
    failed_header = str(message.get("X-Failed-Recipients", ""))
    recipients = [a for _n, a in getaddresses([failed_header]) if a]
    if not recipients:
        own = {a.lower() for _n, a in getaddresses(message.get_all("To", []) + message.get_all("From", []))}
        recipients = [a for a in _EMAIL.findall(text) if a.lower() not in own and not _OWN_ADDRESSES.match(a)]
    recipient = recipients[0] if recipients else ""
    status_match = _STATUS.search(text)
    status = status_match.group(1) if status_match else ""
    diagnostic = ""
    for line in text.splitlines():
        stripped = " ".join(line.split())
        if not stripped:
            continue
        if (status and status in stripped) or (
            _SMTP_CODE.search(stripped) and _FAILURE_LINE.search(stripped)
        ):
            diagnostic = stripped
            break
    if not diagnostic:
        diagnostic = next(
            (" ".join(line.split()) for line in text.splitlines() if _FAILURE_LINE.search(line)), ""
        )
    if not status:
        code = _SMTP_CODE.search(diagnostic)
        status = code.group(1) if code else ""
    delayed = bool(_DELAY.search(text) or _DELAY.search(str(message.get("Subject", ""))))
    if not (recipient or status or diagnostic):
        return None
    return Bounce(
        original_message_id=_original_message_id(message),
        recipient=recipient,
        status=status,
        diagnostic=diagnostic[:500],
        action="delayed" if delayed and not status.startswith("5") else "failed",
        standard=False,
    )


def parse_dsn(message: email.message.Message) -> Bounce | None:
    """The bounce in `message`, or None when it is no delivery status notification."""
    if _is_report(message):
        found = _standard(message)
        if found is not None:
            return found
    return _heuristic(message)


def parse_dsn_bytes(raw: bytes) -> Bounce | None:
    """`parse_dsn` of a raw message. Whether it can be one is told by its headers alone, so those
    are read first; only a message that may be a bounce is read whole."""
    headers: Any = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
    if not (_is_report(headers) or _looks_like_bounce(headers)):
        return None
    parsed: Any = email.message_from_bytes(raw, policy=email.policy.default)
    return parse_dsn(parsed)


def sender_address(message: email.message.Message) -> str:
    return parseaddr(str(message.get("From", "")))[1]
