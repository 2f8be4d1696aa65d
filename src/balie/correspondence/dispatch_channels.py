"""The outbox senders that take a queued dispatch out: by e-mail (Django's mail backend, SMTP) and
to the eBox (adapters/ebox.py). Registered in apps.py through dispatch.connect_dispatch.

Each sender does nothing for a dispatch that is no longer queued (sent or failed before), so a
retry never sends twice what was recorded as sent. A failure that trying again cannot help (a
refused address, a refused eBox message), or the last attempt the outbox allows, marks the
dispatch failed with the reason; anything else is tried again later by the outbox.

E-mail: the letter and its attachments as PDF attachments, a short Dutch message (in the
addressee's language once translated), `Reply-To` the department; the `Message-ID` is fixed per
dispatch (the same on a retry, so a receiver can drop a duplicate, and a bounce names it). SMTP has
no idempotency key: a mail whose acceptance was lost between the server and Balie is sent again on
the retry, with the same Message-ID. The message as it was sent is kept as a document (`.eml`).
"""

from __future__ import annotations

import email.message
import functools
import logging
import smtplib
from collections.abc import Callable
from email.utils import formatdate
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balie.core.models import OutboxMessage
from balie.core.outbox import DeliveryError, PermanentDeliveryError, max_attempts
from balie.documents.actions import (
    check_new_document,
    create_document,
    discard_new_files_on_failure,
    write_file,
)

from .actions import record_dispatch_state
from .adapters.ebox import EboxClient, EboxError, EboxFile, EboxMessage
from .dispatch import read_version
from .models import Dispatch, DispatchState
from .models_dispatch import Envelope

logger = logging.getLogger("balie.dispatch")

EBOX_LANGUAGES = ("nl", "fr", "de")
HEADER_ORDER = ("From", "To", "Reply-To", "Subject", "Date", "Message-ID")


def _load(message: OutboxMessage) -> Dispatch:
    try:
        return Dispatch.objects.select_related(
            "item__department", "item__party", "envelope", "created_by"
        ).get(uuid=message.payload["dispatch"])
    except (Dispatch.DoesNotExist, KeyError, ValidationError, ValueError):
        raise PermanentDeliveryError("dispatch not found") from None


def _documents(dispatch: Dispatch) -> list[tuple[str, bytes, bool, bool]]:
    """(file name, content, main, signed) of each document the dispatch sends, in order."""
    found = []
    item = dispatch.item
    for sent in dispatch.sent_documents.select_related("version__document").order_by("position"):
        name = f"{item.number}.pdf" if sent.main else sent.version.download_name
        found.append((name, read_version(sent.version), sent.main, sent.signed))
    return found


def _give_up_or_retry(
    dispatch: Dispatch, message: OutboxMessage, reason: str, *, permanent: bool
) -> NoReturn:
    """Record a failure: for good (the dispatch failed, with the reason), or for this attempt."""
    if permanent or message.attempts >= max_attempts():
        with transaction.atomic():
            locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
            if locked.state == DispatchState.QUEUED:
                record_dispatch_state(dispatch=locked, state=DispatchState.FAILED, by=None, detail=reason)
        logger.warning("dispatch failed", extra={"dispatch": str(dispatch.uuid), "channel": dispatch.channel})
        raise PermanentDeliveryError(reason)
    raise DeliveryError(reason)


Sender = Callable[[Dispatch, OutboxMessage], None]


def _sender(send: Sender) -> Callable[[OutboxMessage], None]:
    """An outbox sender for a dispatch: nothing for a dispatch that is no longer queued; anything
    unforeseen (a file gone from the storage …) is a failed attempt, and after the last one the
    dispatch says it failed, rather than waiting for ever."""

    @functools.wraps(send)
    def sender(message: OutboxMessage) -> None:
        dispatch = _load(message)
        if dispatch.state != DispatchState.QUEUED:
            return
        try:
            send(dispatch, message)
        except DeliveryError:
            raise
        except Exception as error:
            logger.exception("dispatch could not be sent", extra={"dispatch": str(dispatch.uuid)})
            reason = _("Onverwachte fout bij het versturen: %(error)s") % {
                "error": str(error) or type(error).__name__
            }
            _give_up_or_retry(dispatch, message, reason[:500], permanent=False)

    return sender


