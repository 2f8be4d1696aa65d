"""Every change the outbound half of the mailboxes app makes: sending a mail (also resending one
that failed), recording a bounce, and keeping the mail templates.

`send_mail` checks everything that can be refused first and names it all at once; then it writes
the `.eml` (outside the transaction, removed again if anything after it fails) and records, in one
transaction, the outgoing contact moment, the `.eml` as a document of the contact (and of the case
while it is open), the `SentMail` row with its attachments, the outbox message and the change log.
A refused send changes nothing.

Every change to incoming mail: ingesting a message (from a mailbox or dropped on a page) and
filing one from the triage inbox.

`ingest_message` writes the `IncomingMail` row and what Balie made of the message (a contact
moment, a post item, a case, a complaint or report, or a note on the case it answers) in ONE
transaction; the caller moves or flags the message on the server only after that committed. A
message already recorded (same mailbox, UIDVALIDITY and UID, or same Message-ID) is returned as it
is: reading it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balie.accounts.models import AccountKind, Department, User
from balie.accounts.permissions import acts_for_municipality, can_manage_catalogue, can_register_contact
from balie.audit.actions import diff, record_change, record_creation, records_written_together, snapshot
from balie.audit.models import ChangeAction
from balie.cases.actions import add_case_note, attach_document, register_case
from balie.cases.models import Case, CaseDocument, Origin, RoleKind
from balie.cases.queries import cases_for
from balie.cases.registries import Intake, intake_handlers
from balie.contact_moments.actions import (
    link_document_to_contact_moment,
    link_new_document_to_contact_moment,
    register_contact_moment,
)
from balie.contact_moments.models import Channel, ContactMoment, ContactMomentDocument, Direction
from balie.contact_moments.queries import contact_moments_for
from balie.core.models import OutboxMessage
from balie.core.outbox import resend, write_message
from balie.correspondence.actions import register_incoming
from balie.correspondence.dispatch import record_bounce
from balie.correspondence.dispatch_queries import dispatch_for_message_id
from balie.correspondence.models import Dispatch, DispatchState, PostChannel
from balie.documents.actions import (
    check_new_document,
    create_document,
    discard_new_files_on_failure,
    link_document_to_party,
    link_new_document_to_party,
    write_file,
)
from balie.documents.files import allowed_types, document_storage, max_bytes, sniff_mime_type
from balie.documents.models import Document
from balie.documents.queries import documents_for
from balie.parties.models import ContactPoint, ContactPointKind, Party
from balie.parties.queries import parties_for

from .addressing import (
    case_number_from_address,
    case_number_from_subject,
    new_message_id,
    reply_address,
    subject_with_token,
)
from .bounces import Bounce, parse_dsn_bytes
from .models import (
    IncomingMail,
    IncomingMailDocument,
    Mailbox,
    MailRule,
    MailSource,
    MailState,
    MailTemplate,
    RuleTarget,
    SentMail,
    SentMailAttachment,
    SentMailState,
)
from .parsing import OLE_MAGIC, ParsedMail, parse_file, parse_mail
from .parsing import Attachment as ParsedAttachment
from .queries import sent_mails_for
from .registries import sent_message_lookups
from .sending import OUTBOX_SENDER, Attachment, build_message, clean_message_ids, transport_for
from .templates import check_template_text

SENT_MAIL_FIELDS = ["to_address", "subject", "message_id", "state", "transport"]


TEMPLATE_FIELDS = ["name", "subject", "body", "active"]


DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def _max_bytes() -> int:
    return int(getattr(settings, "BALIE_MAIL_MAX_BYTES", DEFAULT_MAX_BYTES))


def mailbox_of(department: Department | None) -> Mailbox | None:
    """The department's mailbox that Balie sends from (the first active one)."""
    if department is None:
        return None
    return Mailbox.objects.filter(department=department, active=True).order_by("id").first()


def _read(document: Document) -> Attachment:
    version = document.current_version
    assert version is not None
    with document_storage().open(str(version.file.name), "rb") as handle:
        data = bytes(handle.read())
    return Attachment(file_name=version.download_name, mime_type=version.mime_type, data=data)


