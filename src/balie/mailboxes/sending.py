"""Putting a mail together once, and taking it out through the outbox.

`build_message` makes the whole MIME message (From the mailbox, To, Reply-To the per-case address,
the subject with the case's token, Date, a new Message-ID, In-Reply-To/References when it answers a
mail, the text, the attachments with their names in RFC 2231 when they are not ASCII). The action
(`actions.send_mail`) keeps those bytes as the `.eml` document in the transaction that records
the mail; the outbox sender (`send_queued_mail`, sender `mailboxes.send_mail`) sends exactly those
bytes, over SMTP (Django's mail backend, `BALIE_EMAIL_URL`) or through Microsoft Graph
(`adapters/graph.py`), as the mailbox's `MailboxSending` or the setting `BALIE_MAIL_TRANSPORT`
says.

Never twice: the sender does nothing for a mail that is no longer queued, and marks it sent under
its row lock in the transaction that ends the attempt; the outbox's idempotency key keeps one
message per mail. SMTP and Graph have no idempotency key of their own: a mail whose acceptance was
lost on the way back is sent again on the retry, with the same Message-ID (a receiving client
shows one).
"""

from __future__ import annotations

import email.message
import email.policy
import logging
import re
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import formatdate
from typing import Any, NoReturn

from django.conf import settings
from django.core.mail import EmailMessage as DjangoEmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.core.models import OutboxMessage
from balie.core.outbox import DeliveryError, PermanentDeliveryError, max_attempts
from balie.documents.files import document_storage

from .adapters.graph import GraphClient, GraphError
from .models import MailboxSending, SentMail, SentMailState, Transport

logger = logging.getLogger("balie.mailboxes")

OUTBOX_SENDER = "mailboxes.send_mail"
_MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s]+>")
MAX_REFERENCES = 20


@dataclass(frozen=True)
class Attachment:
    file_name: str
    mime_type: str
    data: bytes


def clean_message_ids(value: str, *, limit: int = MAX_REFERENCES) -> str:
    """Message-IDs as a reply header carries them: only well-formed `<…@…>`, the last `limit`,
    one line (nothing a caller passes can add a header)."""
    found = _MESSAGE_ID.findall(value or "")
    return " ".join(list(dict.fromkeys(found))[-limit:])


def build_message(
    *,
    from_name: str,
    from_address: str,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    reply_to: str = "",
    in_reply_to: str = "",
    references: str = "",
    case_number: str = "",
    attachments: Sequence[Attachment] = (),
) -> bytes:
    """The message as it will be sent, with CRLF line ends, From first."""
    message = email.message.EmailMessage(policy=email.policy.SMTP)
    local, _at, domain = from_address.partition("@")
    message["From"] = Address(display_name=from_name, username=local, domain=domain)
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    if case_number:
        message["X-Balie-Case"] = case_number
    message["Auto-Submitted"] = "no"
    message.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
    for attachment in attachments:
        maintype, _slash, subtype = (attachment.mime_type or "application/octet-stream").partition("/")
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.file_name,
        )
    return message.as_bytes()


# --- transports -------------------------------------------------------------------------------


class _RawMessage:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\r\n" else self.raw.replace(b"\r\n", linesep.encode())


class RawEmail(DjangoEmailMessage):
    """A Django mail whose message is bytes built before: the backend sends them as they are."""

    def __init__(self, raw: bytes, *, from_email: str, to: list[str]) -> None:
        super().__init__(from_email=from_email, to=to)
        self.raw = raw

    def message(self, *args: Any, **kwargs: Any) -> Any:
        return _RawMessage(self.raw)


