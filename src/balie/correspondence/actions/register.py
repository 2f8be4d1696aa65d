"""Registering incoming and outgoing post with its register number."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.audit.actions import record_creation
from balie.cases.models import Case
from balie.core.numbering import format_register_number, next_number
from balie.documents.actions import (
    discard_new_files_on_failure,
    write_file,
)
from balie.parties.models import Party

from ..models import (
    REGISTER_PREFIX,
    Direction,
    DocumentRole,
    EventKind,
    PostChannel,
    PostItem,
    PostStatus,
    ReplyKind,
    ScanBatch,
)
from ..scans import check_incoming_file
from .base import (
    ITEM_FIELDS,
    _event,
    _handler_error,
    _move,
    _party_error,
    _require_registrar,
    _store_documents,
    answer_deadline,
)
from .scanback import attach_signed_copy, returned_letter_of

# --- registering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NewFile:
    file: Any
    mime_type: str
    role: str


def _check_files(
    scan: Any, attachments: Sequence[Any], *, channel: str, errors: dict[str, list[str]]
) -> list[_NewFile]:
    files: list[_NewFile] = []
    wanted = [(scan, DocumentRole.SCAN if channel == PostChannel.PAPER else DocumentRole.ATTACHMENT, "scan")]
    wanted += [(attachment, DocumentRole.ATTACHMENT, "attachments") for attachment in attachments]
    for file, role, field in wanted:
        if file is None:
            continue
        try:
            mime_type = check_incoming_file(file, scan=role == DocumentRole.SCAN)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.message_dict.get("file", error.messages))
            continue
        files.append(_NewFile(file, mime_type, role))
    return files


def _register(
    item: PostItem, files: Sequence[_NewFile], *, by: User, handler: User | None = None
) -> PostItem:
    """Write the files, then number and save the item with its documents in one transaction."""
    year = timezone.localtime(item.registered_at).year
    with discard_new_files_on_failure():
        stored = [(write_file(new.file, mime_type=new.mime_type), new.role) for new in files]
        with transaction.atomic():
            prefix = REGISTER_PREFIX[Direction(item.direction)]
            item.number = format_register_number(
                prefix=prefix, year=year, number=next_number(register=prefix, year=year)
            )
            item.save()
            record_creation(instance=item, fields=ITEM_FIELDS, by=by)
            _event(item, EventKind.REGISTERED, by=by, to_status=item.status)
            if handler is not None:
                item.handler = handler
                item.assigned_at = timezone.now()
                _move(item, PostStatus.ASSIGNED, by=by, data={"handler": str(handler.uuid)})
            _store_documents(item, stored, by=by)
    return item


def _new_item(
    *,
    by: User,
    direction: str,
    channel: str,
    department: Department | None,
    subject: str,
    party: Party | None,
    correspondent_name: str,
    reference: str,
    confidential: bool,
    case: Case | None,
    contact_moment_ref: uuid.UUID | None,
    registered_at: dt.datetime | None,
    needs_details: bool,
    errors: dict[str, list[str]],
) -> PostItem:
    now = registered_at or timezone.now()
    if channel not in PostChannel.values:
        errors.setdefault("channel", []).append(_("Kies een kanaal."))
    if department is None:
        errors.setdefault("department", []).append(_("Kies de dienst."))
    elif not department.active:
        errors.setdefault("department", []).append(_("Deze dienst is niet meer actief."))
    if message := _party_error(party):
        errors.setdefault("party", []).append(message)
    if not needs_details:
        if not subject.strip():
            errors.setdefault("subject", []).append(_("Geef een onderwerp op."))
        if party is None and not correspondent_name.strip():
            who = _("afzender") if direction == Direction.INCOMING else _("geadresseerde")
            errors.setdefault("party", []).append(_("Kies de %(who)s of schrijf de naam.") % {"who": who})
    item = PostItem(
        number="",
        direction=direction,
        channel=channel,
        status=PostStatus.REGISTERED,
        status_changed_at=now,
        registered_at=now,
        registered_by=by,
        party=party,
        correspondent_name=correspondent_name.strip() if party is None else "",
        subject=subject.strip(),
        reference=reference.strip(),
        department=department,
        confidential=bool(confidential or (case is not None and case.confidential)),
        case=case,
        contact_moment_ref=contact_moment_ref,
        needs_details=needs_details,
    )
    try:
        item.full_clean(
            exclude=[
                "number",
                "registered_by",
                "party",
                "department",
                "handler",
                "case",
                "reply_to",
                "batch",
            ],
            validate_unique=False,
            validate_constraints=False,  # checked above, and by the database
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return item


def register_incoming(
    *,
    by: User,
    channel: str,
    department: Department | None,
    subject: str = "",
    received_on: dt.date | None = None,
    party: Party | None = None,
    correspondent_name: str = "",
    reference: str = "",
    handler: User | None = None,
    confidential: bool = False,
    case: Case | None = None,
    contact_moment_ref: uuid.UUID | None = None,
    scan: Any = None,
    attachments: Sequence[Any] = (),
    needs_details: bool = False,
    registered_at: dt.datetime | None = None,
    batch: ScanBatch | None = None,
    batch_index: int | None = None,
) -> PostItem:
    """Register incoming post with its `IN-YYYY-NNNNNN` number: a paper letter with its scan (PDF,
    TIFF, PNG, JPEG), an e-mail, an eBox or web message with its file. It lands in `department`'s
    queue (with `handler`: assigned to them), with the answer deadline counted from its receipt.
    Refused (ValidationError, every problem at once) before anything is written or numbered.

    A paper scan whose first page carries the QR code of one of our own outgoing letters that
    `by` may see is that letter's signed copy coming back: it is attached to that OUTGOING item
    (`scanback`) and that item is returned, with no new number; callers check `direction`."""
    _require_registrar(by)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        errors.setdefault("received_on", []).append(_("De ontvangstdatum ligt in de toekomst."))
    if message := _handler_error(handler, department):
        errors.setdefault("handler", []).append(message)
    item = _new_item(
        by=by,
        direction=Direction.INCOMING,
        channel=channel,
        department=department,
        subject=subject,
        party=party,
        correspondent_name=correspondent_name,
        reference=reference,
        confidential=confidential,
        case=case,
        contact_moment_ref=contact_moment_ref,
        registered_at=registered_at,
        needs_details=needs_details,
        errors=errors,
    )
    files = _check_files(scan, attachments, channel=channel, errors=errors)
    if errors:
        raise ValidationError(errors)
    if channel == PostChannel.PAPER and not attachments and files and files[0].role == DocumentRole.SCAN:
        # A signed copy of one of our own letters, scanned back: it goes to that outgoing item.
        returned = returned_letter_of(scan, by)
        if returned is not None:
            attach_signed_copy(item=returned, scan=scan, mime_type=files[0].mime_type, by=by)
            return returned
    item.received_on = received_on
    item.deadline = answer_deadline(received_on)
    item.batch, item.batch_index = batch, batch_index
    return _register(item, files, by=by, handler=handler)


def register_outgoing(
    *,
    by: User,
    channel: str,
    subject: str,
    department: Department | None = None,
    party: Party | None = None,
    correspondent_name: str = "",
    reference: str = "",
    confidential: bool = False,
    case: Case | None = None,
    contact_moment_ref: uuid.UUID | None = None,
    reply_to: PostItem | None = None,
    reply_kind: str = "",
    letter: Any = None,
    registered_at: dt.datetime | None = None,
) -> PostItem:
    """Register outgoing post with its `OUT-YYYY-NNNNNN` number, before it goes out (so that the
    number can be printed on the letter). `reply_to` is the incoming item it answers or
    acknowledges. A letter can come with it (a file) or later (`attach_letter`)."""
    _require_registrar(by)
    department = department or by.department
    errors: dict[str, list[str]] = {}
    if reply_to is not None and reply_to.direction != Direction.INCOMING:
        errors.setdefault("reply_to", []).append(_("Een antwoord hoort bij inkomende post."))
    item = _new_item(
        by=by,
        direction=Direction.OUTGOING,
        channel=channel,
        department=department,
        subject=subject,
        party=party,
        correspondent_name=correspondent_name,
        reference=reference,
        confidential=confidential or (reply_to is not None and reply_to.confidential),
        case=case,
        contact_moment_ref=contact_moment_ref,
        registered_at=registered_at,
        needs_details=False,
        errors=errors,
    )
    files: list[_NewFile] = []
    if letter is not None:
        try:
            files.append(_NewFile(letter, check_incoming_file(letter, scan=False), DocumentRole.LETTER))
        except ValidationError as error:
            errors.setdefault("letter", []).extend(error.message_dict.get("file", error.messages))
    if errors:
        raise ValidationError(errors)
    if reply_to is not None:
        item.reply_to = reply_to
        item.reply_kind = reply_kind or ReplyKind.ANSWER
    return _register(item, files, by=by)