def _attachable(
    by: User, case: Case | None, moment: ContactMoment | None, documents: Sequence[Document]
) -> list[Document]:
    """The chosen documents, each a document of the case (or of the contact) that `by` may see."""
    if not documents:
        return []
    visible = documents_for(by).filter(pk__in=[d.pk for d in documents]).select_related("current_version")
    allowed: set[int] = set()
    if case is not None:
        allowed |= set(CaseDocument.objects.filter(case=case).values_list("document_id", flat=True))
    if moment is not None:
        allowed |= set(
            ContactMomentDocument.objects.filter(contact_moment=moment).values_list("document_id", flat=True)
        )
    found = {d.pk: d for d in visible if d.pk in allowed}
    if len(found) != len({d.pk for d in documents}):
        raise ValidationError(
            {"attachments": _("Kies alleen documenten van de zaak of het contact die je mag zien.")}
        )
    return [found[d.pk] for d in documents]


def send_mail(
    *,
    by: User,
    to: str,
    subject: str,
    body: str,
    case: Case | None = None,
    contact_moment: ContactMoment | None = None,
    party: Party | None = None,
    template: MailTemplate | None = None,
    attachments: Sequence[Document] = (),
    in_reply_to: str = "",
    references: str = "",
) -> SentMail:
    """Write a mail from a case, a contact moment (answering it) or a party's 360° view; it goes out
    through the outbox from the mailbox of the case's department (else the contact's, else the
    employee's). `in_reply_to` and `references` are the Message-ID and References of the mail
    answered, as its headers carry them."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (acts_for_municipality(by) and can_register_contact(by) and by.department_id is not None):
        raise ValidationError(_("Alleen een medewerker van een dienst kan e-mails versturen."))
    if contact_moment is not None and not contact_moments_for(by).filter(pk=contact_moment.pk).exists():
        raise ValidationError(_("Dit contactmoment bestaat niet of je mag het niet zien."))
    if case is None and contact_moment is not None and contact_moment.case_id is not None:
        case = contact_moment.case
    if case is not None and not cases_for(by).filter(pk=case.pk).exists():
        raise ValidationError(_("Deze zaak bestaat niet of je mag ze niet zien."))
    if party is None and contact_moment is not None:
        party = contact_moment.party
    if party is not None and not parties_for(by).filter(pk=party.pk).exists():
        raise ValidationError(_("Deze klant bestaat niet of je mag hem niet zien."))
    if template is not None and not template.active:
        refuse("template", _("Dit sjabloon wordt niet meer gebruikt."))
    to = (to or "").strip()
    try:
        validate_email(to)
    except ValidationError:
        refuse("to", _("Geef een geldig e-mailadres op."))
    subject = " ".join((subject or "").split())
    if not subject:
        refuse("subject", _("Geef een onderwerp op."))
    elif len(subject) > 250:
        refuse("subject", _("Het onderwerp is te lang (hoogstens 250 tekens)."))
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        refuse("body", _("Schrijf een tekst."))
    elif len(body) > 100_000:
        refuse("body", _("De tekst is te lang."))
    department = (
        case.department
        if case is not None
        else contact_moment.department
        if contact_moment
        else by.department
    )
    mailbox = mailbox_of(department)
    if mailbox is None:
        refuse(
            "__all__",
            _("De dienst %(department)s heeft geen mailbox om van te versturen.")
            % {"department": department.name if department else "-"},
        )
    try:
        chosen = _attachable(by, case, contact_moment, attachments)
    except ValidationError as error:
        errors.update(error.message_dict)
        chosen = []
    files = [_read(document) for document in chosen]
    if sum(len(f.data) for f in files) > _max_bytes():
        refuse(
            "attachments",
            _("De bijlagen zijn samen te groot (hoogstens %(mb)s MB).")
            % {"mb": _max_bytes() // (1024 * 1024)},
        )
    if errors:
        raise ValidationError(errors)
    assert mailbox is not None

    domain = mailbox.address.rpartition("@")[2]
    message_id = new_message_id(domain)
    in_reply_to = clean_message_ids(in_reply_to, limit=1)
    references = clean_message_ids(f"{references} {in_reply_to}")
    if case is not None:
        subject = subject_with_token(subject, case.number)
    reply_to = reply_address(mailbox.address, case.number) if case is not None else ""
    raw = build_message(
        from_name=mailbox.name,
        from_address=mailbox.address,
        to=to,
        subject=subject,
        body=body,
        message_id=message_id,
        reply_to=reply_to,
        in_reply_to=in_reply_to,
        references=references,
        case_number=case.number if case is not None else "",
        attachments=files,
    )
    upload = ContentFile(raw, name=f"e-mail-{timezone.localdate():%Y%m%d}.eml")
    title, mime_type = check_new_document(
        file=upload, title=_("E-mail aan %(to)s: %(subject)s") % {"to": to, "subject": subject}
    )
    confidential = bool(
        (case is not None and case.confidential)
        or (contact_moment is not None and contact_moment.confidential)
    )
    with discard_new_files_on_failure():
        stored = write_file(upload, mime_type=mime_type)
        with transaction.atomic():
            moment = register_contact_moment(
                by=by,
                channel=Channel.EMAIL,
                direction=Direction.OUTBOUND,
                party=party,
                summary=f"{subject}\n\n{body}"[:5000],
                confidential=confidential,
                case=case,
            )
            eml = create_document(
                stored=stored,
                title=title[:200],
                by=by,
                confidential=confidential,
                department=case.department if case is not None else moment.department,
            )
            # Linked directly: the .eml belongs to the case's department, which a handler of a
            # confidential case from another department may not see as a document of their own.
            ContactMomentDocument.objects.create(
                contact_moment=moment, document=eml, added_by=by, added_at=timezone.now()
            )
            label = _("vertrouwelijk document") if eml.confidential else eml.title
            record_change(
                instance=moment, action=ChangeAction.UPDATE, changes={"document": [None, label]}, by=by
            )
            if case is not None and case.closed_at is None:
                CaseDocument.objects.create(case=case, document=eml, added_by=by, added_at=timezone.now())
            key = uuid.uuid4()
            mail = SentMail.objects.create(
                mailbox=mailbox,
                department=mailbox.department,
                sent_by=by,
                case=case,
                party=party,
                contact_moment=moment,
                answers=contact_moment,
                template=template,
                confidential=confidential,
                transport=transport_for(mailbox),
                from_address=mailbox.address,
                to_address=to,
                reply_to=reply_to,
                subject=subject,
                message_id=message_id,
                in_reply_to=in_reply_to,
                references=references,
                eml=eml,
                queued_at=timezone.now(),
                outbox_key=key,
            )
            SentMailAttachment.objects.bulk_create(
                SentMailAttachment(mail=mail, version=d.current_version, position=i, file_name=f.file_name)
                for i, (d, f) in enumerate(zip(chosen, files, strict=True), start=1)
            )
            write_message(
                sender=OUTBOX_SENDER,
                destination=f"mail:{mail.uuid}",
                payload={"mail": str(mail.uuid)},
                idempotency_key=key,
            )
            record_creation(instance=mail, fields=SENT_MAIL_FIELDS, by=by)
            return mail


@transaction.atomic
def resend_mail(*, mail: SentMail, by: User) -> SentMail:
    """Put a mail that failed back in line: the same message (same bytes, same Message-ID)."""
    if not sent_mails_for(by).filter(pk=mail.pk).exists():
        raise ValidationError(_("Deze e-mail bestaat niet of je mag ze niet zien."))
    locked = SentMail.objects.select_for_update().get(pk=mail.pk)
    if locked.state != SentMailState.FAILED:
        raise ValidationError(_("Alleen een mislukte e-mail kan opnieuw verstuurd worden."))
    message = OutboxMessage.objects.get(idempotency_key=locked.outbox_key)
    resend(message=message)
    before = snapshot(locked, ["state"])
    locked.state = SentMailState.QUEUED
    locked.failed_at = None
    locked.save(update_fields=["state", "failed_at", "updated_at"])
    record_change(
        instance=locked, action=ChangeAction.UPDATE, changes=diff(before, snapshot(locked, ["state"])), by=by
    )
    return locked


def record_mail_bounce(*, bounce: Bounce, by: User | None = None) -> SentMail | Dispatch | None:
    """A delivery status notification came in (mail-in parses it with `bounces.parse_dsn`): the
    mail it names, by its original Message-ID, is bounced. Balie's own mails first, then a post
    dispatch sent by e-mail (`correspondence`); None when it names neither. A delay is no bounce,
    and a mail already bounced stays as it is (a second notification changes nothing)."""
    if not bounce.failed or not bounce.original_message_id:
        return None
    mail = SentMail.objects.filter(message_id=bounce.original_message_id).first()
    if mail is not None:
        return _bounce_sent_mail(mail, bounce, by=by)
    dispatch = dispatch_for_message_id(bounce.original_message_id)
    if dispatch is None:
        return None
    if dispatch.state == DispatchState.BOUNCED:
        return dispatch
    if dispatch.state not in (DispatchState.SENT, DispatchState.DELIVERED):
        return dispatch
    return record_bounce(dispatch=dispatch, reason=bounce.reason(), by=None)


@transaction.atomic
def _bounce_sent_mail(mail: SentMail, bounce: Bounce, *, by: User | None) -> SentMail:
    locked = SentMail.objects.select_for_update().get(pk=mail.pk)
    if locked.state == SentMailState.BOUNCED:
        return locked
    before = snapshot(locked, ["state"])
    locked.state = SentMailState.BOUNCED
    locked.bounced_at = timezone.now()
    locked.bounce_recipient = bounce.recipient[:320]
    locked.bounce_status = bounce.status[:16]
    locked.detail = bounce.reason()[:1000]
    locked.save(
        update_fields=["state", "bounced_at", "bounce_recipient", "bounce_status", "detail", "updated_at"]
    )
    record_change(
        instance=locked,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(locked, ["state"])),
        by=by,
        reason=locked.detail,
    )
    return locked


def _require_admin(by: User) -> None:
    if not can_manage_catalogue(by):
        raise ValidationError(_("Alleen de functioneel beheerder beheert de mailsjablonen."))


def _check_template(template: MailTemplate) -> None:
    errors: dict[str, list[str]] = {}
    try:
        template.full_clean(validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    for field in ("subject", "body"):
        problems = check_template_text(getattr(template, field))
        if problems:
            errors.setdefault(field, []).extend(problems)
    clash = MailTemplate.objects.filter(name__iexact=template.name.strip()).exclude(pk=template.pk)
    if clash.exists():
        errors.setdefault("name", []).append(_("Er is al een sjabloon met deze naam."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_mail_template(
    *, by: User | None, name: str, subject: str, body: str, active: bool = True
) -> MailTemplate:
    if by is not None:
        _require_admin(by)
    template = MailTemplate(name=name.strip(), subject=subject.strip(), body=body.strip(), active=active)
    _check_template(template)
    template.save()
    record_creation(instance=template, fields=TEMPLATE_FIELDS, by=by)
    return template


@transaction.atomic
def update_mail_template(*, template: MailTemplate, by: User, **data: Any) -> MailTemplate:
    _require_admin(by)
    unknown = set(data) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    locked = MailTemplate.objects.select_for_update().get(pk=template.pk)
    before = snapshot(locked, TEMPLATE_FIELDS)
    for field, value in data.items():
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    _check_template(locked)
    locked.save()
    record_change(
        instance=locked,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(locked, TEMPLATE_FIELDS)),
        by=by,
    )
    return locked


def release_sent_mails_of_case(case: Case, by: Any) -> int:
    """Case destruction handler: the mails stay (with their contact moments), their case link goes."""
    return SentMail.objects.filter(case=case).update(case=None, updated_at=timezone.now())


# -- mail in ------------------------------------------------------------------------------------


logger = logging.getLogger(__name__)


MAIL_FIELDS = ["mailbox", "message_id", "state", "from_address", "subject", "route"]


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


@dataclass
class Route:
    target: str  # RuleTarget value, or "reply" (joins a case / a party's conversation)
    how: str  # "message-id", "plus-address", "subject-token", "rule:<name>", "sender", …
    case: Case | None = None
    party: Party | None = None
    rule: MailRule | None = None
    note: str = ""


@dataclass
class IngestRun:
    """What stays the same while one poll reads a mailbox, looked up once instead of per message:
    the mailbox's system account, its active rules, and the parties of the senders of a batch
    (`know_senders`, one query for the batch). A rule changed during the poll counts from the
    next poll on."""

    mailbox: Mailbox
    by: User
    rules: list[MailRule]
    senders: dict[str, Party | None]

    @classmethod
    def start(cls, mailbox: Mailbox) -> IngestRun:
        rules = list(mailbox.rules.filter(active=True).select_related("case_type"))
        return cls(mailbox=mailbox, by=mailbox_account(mailbox), rules=rules, senders={})

    def know_senders(self, addresses: Sequence[str]) -> None:
        new = {a.strip().lower() for a in addresses if a} - self.senders.keys()
        self.senders.update(parties_for_senders(new))

    def party_for_sender(self, address: str) -> Party | None:
        key = (address or "").strip().lower()
        if key not in self.senders:
            self.senders[key] = party_for_sender(address)
        return self.senders[key]


def parties_for_senders(addresses: Sequence[str] | set[str]) -> dict[str, Party | None]:
    """`party_for_sender` of many addresses (lower case) in two queries. Balie keeps e-mail
    addresses in lower case (`ContactPoint.clean`), so the plain index on the value serves."""
    wanted = {a.strip().lower() for a in addresses if a}
    found: dict[str, set[int]] = {address: set() for address in wanted}
    if not wanted:
        return {}
    rows = ContactPoint.objects.filter(
        kind=ContactPointKind.EMAIL, value__in=wanted, party__merged_into__isnull=True
    ).values_list("value", "party_id")
    for value, party_id in rows:
        found[value.lower()].add(party_id)
    parties = Party.objects.in_bulk({next(iter(ids)) for ids in found.values() if len(ids) == 1})
    return {
        address: parties.get(next(iter(ids))) if len(ids) == 1 else None for address, ids in found.items()
    }


def party_for_sender(address: str) -> Party | None:
    """The one party whose e-mail address this is (none when no or several parties have it)."""
    if not address:
        return None
    return parties_for_senders([address]).get(address.strip().lower())


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


def route_for(parsed: ParsedMail, mailbox: Mailbox, *, rules: Sequence[MailRule] | None = None) -> Route:
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
    if rules is None:
        rules = list(mailbox.rules.filter(active=True).select_related("case_type"))
    for rule in rules:
        if rule.matches(sender=parsed.from_address, recipients=parsed.recipients, subject=parsed.subject):
            return Route(target=rule.target, how=f"rule:{rule.name}"[:40], rule=rule)
    return Route(
        target=RuleTarget.TRIAGE, how="no-rule", note=_("Geen regel van de mailbox past op dit bericht.")
    )


def _storable(data: bytes) -> tuple[str, str]:
    """(mime type, "") when the bytes can be a document, else ("", why not)."""
    if not data:
        return "", _("leeg")
    if len(data) > max_bytes():
        return "", _("te groot om als document te bewaren")
    # An OLE compound file (an Outlook .msg) says what it is only in its directory, which may lie
    # anywhere in the file: it is sniffed whole (it is in memory already, and capped above).
    is_ole = data.startswith(OLE_MAGIC)
    mime_type = sniff_mime_type(data if is_ole else data[:8192])
    if mime_type == "application/octet-stream" and is_ole:
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
    attachments: list[ParsedAttachment],
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
    mail: IncomingMail,
    parsed: ParsedMail,
    route: Route,
    *,
    by: User,
    mailbox: Mailbox | None,
    run: IngestRun | None = None,
) -> None:
    """Make of the message what its route says; the mail row records it. Raises ValidationError
    when the target refuses (the caller then puts the message in triage)."""
    department = by.department
    party = route.party or (run.party_for_sender if run else party_for_sender)(parsed.from_address)
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
    """Link documents made by this ingest to the contact and the party made or found by it.
    Neither is confidential and the party is not merged away (the usual case): the links are
    written directly (no one else can see the new rows yet, so there is nothing to check or lock),
    with the same change records the link actions write. Otherwise through those actions, which
    check what the mailbox's account may see."""
    for document in documents:
        if moment is not None:
            if moment.confidential or document.confidential:
                link_document_to_contact_moment(contact_moment=moment, document=document, by=by)
            else:
                link_new_document_to_contact_moment(moment, document, by=by)
        if party is not None:
            if document.confidential or party.merged_into_id is not None:
                link_document_to_party(document=document, party=party, by=by)
            else:
                link_new_document_to_party(document=document, party=party, by=by)