class TransportError(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def _sending_of(mailbox: Any) -> MailboxSending | None:
    return MailboxSending.objects.filter(mailbox_id=mailbox.pk).first()


def transport_for(mailbox: Any) -> str:
    """smtp or graph: the mailbox's own choice, else the setting."""
    sending = _sending_of(mailbox)
    if sending is not None and sending.transport:
        return str(sending.transport)
    configured = str(settings.BALIE_MAIL_TRANSPORT).strip().lower()
    return Transport.GRAPH if configured == Transport.GRAPH else Transport.SMTP


def send_over_smtp(*, from_address: str, to: str, raw: bytes) -> None:
    try:
        RawEmail(raw, from_email=from_address, to=[to]).send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        codes = "; ".join(
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        )
        raise TransportError(
            _("De mailserver weigerde het adres %(email)s: %(reason)s") % {"email": to, "reason": codes},
            permanent=True,
        ) from error
    except smtplib.SMTPResponseException as error:
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        raise TransportError(
            _("De mailserver weigerde de e-mail: %(code)s %(reason)s")
            % {"code": error.smtp_code, "reason": text},
            permanent=500 <= error.smtp_code < 600,
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TransportError(
            _("De mailserver is niet bereikbaar: %(reason)s")
            % {"reason": str(error) or type(error).__name__},
            permanent=False,
        ) from error


def send_over_graph(*, user: str, raw: bytes) -> None:
    try:
        GraphClient.from_settings().send_mime(user=user, mime=raw)
    except GraphError as error:
        raise TransportError(error.message, permanent=error.permanent) from error


def graph_user(mail: SentMail) -> str:
    sending = _sending_of(mail.mailbox)
    return (sending.graph_user if sending is not None else "") or mail.mailbox.address


# --- the outbox sender ------------------------------------------------------------------------


def read_eml(mail: SentMail) -> bytes:
    version = mail.eml.current_version
    assert version is not None
    with document_storage().open(str(version.file.name), "rb") as handle:
        return bytes(handle.read())


def _give_up_or_retry(mail: SentMail, message: OutboxMessage, reason: str, *, permanent: bool) -> NoReturn:
    if permanent or message.attempts >= max_attempts():
        with transaction.atomic():
            locked = SentMail.objects.select_for_update().get(pk=mail.pk)
            if locked.state == SentMailState.QUEUED:
                locked.state = SentMailState.FAILED
                locked.failed_at = timezone.now()
                locked.detail = reason[:1000]
                locked.save(update_fields=["state", "failed_at", "detail", "updated_at"])
        logger.warning("mail failed", extra={"sent_mail": str(mail.uuid)})
        raise PermanentDeliveryError(reason)
    SentMail.objects.filter(pk=mail.pk, state=SentMailState.QUEUED).update(detail=reason[:1000])
    raise DeliveryError(reason)


def send_queued_mail(message: OutboxMessage) -> None:
    """The outbox sender of `mailboxes.send_mail` (registered in apps.py)."""
    try:
        mail = SentMail.objects.select_related("mailbox", "eml__current_version").get(
            uuid=message.payload["mail"]
        )
    except (SentMail.DoesNotExist, KeyError, ValueError):
        raise PermanentDeliveryError("sent mail not found") from None
    if mail.state != SentMailState.QUEUED:
        return
    try:
        raw = read_eml(mail)
        if mail.transport == Transport.GRAPH:
            send_over_graph(user=graph_user(mail), raw=raw)
        else:
            send_over_smtp(from_address=mail.from_address, to=mail.to_address, raw=raw)
    except TransportError as error:
        _give_up_or_retry(mail, message, error.reason, permanent=error.permanent)
    except Exception as error:
        logger.exception("mail could not be sent", extra={"sent_mail": str(mail.uuid)})
        reason = _("Onverwachte fout bij het versturen: %(error)s") % {
            "error": str(error) or type(error).__name__
        }
        _give_up_or_retry(mail, message, reason, permanent=False)
    with transaction.atomic():
        locked = SentMail.objects.select_for_update().get(pk=mail.pk)
        if locked.state != SentMailState.QUEUED:
            return
        locked.state = SentMailState.SENT
        locked.sent_at = timezone.now()
        locked.detail = ""
        locked.save(update_fields=["state", "sent_at", "detail", "updated_at"])
    logger.info("mail sent", extra={"sent_mail": str(mail.uuid), "transport": mail.transport})