def subject_of(dispatch: Dispatch) -> str:
    item = dispatch.item
    with translation.override(dispatch.envelope.language):
        return _("%(subject)s (ons kenmerk %(number)s)") % {"subject": item.subject, "number": item.number}


# --- e-mail -------------------------------------------------------------------------------------


class _SentAsBuilt(EmailMessage):
    """An e-mail that is put together once: what is kept as `.eml` is byte for byte what the
    mail server got (same MIME boundaries), with From first, as mail programs and libmagic expect."""

    _built: Any = None

    def message(self, *args: Any, **kwargs: Any) -> Any:
        if self._built is None:
            built: Any = super().message(*args, **kwargs)
            # Reorder the headers as they are: their values are encoded and folded already, and
            # setting them again would refold them (Django's __setitem__ refuses a folded value).
            headers = built._headers
            first = [(n, v) for key in HEADER_ORDER for n, v in headers if n.lower() == key.lower()]
            built._headers = first + [(n, v) for n, v in headers if (n, v) not in first]
            built.as_bytes()  # fixes the boundaries
            self._built = built
        return self._built


def build_email(dispatch: Dispatch) -> EmailMessage:
    item, envelope = dispatch.item, dispatch.envelope
    department = item.department
    with translation.override(envelope.language):
        body = _(
            "Beste %(name)s,\n\n"
            "In de bijlage vindt u onze brief over ‘%(subject)s’ (ons kenmerk %(number)s).\n\n"
            "Hebt u een vraag? Antwoord dan op deze e-mail en vermeld ons kenmerk.\n\n"
            "Met vriendelijke groeten,\n\n"
            "%(department)s\n%(municipality)s\n"
        ) % {
            "name": envelope.addressee,
            "subject": item.subject,
            "number": item.number,
            "department": department.name,
            "municipality": _municipality(),
        }
    mail = _SentAsBuilt(
        subject=subject_of(dispatch),
        body=body,
        to=[envelope.email],
        reply_to=[department.email] if department.email else None,
        headers={
            "Message-ID": envelope.message_id,
            "Date": formatdate(localtime=True),
            "Content-Language": envelope.language,
            "X-Balie-Post-Item": item.number,
        },
    )
    for name, data, _main, _signed in _documents(dispatch):
        mail.attach(name, data, "application/pdf")
    return mail


def _municipality() -> str:
    from django.conf import settings

    return str(settings.BALIE_MUNICIPALITY_NAME)


@_sender
def send_email_dispatch(dispatch: Dispatch, message: OutboxMessage) -> None:
    """The outbox sender of e-mail dispatches."""
    mail = build_email(dispatch)
    try:
        mail.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        codes = "; ".join(
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        )
        _give_up_or_retry(
            dispatch,
            message,
            _("De mailserver weigerde het adres %(email)s: %(reason)s")
            % {"email": dispatch.envelope.email, "reason": codes},
            permanent=True,
        )
    except smtplib.SMTPResponseException as error:
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        _give_up_or_retry(
            dispatch,
            message,
            _("De mailserver weigerde de e-mail: %(code)s %(reason)s")
            % {"code": error.smtp_code, "reason": text},
            permanent=500 <= error.smtp_code < 600,
        )
    except (smtplib.SMTPException, OSError) as error:
        _give_up_or_retry(
            dispatch,
            message,
            _("De mailserver is niet bereikbaar: %(reason)s")
            % {"reason": str(error) or type(error).__name__},
            permanent=False,
        )
    _record_email_sent(dispatch, mail.message())