def ingest_message(
    *,
    mailbox: Mailbox,
    raw: bytes,
    uidvalidity: int | None = None,
    uid: int | None = None,
    parsed: ParsedMail | None = None,
    run: IngestRun | None = None,
    checked: bool = False,
) -> tuple[IncomingMail, bool]:
    """Record one message and what it became, in one transaction. Returns (mail, created);
    created is False when this message was recorded before (nothing changes). Never raises for a
    bad message: what cannot be routed or parsed waits in triage with the raw message kept.

    A poll passes what it already has: the parsed message, its `IngestRun`, and `checked` when it
    looked up the batch's UIDs and Message-IDs itself and found this one new (the unique
    constraints still stop a message recorded meanwhile: then it is found and returned)."""
    parsed = parsed or parse_mail(raw)
    if not checked:
        found = existing_mail(mailbox, uidvalidity=uidvalidity, uid=uid, message_id=parsed.message_id)
        if found is not None:
            return found, False
    by = run.by if run is not None else mailbox_account(mailbox)
    try:
        with discard_new_files_on_failure(), transaction.atomic(), records_written_together():
            return _ingest(
                mailbox=mailbox, parsed=parsed, raw=raw, uidvalidity=uidvalidity, uid=uid, by=by, run=run
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
    run: IngestRun | None = None,
) -> IncomingMail:
    mail = _new_mail(mailbox=mailbox, parsed=parsed, raw=raw, uidvalidity=uidvalidity, uid=uid, source=source)
    mail.save()  # first: the unique constraints stop a second worker here
    if case is not None or party is not None:
        route = Route(target="reply", how="upload", case=case, party=party)
    elif parsed.unparseable or mailbox is None:
        route = Route(
            target=RuleTarget.TRIAGE, how="unparseable", note=_("Dit bericht kon niet gelezen worden.")
        )
    elif (bounce := parse_dsn_bytes(raw)) is not None and bounce.failed:
        # A delivery status notification: the mail (or post dispatch) it names is marked bounced.
        bounced = record_mail_bounce(bounce=bounce)
        route = (
            Route(target="bounce", how="bounce", note=bounce.reason())
            if bounced is not None
            else Route(
                target=RuleTarget.TRIAGE,
                how="bounce",
                note=_("Een onbestelbaarheidsbericht over een mail die Balie niet kent."),
            )
        )
    else:
        route = route_for(parsed, mailbox, rules=run.rules if run is not None else None)
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
    elif route.target == "bounce":
        mail.state, mail.note = MailState.INGESTED, route.note[:2000]
    elif route.how == "bounce":
        mail.state, mail.note = MailState.TRIAGE, route.note
    elif parsed.unparseable:
        mail.note = route.note
        _store_attachments(
            mail, parsed.all_attachments(), by=by, department=by.department, confidential=False, case=None
        )
    else:
        try:
            with transaction.atomic():
                _become(mail, parsed, route, by=by, mailbox=mailbox, run=run)
        except ValidationError as error:
            mail.case = mail.contact_moment = mail.post_item = None
            mail.state = MailState.TRIAGE
            mail.note = "; ".join(error.messages)[:2000]
            mail.party = (run.party_for_sender if run else party_for_sender)(parsed.from_address)
            IncomingMailDocument.objects.filter(mail=mail).delete()
            _store_attachments(
                mail, parsed.all_attachments(), by=by, department=by.department, confidential=False, case=None
            )
            if route.target in {RuleTarget.COMPLAINT, RuleTarget.REPORT} and mailbox is not None:
                _note_on_mailbox(mailbox, mail.note)
    if mail.raw_document is not None:
        if mail.party is not None:
            _link([mail.raw_document], moment=None, party=mail.party, by=by)
        if mail.contact_moment is not None:
            _link([mail.raw_document], moment=mail.contact_moment, party=None, by=by)
    mail.save()
    record_creation(instance=mail, fields=MAIL_FIELDS, by=by)
    return mail


