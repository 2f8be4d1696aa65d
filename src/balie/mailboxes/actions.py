"""Every change the outbound half of the mailboxes app makes: sending a mail (also resending one
that failed), recording a bounce, and keeping the mail templates.

`send_mail` checks everything that can be refused first and names it all at once; then it writes
the `.eml` (outside the transaction, removed again if anything after it fails) and records, in one
transaction, the outgoing contact moment, the `.eml` as a document of the contact (and of the case
while it is open), the `SentMail` row with its attachments, the outbox message and the change log.
A refused send changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import acts_for_municipality, can_manage_catalogue, can_register_contact
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.cases.models import Case, CaseDocument
from balie.cases.queries import cases_for
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import Channel, ContactMoment, ContactMomentDocument, Direction
from balie.contact_moments.queries import contact_moments_for
from balie.core.models import OutboxMessage
from balie.core.outbox import resend, write_message
from balie.correspondence.dispatch import record_bounce
from balie.correspondence.dispatch_queries import dispatch_for_message_id
from balie.correspondence.models import Dispatch, DispatchState
from balie.documents.actions import (
    check_new_document,
    create_document,
    discard_new_files_on_failure,
    write_file,
)
from balie.documents.files import document_storage
from balie.documents.models import Document
from balie.documents.queries import documents_for
from balie.parties.models import Party
from balie.parties.queries import parties_for

from .addressing import new_message_id, reply_address, subject_with_token
from .bounces import Bounce
from .models import Mailbox, MailTemplate, SentMail, SentMailAttachment, SentMailState
from .queries import sent_mails_for
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


# --- templates --------------------------------------------------------------------------------


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