class _AlreadyRecorded(Exception):
    """Another attempt recorded the dispatch meanwhile: the copy just written is not needed."""


def _record_email_sent(dispatch: Dispatch, sent: email.message.Message) -> None:
    """The dispatch is sent, with the Message-ID; the e-mail is kept as a document. If keeping the
    copy fails, the dispatch is still recorded as sent (the mail went out) and says so."""
    item, envelope = dispatch.item, dispatch.envelope
    raw = sent.as_bytes()
    upload = ContentFile(raw, name=f"{item.number}-e-mail.eml")
    title = _("E-mail %(number)s aan %(email)s") % {"number": item.number, "email": envelope.email}
    detail = _("Verstuurd naar %(email)s.") % {"email": envelope.email}
    try:
        title, mime_type = check_new_document(file=upload, title=title[:200])
    except ValidationError as error:
        mime_type, detail = (
            "",
            detail + " " + _("Geen kopie bewaard: %(reason)s") % {"reason": " ".join(error.messages)},
        )
    try:
        with discard_new_files_on_failure():
            stored = write_file(upload, mime_type=mime_type) if mime_type else None
            with transaction.atomic():
                locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
                if locked.state != DispatchState.QUEUED:
                    raise _AlreadyRecorded
                if stored is not None:
                    try:
                        with transaction.atomic():
                            document = create_document(
                                stored=stored,
                                title=title,
                                by=dispatch.created_by,
                                confidential=item.confidential,
                                department=item.department,
                            )
                        Envelope.objects.filter(pk=envelope.pk).update(eml_document=document)
                    except ValidationError as error:
                        detail += " " + _("Geen kopie bewaard: %(reason)s") % {
                            "reason": " ".join(error.messages)
                        }
                record_dispatch_state(
                    dispatch=locked,
                    state=DispatchState.SENT,
                    by=None,
                    at=timezone.now(),
                    detail=detail,
                    external_id=envelope.message_id,
                )
    except _AlreadyRecorded:
        return
    logger.info("dispatch e-mailed", extra={"dispatch": str(dispatch.uuid), "post_item": item.number})


# --- eBox ---------------------------------------------------------------------------------------


def ebox_message(dispatch: Dispatch) -> EboxMessage:
    envelope = dispatch.envelope
    language = envelope.language if envelope.language in EBOX_LANGUAGES else "nl"
    return EboxMessage(
        recipient_type=envelope.ebox_type,
        recipient_id=envelope.ebox_identifier,
        subject={language: subject_of(dispatch)[:250]},
        files=[
            EboxFile(filename=name, content_type="application/pdf", data=data, main=main, signed=signed)
            for name, data, main, signed in _documents(dispatch)
        ],
    )


@_sender
def send_ebox_dispatch(dispatch: Dispatch, message: OutboxMessage) -> None:
    """The outbox sender of eBox dispatches. Published means in the addressee's eBox: delivered."""
    try:
        client = EboxClient.from_settings()
        publication = client.publish(
            ebox_message(dispatch), idempotency_key=dispatch.envelope.idempotency_key
        )
    except EboxError as error:
        _give_up_or_retry(dispatch, message, error.message, permanent=error.permanent)
    if publication.duplicate:
        detail = _("De eBox had dit bericht al (een eerdere poging kwam aan, het antwoord niet).")
    else:
        detail = _("Gepubliceerd in de eBox.")
    with transaction.atomic():
        locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if locked.state != DispatchState.QUEUED:
            return
        now = timezone.now()
        record_dispatch_state(
            dispatch=locked,
            state=DispatchState.SENT,
            by=None,
            at=now,
            detail=detail,
            external_id=publication.message_id,
        )
        record_dispatch_state(dispatch=locked, state=DispatchState.DELIVERED, by=None, at=now)
    logger.info(
        "dispatch published in the eBox",
        extra={
            "dispatch": str(dispatch.uuid),
            "post_item": dispatch.item.number,
            "duplicate": publication.duplicate,
        },
    )