def _note_on_mailbox(mailbox: Mailbox, note: str) -> None:
    if mailbox.status_note != note:
        Mailbox.objects.filter(pk=mailbox.pk).update(status_note=note, updated_at=timezone.now())
        mailbox.status_note = note


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
        _refuse_second_drop(parsed, raw, by=by)
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


def _refuse_second_drop(parsed: ParsedMail, raw: bytes, *, by: User) -> None:
    """A message dropped before (the same Message-ID, or the same bytes when it has none) is
    filed once: the second drop is refused, saying when and where the first one went. Drops of
    one message wait for each other (PostgreSQL: a lock on the message's key for the
    transaction; SQLite writes one at a time)."""
    message_id = parsed.message_id[:998]
    key = f"id:{message_id}" if message_id else f"sha256:{hashlib.sha256(raw).hexdigest()}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"balie.mail-drop.{key}"])
    earlier = IncomingMail.objects.filter(source=MailSource.UPLOAD).select_related("case", "party")
    if message_id:
        earlier = earlier.filter(message_id=message_id)
    else:
        earlier = earlier.filter(message_id="", raw_document__current_version__sha256=key.partition(":")[2])
    first = earlier.order_by("received_at", "pk").first()
    if first is None:
        return
    when = date_format(timezone.localtime(first.received_at), "j F Y \\o\\m H:i")
    if first.case is not None and cases_for(by).filter(pk=first.case.pk).exists():
        where = _("bij zaak %(number)s") % {"number": first.case.number}
    elif first.party is not None and parties_for(by).filter(pk=first.party.pk).exists():
        where = _("bij klant %(name)s") % {"name": str(first.party)}
    else:
        where = _("bij een zaak of klant die je niet kan zien")
    raise ValidationError(
        {
            "file": _("Deze e-mail werd al geklasseerd op %(when)s, %(where)s.")
            % {"when": when, "where": where}
        }
    )


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


