"""Every change to incoming mail: ingesting a message (from a mailbox or dropped on a page) and
filing one from the triage inbox.

`ingest_message` writes the `IncomingMail` row and what Balie made of the message (a contact
moment, a post item, a case, a complaint or report, or a note on the case it answers) in ONE
transaction; the caller moves or flags the message on the server only after that committed. A
message already recorded (same mailbox, UIDVALIDITY and UID, or same Message-ID) is returned as it
is: reading it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balie.accounts.models import AccountKind, User
from balie.accounts.permissions import acts_for_municipality
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.cases.actions import add_case_note, attach_document, register_case
from balie.cases.models import Case, Origin, RoleKind
from balie.cases.registries import Intake, intake_handlers
from balie.contact_moments.actions import link_document_to_contact_moment, register_contact_moment
from balie.contact_moments.models import Channel, ContactMoment, Direction
from balie.correspondence.actions import register_incoming
from balie.correspondence.models import PostChannel
from balie.documents.actions import create_document, discard_new_files_on_failure, link_document_to_party
from balie.documents.files import allowed_types, document_storage, max_bytes, sniff_mime_type
from balie.documents.models import Document
from balie.parties.models import ContactPoint, ContactPointKind, Party

from .addressing import case_number_from_address, case_number_from_subject
from .models import IncomingMail, IncomingMailDocument, Mailbox, MailRule, MailSource, MailState, RuleTarget
from .parsing import OLE_MAGIC, Attachment, ParsedMail, parse_file, parse_mail
from .registries import sent_message_lookups

logger = logging.getLogger(__name__)

MAIL_FIELDS = ["mailbox", "message_id", "state", "from_address", "subject", "route"]


# --- who acts ------------------------------------------------------------------------------------


def mailbox_account(mailbox: Mailbox) -> User:
    """The mailbox's system account (made on first use), acting for the mailbox's department."""
    if mailbox.account_id is not None:
        account = mailbox.account
        assert account is not None
        if account.department_id != mailbox.department_id:
            account.department_id = mailbox.department_id
            account.save(update_fields=["department"])
        return account
    with transaction.atomic():
        locked = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
        if locked.account_id is None:
            account = User(
                username=f"mail-{slugify(mailbox.address.replace('@', '-at-'))}"[:150],
                first_name=mailbox.name[:150],
                kind=AccountKind.SYSTEM,
                department_id=mailbox.department_id,
                is_active=True,
            )
            account.set_unusable_password()
            account.save()
            locked.account = account
            locked.save(update_fields=["account", "updated_at"])
        mailbox.account = locked.account
        mailbox.account_id = locked.account_id
    assert mailbox.account is not None
    return mailbox.account


# --- routing -------------------------------------------------------------------------------------


@dataclass
class Route:
    target: str  # RuleTarget value, or "reply" (joins a case / a party's conversation)
    how: str  # "message-id", "plus-address", "subject-token", "rule:<name>", "sender", …
    case: Case | None = None
    party: Party | None = None
    rule: MailRule | None = None
    note: str = ""


def party_for_sender(address: str) -> Party | None:
    """The one party whose e-mail address this is (none when no or several parties have it)."""
    if not address:
        return None
    ids = list(
        ContactPoint.objects.filter(
            kind=ContactPointKind.EMAIL, value__iexact=address, party__merged_into__isnull=True
        ).values_list("party_id", flat=True)[:2]
    )
    if len(set(ids)) != 1:
        return None
    return Party.objects.get(pk=ids[0])


def thread_of(parsed: ParsedMail, mailbox: Mailbox | None) -> Route | None:
    """The case (or party) a reply belongs to: by Message-ID (In-Reply-To, References, newest
    first) against earlier incoming mails and what Balie sent, then the plus-address, then the
    token in the subject."""
    ids = [*reversed(parsed.in_reply_to), *reversed(parsed.references)]
    if ids:
        earlier = (
            IncomingMail.objects.filter(message_id__in=ids)
            .exclude(case__isnull=True, party__isnull=True)
            .select_related("case", "party")
            .order_by("-received_at", "-pk")
            .first()
        )
        if earlier is not None:
            return Route(target="reply", how="message-id", case=earlier.case, party=earlier.party)
        for _key, lookup in sent_message_lookups:
            found = lookup(ids)
            if found is not None:
                case, party = found
                return Route(target="reply", how="message-id", case=case, party=party)
    for recipient in parsed.recipients:
        number = case_number_from_address(recipient)
        if number and (case := Case.objects.filter(number=number).first()):
            return Route(target="reply", how="plus-address", case=case)
    number = case_number_from_subject(parsed.subject)
    if number and (case := Case.objects.filter(number=number).first()):
        return Route(target="reply", how="subject-token", case=case)
    return None


def route_for(parsed: ParsedMail, mailbox: Mailbox) -> Route:
    verdict = mailbox.sender_rule(parsed.from_address)
    if verdict == "deny":
        return Route(
            target="refused", how="sender", note=_("De afzender staat op de lijst van geweigerde afzenders.")
        )
    thread = thread_of(parsed, mailbox)
    if thread is not None:
        return thread
    if mailbox.allowed_senders.strip() and verdict != "allow":
        return Route(
            target=RuleTarget.TRIAGE,
            how="sender",
            note=_("De afzender staat niet op de lijst van toegelaten afzenders."),
        )
    for rule in mailbox.rules.filter(active=True).select_related("case_type"):
        if rule.matches(sender=parsed.from_address, recipients=parsed.recipients, subject=parsed.subject):
            return Route(target=rule.target, how=f"rule:{rule.name}"[:40], rule=rule)
    return Route(
        target=RuleTarget.TRIAGE, how="no-rule", note=_("Geen regel van de mailbox past op dit bericht.")
    )


# --- documents -----------------------------------------------------------------------------------


def _storable(data: bytes) -> tuple[str, str]:
    """(mime type, "") when the bytes can be a document, else ("", why not)."""
    if not data:
        return "", _("leeg")
    if len(data) > max_bytes():
        return "", _("te groot om als document te bewaren")
    mime_type = sniff_mime_type(data[:8192])
    if mime_type == "application/octet-stream" and data.startswith(b"\xd0\xcf\x11\xe0"):
        mime_type = "application/vnd.ms-outlook"
    if mime_type not in allowed_types():
        return "", _("soort bestand niet toegelaten (%(type)s): enkel in het originele bericht") % {
            "type": mime_type
        }
    return mime_type, ""


def _store(
    data: bytes, *, filename: str, mime_type: str, title: str, by: User, department: Any, confidential: bool
) -> Document:
    from balie.documents.actions import write_file

    stored = write_file(ContentFile(data, name=filename), mime_type=mime_type)
    return create_document(
        stored=stored, title=title[:200], by=by, department=department, confidential=confidential
    )


def _store_raw(mail: IncomingMail, raw: bytes, *, by: User, department: Any, confidential: bool) -> None:
    """The message as it came: a document (an .eml, or the .msg dropped), or, when it is too large
    for one (or mails are not an allowed document type), a file in the mail store."""
    is_msg = raw[:8] == OLE_MAGIC
    mime_type = "application/vnd.ms-outlook" if is_msg else "message/rfc822"
    title = _("E-mail: %(subject)s") % {"subject": mail.subject or _("(geen onderwerp)")}
    if raw and len(raw) <= max_bytes() and mime_type in allowed_types():
        mail.raw_document = _store(
            raw,
            filename="bericht.msg" if is_msg else "bericht.eml",
            mime_type=mime_type,
            title=title,
            by=by,
            department=department,
            confidential=confidential,
        )
    else:
        storage = document_storage()
        path = storage.save(f"mail/{timezone.now():%Y/%m}/{mail.uuid.hex}", ContentFile(raw))
        mail.raw_file = path
        mail.defects = [*mail.defects, "raw message too large for a document: kept in the mail store"]


def _store_attachments(
    mail: IncomingMail,
    attachments: list[Attachment],
    *,
    by: User,
    department: Any,
    confidential: bool,
    case: Case | None,
) -> list[Document]:
    documents: list[Document] = []
    skipped: list[dict[str, Any]] = []
    for attachment in attachments:
        mime_type, why = _storable(attachment.data)
        if not mime_type:
            skipped.append({"filename": attachment.filename, "size": attachment.size, "reason": str(why)})
            continue
        filename = attachment.filename or "bijlage"
        document: Document
        if case is not None and case.closed_at is None:
            try:
                link = attach_document(
                    case=case, by=by, file=ContentFile(attachment.data, name=filename), title=filename
                )
                document = link.document
            except ValidationError as error:
                skipped.append(
                    {"filename": filename, "size": attachment.size, "reason": "; ".join(error.messages)}
                )
                continue
        else:
            document = _store(
                attachment.data,
                filename=filename,
                mime_type=mime_type,
                title=filename,
                by=by,
                department=department,
                confidential=confidential,
            )
        IncomingMailDocument.objects.create(
            mail=mail,
            document=document,
            filename=filename[:255],
            content_id=attachment.content_id[:255],
            inline=attachment.inline,
        )
        documents.append(document)
    mail.skipped_attachments = skipped
    return documents


# --- ingest ----------------------------------------------------------------------------------------


def existing_mail(
    mailbox: Mailbox | None, *, uidvalidity: int | None, uid: int | None, message_id: str
) -> IncomingMail | None:
    if mailbox is None:
        return None
    same = Q(uidvalidity=uidvalidity, uid=uid) if uid is not None else Q(pk__in=[])
    if message_id:
        same |= Q(message_id=message_id[:998])
    return IncomingMail.objects.filter(same, mailbox=mailbox).order_by("pk").first()


def _summary(parsed: ParsedMail) -> str:
    sender = f"{parsed.from_name} ({parsed.from_address})" if parsed.from_name else parsed.from_address
    return f"{_('E-mail van')} {sender}: {parsed.subject}\n\n{parsed.body}"[:5000]


def _new_mail(
    *,
    mailbox: Mailbox | None,
    parsed: ParsedMail,
    raw: bytes,
    uidvalidity: int | None,
    uid: int | None,
    source: str,
) -> IncomingMail:
    return IncomingMail(
        mailbox=mailbox,
        source=source,
        uidvalidity=uidvalidity,
        uid=uid,
        message_id=parsed.message_id[:998],
        in_reply_to=parsed.in_reply_to[:50],
        references=parsed.references[-50:],
        state=MailState.UNPARSEABLE if parsed.unparseable else MailState.INGESTED,
        received_at=timezone.now(),
        sent_at=parsed.date,
        from_name=parsed.from_name[:255],
        from_address=parsed.from_address[:254],
        to=", ".join(parsed.to + parsed.cc)[:5000],
        subject=parsed.subject[:998],
        text=parsed.body,
        html=parsed.safe_html(),
        size=len(raw),
        defects=parsed.defects[:100],
    )


def _become(
    mail: IncomingMail, parsed: ParsedMail, route: Route, *, by: User, mailbox: Mailbox | None
) -> None:
    """Make of the message what its route says; the mail row records it. Raises ValidationError
    when the target refuses (the caller then puts the message in triage)."""
    department = by.department
    party = route.party or party_for_sender(parsed.from_address)
    mail.party = party
    attachments = parsed.all_attachments()
    if route.target == "reply":
        case = route.case
        mail.case = case
        confidential = bool(case and case.confidential)
        if case is not None:
            add_case_note(
                case=case,
                by=by,
                text=_("E-mail van %(sender)s: %(subject)s")
                % {"sender": parsed.from_address, "subject": parsed.subject},
            )
        moment = register_contact_moment(
            by=by,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            party=party,
            summary=_summary(parsed),
            confidential=confidential,
            case=case,
            registered_at=min(parsed.date or timezone.now(), timezone.now()),
        )
        mail.contact_moment = moment
        documents = _store_attachments(
            mail, attachments, by=by, department=department, confidential=confidential, case=case
        )
        _link(documents, moment=moment, party=party, by=by)
        return
    if route.target == RuleTarget.CONTACT_MOMENT:
        moment = register_contact_moment(
            by=by,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            party=party,
            summary=_summary(parsed),
            registered_at=min(parsed.date or timezone.now(), timezone.now()),
        )
        mail.contact_moment = moment
        documents = _store_attachments(
            mail, attachments, by=by, department=department, confidential=False, case=None
        )
        _link(documents, moment=moment, party=party, by=by)
        return
    if route.target == RuleTarget.POST_ITEM:
        item = register_incoming(
            by=by,
            channel=PostChannel.EMAIL,
            department=department,
            subject=parsed.subject[:200] or _("(geen onderwerp)"),
            party=party,
            correspondent_name=(parsed.from_name or parsed.from_address)[:200],
            reference=parsed.message_id.strip("<>")[:100],
        )
        mail.post_item = item
        _store_attachments(mail, attachments, by=by, department=department, confidential=False, case=None)
        return
    if route.target == RuleTarget.CASE:
        assert route.rule is not None
        if route.rule.case_type is None:
            raise ValidationError(_("De regel '%(rule)s' noemt geen zaaktype.") % {"rule": route.rule.name})
        case = register_case(
            case_type=route.rule.case_type,
            by=by,
            subject=(parsed.subject or _("E-mail zonder onderwerp"))[:200],
            origin=Origin.EMAIL,
            description=parsed.body[:5000],
            parties=[(party, RoleKind.INITIATOR)] if party else (),
        )
        mail.case = case
        moment = register_contact_moment(
            by=by, channel=Channel.EMAIL, party=party, summary=_summary(parsed), case=case
        )
        mail.contact_moment = moment
        _store_attachments(
            mail, attachments, by=by, department=department, confidential=case.confidential, case=case
        )
        return
    if route.target in {RuleTarget.COMPLAINT, RuleTarget.REPORT}:
        handler = dict(intake_handlers).get(route.target)
        if handler is None:
            raise ValidationError(
                _("Er is geen verwerking voor '%(kind)s' geïnstalleerd: het bericht wacht in triage.")
                % {"kind": RuleTarget(route.target).label}
            )
        documents = _store_attachments(
            mail, attachments, by=by, department=department, confidential=False, case=None
        )
        case = handler(
            Intake(
                kind=route.target,
                channel=Channel.EMAIL,
                party=party,
                subject=parsed.subject or _("E-mail zonder onderwerp"),
                text=parsed.body,
                received_at=mail.received_at,
                by=by,
                documents=tuple(documents),
                source=f"mail:{parsed.message_id.strip('<>')}"[:200],
            )
        )
        mail.case = case
        return
    raise ValidationError(route.note or _("Geen regel van de mailbox past op dit bericht."))


def _link(documents: list[Document], *, moment: ContactMoment | None, party: Party | None, by: User) -> None:
    for document in documents:
        if moment is not None:
            link_document_to_contact_moment(contact_moment=moment, document=document, by=by)
        if party is not None:
            link_document_to_party(document=document, party=party, by=by)


def ingest_message(
    *,
    mailbox: Mailbox,
    raw: bytes,
    uidvalidity: int | None = None,
    uid: int | None = None,
) -> tuple[IncomingMail, bool]:
    """Record one message and what it became, in one transaction. Returns (mail, created);
    created is False when this message was recorded before (nothing changes). Never raises for a
    bad message: what cannot be routed or parsed waits in triage with the raw message kept."""
    parsed = parse_mail(raw)
    found = existing_mail(mailbox, uidvalidity=uidvalidity, uid=uid, message_id=parsed.message_id)
    if found is not None:
        return found, False
    by = mailbox_account(mailbox)
    try:
        with discard_new_files_on_failure(), transaction.atomic():
            return _ingest(
                mailbox=mailbox, parsed=parsed, raw=raw, uidvalidity=uidvalidity, uid=uid, by=by
            ), True
    except IntegrityError:
        # Another worker recorded it a moment ago (the unique constraints are the guard).
        found = existing_mail(mailbox, uidvalidity=uidvalidity, uid=uid, message_id=parsed.message_id)
        if found is None:
            raise
        return found, False


def _ingest(
    *,
    mailbox: Mailbox | None,
    parsed: ParsedMail,
    raw: bytes,
    uidvalidity: int | None,
    uid: int | None,
    by: User,
    source: str = MailSource.IMAP,
    case: Case | None = None,
    party: Party | None = None,
) -> IncomingMail:
    mail = _new_mail(mailbox=mailbox, parsed=parsed, raw=raw, uidvalidity=uidvalidity, uid=uid, source=source)
    mail.save()  # first: the unique constraints stop a second worker here
    if case is not None or party is not None:
        route = Route(target="reply", how="upload", case=case, party=party)
    elif parsed.unparseable or mailbox is None:
        route = Route(
            target=RuleTarget.TRIAGE, how="unparseable", note=_("Dit bericht kon niet gelezen worden.")
        )
    else:
        route = route_for(parsed, mailbox)
    mail.route = route.how[:40]
    confidential = bool(route.case and route.case.confidential)
    _store_raw(
        mail,
        raw,
        by=by,
        department=(route.case.department if route.case else by.department),
        confidential=confidential,
    )
    if route.target == "refused":
        mail.state, mail.note = MailState.REFUSED, route.note
    elif parsed.unparseable:
        mail.note = route.note
        _store_attachments(
            mail, parsed.all_attachments(), by=by, department=by.department, confidential=False, case=None
        )
    else:
        try:
            with transaction.atomic():
                _become(mail, parsed, route, by=by, mailbox=mailbox)
        except ValidationError as error:
            mail.case = mail.contact_moment = mail.post_item = None
            mail.state = MailState.TRIAGE
            mail.note = "; ".join(error.messages)[:2000]
            mail.party = party_for_sender(parsed.from_address)
            IncomingMailDocument.objects.filter(mail=mail).delete()
            _store_attachments(
                mail, parsed.all_attachments(), by=by, department=by.department, confidential=False, case=None
            )
            if route.target in {RuleTarget.COMPLAINT, RuleTarget.REPORT} and mailbox is not None:
                _note_on_mailbox(mailbox, mail.note)
    if mail.party is not None and mail.raw_document is not None:
        link_document_to_party(document=mail.raw_document, party=mail.party, by=by)
    if mail.contact_moment is not None and mail.raw_document is not None:
        link_document_to_contact_moment(contact_moment=mail.contact_moment, document=mail.raw_document, by=by)
    mail.save()
    record_creation(instance=mail, fields=MAIL_FIELDS, by=by)
    return mail


def _note_on_mailbox(mailbox: Mailbox, note: str) -> None:
    if mailbox.status_note != note:
        Mailbox.objects.filter(pk=mailbox.pk).update(status_note=note, updated_at=timezone.now())
        mailbox.status_note = note


# --- a mail dropped on a page ------------------------------------------------------------------------


def file_dropped_mail(
    *, file: Any, by: User, case: Case | None = None, party: Party | None = None
) -> IncomingMail:
    """An .eml or .msg an employee dropped on a case or party page, filed like an ingested one
    (same parser, same documents) and linked to that case or party."""
    if not acts_for_municipality(by) or by.department_id is None:
        raise ValidationError(_("Alleen een medewerker van een dienst kan mails opladen."))
    if case is None and party is None:
        raise ValidationError(_("Kies een zaak of een klant."))
    if file is None:
        raise ValidationError({"file": _("Kies een bestand.")})
    if int(getattr(file, "size", 0) or 0) > max_bytes():
        raise ValidationError({"file": _("Het bestand is te groot.")})
    file.seek(0)
    raw = file.read()
    parsed = parse_file(raw, getattr(file, "name", "") or "")
    if parsed.unparseable:
        raise ValidationError(
            {"file": _("Dit is geen e-mail (.eml) of Outlook-bericht (.msg) dat Balie kan lezen.")}
        )
    with discard_new_files_on_failure(), transaction.atomic():
        return _ingest(
            mailbox=None,
            parsed=parsed,
            raw=raw,
            uidvalidity=None,
            uid=None,
            by=by,
            source=MailSource.UPLOAD,
            case=case,
            party=party or None,
        )


# --- triage ------------------------------------------------------------------------------------------


def _lock_for_triage(mail: IncomingMail) -> IncomingMail:
    locked = IncomingMail.objects.select_for_update().get(pk=mail.pk)
    if not locked.needs_human and locked.state != MailState.REFUSED:
        raise ValidationError(_("Dit bericht is al verwerkt."))
    return locked


def _docs(mail: IncomingMail) -> list[Document]:
    return [link.document for link in mail.documents.select_related("document")]


@transaction.atomic
def assign_mail_to_case(*, mail: IncomingMail, case: Case, by: User) -> IncomingMail:
    """Triage: the message joins a case (a note and an inbound e-mail contact on the case)."""
    locked = _lock_for_triage(mail)
    party = locked.party or party_for_sender(locked.from_address)  # the party may be new since
    add_case_note(
        case=case,
        by=by,
        text=_("E-mail van %(sender)s: %(subject)s")
        % {"sender": locked.from_address, "subject": locked.subject},
    )
    moment = register_contact_moment(
        by=by,
        channel=Channel.EMAIL,
        party=party,
        summary=f"{locked.subject}\n\n{locked.text}"[:5000],
        confidential=case.confidential,
        case=case,
        registered_at=locked.received_at,
    )
    for document in [*_docs(locked), *([locked.raw_document] if locked.raw_document else [])]:
        link_document_to_contact_moment(contact_moment=moment, document=document, by=by)
    locked.party = party
    return _filed(locked, by=by, case=case, contact_moment=moment, how="triage:case")


@transaction.atomic
def assign_mail_to_party(*, mail: IncomingMail, party: Party, by: User) -> IncomingMail:
    """Triage: the message is a contact of this party (an inbound e-mail contact moment)."""
    locked = _lock_for_triage(mail)
    moment = register_contact_moment(
        by=by,
        channel=Channel.EMAIL,
        party=party,
        summary=f"{locked.subject}\n\n{locked.text}"[:5000],
        registered_at=locked.received_at,
    )
    for document in [*_docs(locked), *([locked.raw_document] if locked.raw_document else [])]:
        link_document_to_contact_moment(contact_moment=moment, document=document, by=by)
        link_document_to_party(document=document, party=party, by=by)
    locked.party = party
    return _filed(locked, by=by, contact_moment=moment, how="triage:party")


@transaction.atomic
def make_contact_moment_from_mail(*, mail: IncomingMail, by: User) -> IncomingMail:
    """Triage: an anonymous (or the sender's, when known) inbound e-mail contact moment."""
    locked = _lock_for_triage(mail)
    moment = register_contact_moment(
        by=by,
        channel=Channel.EMAIL,
        party=locked.party,
        summary=f"{locked.subject}\n\n{locked.text}"[:5000],
        registered_at=locked.received_at,
    )
    for document in [*_docs(locked), *([locked.raw_document] if locked.raw_document else [])]:
        link_document_to_contact_moment(contact_moment=moment, document=document, by=by)
    return _filed(locked, by=by, contact_moment=moment, how="triage:contact")


def _filed(
    mail: IncomingMail,
    *,
    by: User,
    how: str,
    case: Case | None = None,
    contact_moment: ContactMoment | None = None,
) -> IncomingMail:
    before = mail.state
    mail.case = case or mail.case
    mail.contact_moment = contact_moment or mail.contact_moment
    mail.state = MailState.INGESTED
    mail.route = how
    mail.filed_by = by
    mail.filed_at = timezone.now()
    mail.save()
    record_change(
        instance=mail,
        action=ChangeAction.UPDATE,
        changes={
            "state": [before, mail.state],
            "route": [None, how],
            "case": [None, case.number if case else None],
        },
        by=by,
    )
    return mail


def received_since(mailbox: Mailbox, since: dt.datetime) -> int:
    return IncomingMail.objects.filter(mailbox=mailbox, received_at__gte=since).count()