# -- a mailbox's rules and sender lists (the functional administrator) --------------------------


RULE_FIELDS = ["position", "name", "active", "sender", "recipient", "subject_contains", "target", "case_type"]
SENDER_FIELDS = ["allowed_senders", "denied_senders"]


def _require_rules_admin(by: User) -> None:
    if not can_manage_catalogue(by):
        raise ValidationError(_("Alleen de functioneel beheerder beheert de regels van een mailbox."))


def _address_or_domain(value: str, *, domain_allowed: bool = True) -> str | None:
    """The value in lower case when it is an e-mail address (or, when allowed, a domain written
    as @domein.be), else None."""
    value = value.strip().lower()
    try:
        if domain_allowed and value.startswith("@"):
            validate_email(f"postmaster{value}")
        else:
            validate_email(value)
    except ValidationError:
        return None
    return value


def _sender_list(text: str) -> tuple[str, list[str]]:
    """(the list, one entry a line, in lower case, each once; the lines that are no address or
    domain)."""
    entries: list[str] = []
    bad: list[str] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        clean = _address_or_domain(line)
        if clean is None:
            bad.append(line.strip())
        elif clean not in entries:
            entries.append(clean)
    return "\n".join(entries), bad


@transaction.atomic
def update_mailbox_senders(
    *, mailbox: Mailbox, by: User, allowed_senders: str, denied_senders: str
) -> Mailbox:
    """The mailbox's allow and deny lists (an address or @domein.be a line). A list with a line
    that is neither is refused whole, naming the lines; nothing changes."""
    _require_rules_admin(by)
    allowed, bad_allowed = _sender_list(allowed_senders)
    denied, bad_denied = _sender_list(denied_senders)
    errors: dict[str, list[str]] = {}
    for field, bad in (("allowed_senders", bad_allowed), ("denied_senders", bad_denied)):
        if bad:
            errors[field] = [
                _("Geen e-mailadres of domein (schrijf een domein als @voorbeeld.be): %(lines)s")
                % {"lines": ", ".join(bad[:10])}
            ]
    both = sorted(set(allowed.splitlines()) & set(denied.splitlines()))
    if both:
        errors.setdefault("denied_senders", []).append(
            _("Staat op beide lijsten: %(lines)s") % {"lines": ", ".join(both[:10])}
        )
    if errors:
        raise ValidationError(errors)
    locked = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
    before = snapshot(locked, SENDER_FIELDS)
    locked.allowed_senders, locked.denied_senders = allowed, denied
    locked.save(update_fields=[*SENDER_FIELDS, "updated_at"])
    record_change(
        instance=locked,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(locked, SENDER_FIELDS)),
        by=by,
    )
    mailbox.allowed_senders, mailbox.denied_senders = allowed, denied
    return locked


def _rule_summary(rule: MailRule) -> dict[str, Any]:
    """A rule as the mailbox's change log keeps it (rules have no id of their own there)."""
    return {
        "name": rule.name,
        "position": rule.position,
        "active": rule.active,
        "sender": rule.sender,
        "recipient": rule.recipient,
        "subject_contains": rule.subject_contains,
        "target": rule.target,
        "case_type": rule.case_type.code if rule.case_type_id and rule.case_type else None,
    }


def _check_rule(rule: MailRule) -> None:
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not rule.name:
        refuse("name", _("Geef de regel een naam."))
    elif len(rule.name) > 100:
        refuse("name", _("De naam is te lang (hoogstens 100 tekens)."))
    if rule.sender:
        clean = _address_or_domain(rule.sender)
        if clean is None:
            refuse("sender", _("Geef een e-mailadres of een domein (@voorbeeld.be) op."))
        else:
            rule.sender = clean
    if rule.recipient:
        clean = _address_or_domain(rule.recipient, domain_allowed=False)
        if clean is None:
            refuse("recipient", _("Geef een geldig e-mailadres op."))
        else:
            rule.recipient = clean
    if len(rule.subject_contains) > 200:
        refuse("subject_contains", _("Hoogstens 200 tekens."))
    if rule.target not in RuleTarget.values:
        refuse("target", _("Kies wat het bericht wordt."))
    elif rule.target == RuleTarget.CASE:
        if rule.case_type is None:
            refuse("case_type", _("Kies het zaaktype van de nieuwe zaak."))
        elif not rule.case_type.active:
            refuse("case_type", _("Dit zaaktype wordt niet meer gebruikt."))
    elif rule.target in {RuleTarget.COMPLAINT, RuleTarget.REPORT} and rule.target not in dict(
        intake_handlers
    ):
        refuse(
            "target",
            _("Er is geen verwerking voor '%(kind)s' geïnstalleerd.")
            % {"kind": RuleTarget(rule.target).label},
        )
    if rule.target != RuleTarget.CASE:
        rule.case_type = None
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_mail_rule(*, mailbox: Mailbox, by: User, rule: MailRule | None = None, **data: Any) -> MailRule:
    """A new rule of the mailbox, or a change to one of its rules. Everything wrong is named at
    once and nothing changes; the change is in the mailbox's change log (before → after)."""
    _require_rules_admin(by)
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    locked = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
    if rule is not None:
        rule = MailRule.objects.select_related("case_type").filter(pk=rule.pk, mailbox=locked).first()
        if rule is None:
            raise ValidationError(_("Deze regel hoort niet bij deze mailbox."))
    before = _rule_summary(rule) if rule is not None else None
    rule = rule or MailRule(mailbox=locked)
    for field, value in data.items():
        setattr(rule, field, value.strip() if isinstance(value, str) else value)
    _check_rule(rule)
    rule.save()
    record_change(
        instance=locked,
        action=ChangeAction.UPDATE,
        changes={"rule": [before, _rule_summary(rule)]},
        by=by,
    )
    return rule


@transaction.atomic
def delete_mail_rule(*, mailbox: Mailbox, rule: MailRule, by: User) -> None:
    _require_rules_admin(by)
    locked = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
    found = MailRule.objects.select_related("case_type").filter(pk=rule.pk, mailbox=locked).first()
    if found is None:
        raise ValidationError(_("Deze regel hoort niet bij deze mailbox."))
    record_change(
        instance=locked, action=ChangeAction.UPDATE, changes={"rule": [_rule_summary(found), None]}, by=by
    )
    found.delete()
