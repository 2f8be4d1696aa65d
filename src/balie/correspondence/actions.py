"""Every change to the post register: registering, routing, working and answering items, linking
them, their documents and dispatches. One transaction each, an audit record, a line in the item's
history, a domain event.

Register numbers: everything that can be refused is checked first, files are written before the
transaction opens, and the number is taken last, inside the registering transaction: a refused
registration takes no number, and one that fails after taking it gives it back with the rollback
(`core.numbering`). So the register stays gap-free.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import is_employee
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.cases.models import Case
from balie.core.calendar import WorkingDayCalendar
from balie.core.events import DomainEvent, publish
from balie.core.numbering import format_register_number, next_number
from balie.documents.actions import (
    StoredFile,
    create_document,
    discard_new_files_on_failure,
    reclassify_document,
    write_file,
)
from balie.documents.models import Document
from balie.documents.queries import documents_for
from balie.parties.models import Party

from .models import (
    OPEN_STATUSES,
    REGISTER_PREFIX,
    Direction,
    Dispatch,
    DispatchState,
    DocumentRole,
    EventKind,
    PostChannel,
    PostItem,
    PostItemDocument,
    PostItemEvent,
    PostStatus,
    ReplyKind,
    ScanBatch,
)
from .permissions import can_register_post, can_route_post, can_work_post_item
from .scans import check_incoming_file
from .workflow import check_transition

ITEM_FIELDS = [
    "number", "direction", "channel", "status", "received_on", "sent_on", "party", "correspondent_name",
    "subject", "reference", "department", "handler", "deadline", "confidential", "case",
    "contact_moment_ref", "reply_to", "reply_kind", "needs_details",
]  # fmt: skip
DETAIL_FIELDS = {"party", "correspondent_name", "subject", "reference", "received_on", "confidential"}
RELATED = ("party", "department", "handler", "case", "registered_by")


# --- helpers ----------------------------------------------------------------------------------


def answer_deadline(received_on: dt.date, calendar: WorkingDayCalendar | None = None) -> dt.date:
    """The day the addressed department must have answered by: BALIE_POST_ANSWER_WORKING_DAYS
    working days (Belgian holidays and the municipality's closing days left out) after receipt."""
    calendar = calendar or WorkingDayCalendar()
    return calendar.add_working_days(received_on, int(settings.BALIE_POST_ANSWER_WORKING_DAYS))


def _lock(item: PostItem) -> PostItem:
    """Lock the item's row, then read it fresh (two queries: see cases.actions._lock)."""
    PostItem.objects.select_for_update().filter(pk=item.pk).values_list("pk").get()
    return PostItem.objects.select_related(*RELATED).get(pk=item.pk)


def _event(
    item: PostItem,
    kind: str,
    *,
    by: User | None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: Mapping[str, Any] | None = None,
) -> PostItemEvent:
    """Append one line to the item's history (the item is new or locked) and publish it. The
    event names the item by id, number and status only: never its subject or sender."""
    item.history_count += 1
    PostItem.objects.filter(pk=item.pk).update(history_count=item.history_count, updated_at=timezone.now())
    event = PostItemEvent.objects.create(
        item=item,
        sequence=item.history_count,
        kind=kind,
        at=timezone.now(),
        by=by,
        from_status=from_status,
        to_status=to_status,
        reason=reason.strip()[:500],
        data=dict(data or {}),
    )
    publish(
        DomainEvent(
            type=f"be.balie.post_item.{kind}",
            subject=str(item.uuid),
            department=item.department.code,
            data={
                "post_item": str(item.uuid),
                "number": item.number,
                "direction": item.direction,
                "status": item.status,
                **dict(data or {}),
            },
        )
    )
    return event


def _move(
    item: PostItem, new: str, *, by: User | None, reason: str = "", data: Mapping[str, Any] | None = None
) -> None:
    """Change the status of a locked item through the workflow, with its history line."""
    check_transition(item, new, reason=reason, handler_id=item.handler_id)
    old = item.status
    item.status = new
    item.status_changed_at = timezone.now()
    item.save(update_fields=["status", "status_changed_at", "handler", "assigned_at", "updated_at"])
    record_change(
        instance=item, action=ChangeAction.UPDATE, changes={"status": [old, new]}, by=by, reason=reason
    )
    _event(item, EventKind.STATUS, by=by, from_status=old, to_status=new, reason=reason, data=data)


def _require_registrar(by: User) -> None:
    if not can_register_post(by):
        raise ValidationError(_("Alleen een medewerker van een dienst kan post registreren."))


def _require_worker(item: PostItem, by: User) -> None:
    if not (can_work_post_item(by, item) or can_route_post(by)):
        raise ValidationError(
            _("Alleen de behandelaar of iemand van de dienst %(department)s kan dit poststuk behandelen.")
            % {"department": item.department.name}
        )


def _handler_error(handler: User | None, department: Department | None) -> str:
    if handler is None or department is None:
        return ""
    if not is_employee(handler) or handler.department_id != department.pk:
        return _("Kies een actieve medewerker van de dienst %(department)s.") % {
            "department": department.name
        }
    return ""


def _party_error(party: Party | None) -> str:
    if party is not None and party.merged_into_id is not None:
        return _("Deze klant is samengevoegd; kies de overblijvende klant.")
    return ""


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


def _document_title(item: PostItem, role: str, index: int) -> str:
    names = {
        DocumentRole.SCAN: _("Scan"),
        DocumentRole.ATTACHMENT: _("Bijlage"),
        DocumentRole.LETTER: _("Brief"),
    }
    suffix = f" {index}" if index > 1 else ""
    return f"{names[role]}{suffix} {item.number}"


def _store_documents(item: PostItem, stored: Iterable[tuple[StoredFile, str]], *, by: User) -> None:
    counts: dict[str, int] = {}
    for file, role in stored:
        counts[role] = counts.get(role, 0) + 1
        document = create_document(
            stored=file,
            title=_document_title(item, role, counts[role]),
            by=by,
            confidential=item.confidential,
            department=item.department,
        )
        _link_document(item, document, role=role, by=by)


def _link_document(item: PostItem, document: Document, *, role: str, by: User) -> PostItemDocument:
    link = PostItemDocument.objects.create(
        item=item, document=document, role=role, added_by=by, added_at=timezone.now()
    )
    version = document.current_version
    _event(
        item,
        EventKind.DOCUMENT,
        by=by,
        data={"document": str(document.uuid), "role": role, "version": version.number if version else None},
    )
    return link


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
    Refused (ValidationError, every problem at once) before anything is written or numbered."""
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


# --- details, routing, status -------------------------------------------------------------------


def _reclassify_documents(item: PostItem, *, old_department_id: int, by: User, reason: str) -> None:
    """The item's own documents (those of its department) follow its department and confidentiality."""
    links = PostItemDocument.objects.filter(
        item=item, document__department_id=old_department_id
    ).select_related("document")
    for link in links:
        reclassify_document(
            document=link.document,
            confidential=item.confidential,
            department=item.department,
            by=by,
            reason=reason or _("Volgt poststuk %(number)s.") % {"number": item.number},
        )


def _apply_details(item: PostItem, data: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    """Put changed details on a locked item, checking them (errors collected, nothing saved)."""
    unknown = set(data) - DETAIL_FIELDS
    for name in sorted(unknown):
        errors.setdefault(name, []).append(_("Dit veld kan niet gewijzigd worden."))
    if "party" in data and (message := _party_error(data["party"])):
        errors.setdefault("party", []).append(message)
    for key, value in data.items():
        if key in DETAIL_FIELDS:
            setattr(item, key, value.strip() if isinstance(value, str) else value)
    if item.party_id is not None:
        item.correspondent_name = ""
    if not item.subject:
        errors.setdefault("subject", []).append(_("Geef een onderwerp op."))
    if item.party_id is None and not item.correspondent_name:
        errors.setdefault("party", []).append(_("Kies de afzender of schrijf de naam."))
    if item.is_incoming:
        if item.received_on is None or item.received_on > timezone.localdate():
            errors.setdefault("received_on", []).append(_("De ontvangstdatum ligt in de toekomst."))
        elif "received_on" in data:
            item.deadline = answer_deadline(item.received_on)
    try:
        item.full_clean(
            exclude=["registered_by", "party", "department", "handler", "case", "reply_to", "batch"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _save_details(item: PostItem, before: dict[str, Any], *, by: User, completed: bool) -> None:
    item.save()
    changes = diff(before, snapshot(item, ITEM_FIELDS))
    record_change(instance=item, action=ChangeAction.UPDATE, changes=changes, by=by)
    if "confidential" in changes:
        _reclassify_documents(item, old_department_id=item.department_id, by=by, reason="")
    if changes or completed:
        _event(item, EventKind.DETAILS, by=by, data={"fields": sorted(changes), "completed": completed})


@transaction.atomic
def update_details(*, item: PostItem, by: User, **data: Any) -> PostItem:
    """Change what was registered: sender (`party` or `correspondent_name`), subject, reference,
    date of receipt (the deadline follows), confidentiality (the item's documents follow)."""
    item = _lock(item)
    _require_worker(item, by)
    if item.needs_details:
        raise ValidationError(_("Vul dit poststuk eerst aan in de postkamer."))
    before = snapshot(item, ITEM_FIELDS)
    errors: dict[str, list[str]] = {}
    _apply_details(item, data, errors)
    if errors:
        raise ValidationError(errors)
    _save_details(item, before, by=by, completed=False)
    return item


@transaction.atomic
def complete_details(
    *,
    item: PostItem,
    by: User,
    department: Department | None = None,
    handler: User | None = None,
    **data: Any,
) -> PostItem:
    """Complete an item from a batch scan: who sent it and what about (and where it goes). It then
    joins its department's queue like any other item, or its handler's."""
    item = _lock(item)
    if not item.needs_details:
        raise ValidationError(_("Dit poststuk is al aangevuld."))
    if not (can_route_post(by) or item.registered_by_id == by.pk or can_work_post_item(by, item)):
        raise ValidationError(_("Alleen de postkamer kan dit poststuk aanvullen."))
    before = snapshot(item, ITEM_FIELDS)
    errors: dict[str, list[str]] = {}
    _apply_details(item, data, errors)
    department = department or item.department
    if not department.active:
        errors.setdefault("department", []).append(_("Deze dienst is niet meer actief."))
    if message := _handler_error(handler, department):
        errors.setdefault("handler", []).append(message)
    if errors:
        raise ValidationError(errors)
    item.needs_details = False
    _save_details(item, before, by=by, completed=True)
    if department.pk != item.department_id or handler is not None:
        _route(item, by=by, department=department, handler=handler, reason="")
    return item


@transaction.atomic
def assign(
    *,
    item: PostItem,
    by: User,
    department: Department | None = None,
    handler: User | None = None,
    reason: str = "",
) -> PostItem:
    """Route an open incoming item: to another department (its queue), and/or to a handler. The post
    room, a team lead or the administrator route freely; anyone of the item's department takes it
    (handler = themselves) or, as its handler, gives it back (no handler). Without a handler the
    item is back in its department's queue (registered)."""
    item = _lock(item)
    department = department or item.department
    if item.needs_details:
        raise ValidationError({"status": _("Vul eerst de afzender en het onderwerp aan.")})
    own = department.pk == item.department_id and can_work_post_item(by, item)
    taking = own and handler is not None and handler.pk == by.pk
    giving_back = own and handler is None and item.handler_id == by.pk
    if not (can_route_post(by) or taking or giving_back):
        raise ValidationError(
            _("Alleen de postkamer of een teamverantwoordelijke kan poststukken toewijzen.")
        )
    if message := _handler_error(handler, department):
        raise ValidationError({"handler": message})
    return _route(item, by=by, department=department, handler=handler, reason=reason)


def _route(
    item: PostItem, *, by: User, department: Department, handler: User | None, reason: str
) -> PostItem:
    """Move a locked incoming item to `department` and `handler` (checked by the caller)."""
    if not item.is_incoming:
        raise ValidationError(_("Alleen inkomende post wordt toegewezen."))
    if item.status not in OPEN_STATUSES:
        raise ValidationError(
            {
                "status": _("Dit poststuk is %(status)s; heropen het eerst.")
                % {"status": item.get_status_display()}
            }
        )
    if not department.active:
        raise ValidationError({"department": _("Deze dienst is niet meer actief.")})
    if department.pk == item.department_id and (handler.pk if handler else None) == item.handler_id:
        raise ValidationError({"handler": _("Het poststuk is al zo toegewezen.")})
    before = snapshot(item, ["department", "handler"])
    old_department_id, old_status = item.department_id, item.status
    new_status = PostStatus.ASSIGNED if handler else PostStatus.REGISTERED
    item.department, item.handler = department, handler
    item.assigned_at = timezone.now() if handler else None
    if new_status != old_status:
        check_transition(item, new_status, reason=reason, handler_id=item.handler_id)
        item.status, item.status_changed_at = new_status, timezone.now()
    item.save()
    changes = diff(before, snapshot(item, ["department", "handler"]))
    if new_status != old_status:
        changes["status"] = [old_status, new_status]
    record_change(instance=item, action=ChangeAction.UPDATE, changes=changes, by=by, reason=reason)
    if department.pk != old_department_id:
        _reclassify_documents(item, old_department_id=old_department_id, by=by, reason=reason)
    data = {"department": str(department.uuid), "handler": str(handler.uuid) if handler else None}
    _event(
        item,
        EventKind.ASSIGNED,
        by=by,
        from_status=old_status,
        to_status=new_status,
        reason=reason,
        data=data,
    )
    return item


@transaction.atomic
def change_status(*, item: PostItem, status: str, by: User, reason: str = "") -> PostItem:
    """Start the treatment, stop it, file an item, reopen an answered or filed one. Answering goes
    through `answer` (it names the reply), sending through a dispatch."""
    item = _lock(item)
    _require_worker(item, by)
    if status == PostStatus.ANSWERED:
        return _answer(item, by=by, reply=None, reason=reason)
    if status == PostStatus.SENT:
        raise ValidationError(
            {"status": _("Een uitgaand poststuk is verstuurd wanneer een verzending lukte.")}
        )
    if status == PostStatus.REGISTERED and item.is_incoming:
        item.handler, item.assigned_at = None, None
    if (
        status == PostStatus.IN_TREATMENT
        and item.handler_id is None
        and item.department_id == by.department_id
    ):
        item.handler, item.assigned_at = by, timezone.now()  # whoever starts it takes it
    _move(item, status, by=by, reason=reason)
    return item


def _answer(item: PostItem, *, by: User, reply: PostItem | None, reason: str) -> PostItem:
    if not item.is_incoming:
        raise ValidationError(_("Alleen inkomende post wordt beantwoord."))
    if reply is None and not reason.strip():
        raise ValidationError({"reply": _("Kies het uitgaande antwoord, of zeg hoe er geantwoord werd.")})
    data: dict[str, Any] = {}
    if reply is not None:
        reply = _lock(reply)
        if reply.direction != Direction.OUTGOING:
            raise ValidationError({"reply": _("Het antwoord is een uitgaand poststuk.")})
        if reply.reply_to_id not in (None, item.pk):
            raise ValidationError({"reply": _("Dit uitgaande poststuk antwoordt al op een ander poststuk.")})
        data = {"reply": str(reply.uuid), "reply_number": reply.number}
    _move(item, PostStatus.ANSWERED, by=by, reason=reason, data=data)
    if reply is not None and reply.reply_to_id is None:
        reply.reply_to, reply.reply_kind = item, ReplyKind.ANSWER
        reply.save(update_fields=["reply_to", "reply_kind", "updated_at"])
        record_change(
            instance=reply, action=ChangeAction.UPDATE, changes={"reply_to": [None, item.number]}, by=by
        )
        _event(
            reply, EventKind.REPLY, by=by, data={"reply_to": str(item.uuid), "reply_to_number": item.number}
        )
    return item


@transaction.atomic
def answer(*, item: PostItem, by: User, reply: PostItem | None = None, reason: str = "") -> PostItem:
    """The item is answered: by the outgoing item `reply` (linked to it), or otherwise (by phone, at
    the counter: say how in `reason`)."""
    item = _lock(item)
    _require_worker(item, by)
    return _answer(item, by=by, reply=reply, reason=reason)


@transaction.atomic
def register_answer(
    *, item: PostItem, by: User, channel: str, subject: str, letter: Any = None, reason: str = ""
) -> PostItem:
    """Register the outgoing answer to an incoming item (to its sender, in its case) and mark the
    item answered, in one go. Returns the outgoing item."""
    locked = _lock(item)
    _require_worker(locked, by)
    check_transition(locked, PostStatus.ANSWERED, handler_id=locked.handler_id)
    reply = register_outgoing(
        by=by,
        channel=channel,
        subject=subject,
        department=locked.department,
        party=locked.party,
        correspondent_name=locked.correspondent_name,
        confidential=locked.confidential,
        case=locked.case,
        reply_to=locked,
        reply_kind=ReplyKind.ANSWER,
        letter=letter,
    )
    _answer(locked, by=by, reply=reply, reason=reason)
    return reply


# --- acknowledgement and letters (the seam for letters from templates) -----------------------


@transaction.atomic
def register_acknowledgement(*, item: PostItem, by: User, channel: str = PostChannel.PAPER) -> PostItem:
    """Register the outgoing acknowledgement of receipt of an incoming item (to its sender), so
    that its `OUT` number can be printed on the letter; the letter itself comes with
    `attach_letter` once it is made (e.g. from a template). Returns the outgoing item."""
    locked = _lock(item)
    _require_worker(locked, by)
    if not locked.is_incoming:
        raise ValidationError(_("Alleen van inkomende post wordt de ontvangst gemeld."))
    if locked.needs_details:
        raise ValidationError({"status": _("Vul eerst de afzender en het onderwerp aan.")})
    if PostItem.objects.filter(reply_to=locked, reply_kind=ReplyKind.ACKNOWLEDGEMENT).exists():
        raise ValidationError(_("De ontvangst van dit poststuk is al gemeld."))
    acknowledgement = register_outgoing(
        by=by,
        channel=channel,
        subject=_("Ontvangstmelding %(number)s: %(subject)s")
        % {"number": locked.number, "subject": locked.subject},
        department=locked.department,
        party=locked.party,
        correspondent_name=locked.correspondent_name,
        reference=locked.reference,
        confidential=locked.confidential,
        case=locked.case,
        reply_to=locked,
        reply_kind=ReplyKind.ACKNOWLEDGEMENT,
    )
    _event(
        locked,
        EventKind.ACKNOWLEDGED,
        by=by,
        data={"acknowledgement": str(acknowledgement.uuid), "acknowledgement_number": acknowledgement.number},
    )
    return acknowledgement


@transaction.atomic
def attach_letter(*, item: PostItem, document: Document, by: User) -> PostItemDocument:
    """The letter of an outgoing item (rendered from a template, or written by hand): a document
    already in the store, which `by` may see. One letter per item; a corrected letter is a new
    version of that document."""
    item = _lock(item)
    _require_worker(item, by)
    if item.direction != Direction.OUTGOING:
        raise ValidationError(_("Alleen uitgaande post krijgt een brief."))
    if item.status != PostStatus.REGISTERED:
        raise ValidationError(_("Dit poststuk is al verstuurd of geklasseerd."))
    if not documents_for(by).filter(pk=document.pk).exists():
        raise ValidationError({"document": _("Dit document bestaat niet of je mag het niet zien.")})
    existing = PostItemDocument.objects.filter(item=item, role=DocumentRole.LETTER).first()
    if existing is not None:
        if existing.document_id == document.pk:
            return existing
        raise ValidationError(
            {"document": _("Dit poststuk heeft al een brief; maak een nieuwe versie van die brief.")}
        )
    if PostItemDocument.objects.filter(item=item, document=document).exists():
        raise ValidationError({"document": _("Dit document hoort al bij het poststuk.")})
    return _link_document(item, document, role=DocumentRole.LETTER, by=by)


def add_document(*, item: PostItem, file: Any, role: str, by: User) -> PostItemDocument:
    """Add a scan or attachment to an item after it was registered."""
    if role not in (DocumentRole.SCAN, DocumentRole.ATTACHMENT):
        raise ValidationError({"role": _("Kies scan of bijlage.")})
    _require_worker(item, by)
    mime_type = check_incoming_file(file, scan=role == DocumentRole.SCAN)
    with discard_new_files_on_failure():
        stored = write_file(file, mime_type=mime_type)
        with transaction.atomic():
            locked = _lock(item)
            count = PostItemDocument.objects.filter(item=locked, role=role).count()
            document = create_document(
                stored=stored,
                title=_document_title(locked, role, count + 1),
                by=by,
                confidential=locked.confidential,
                department=locked.department,
            )
            return _link_document(locked, document, role=role, by=by)


# --- links --------------------------------------------------------------------------------------


@transaction.atomic
def link_case(*, item: PostItem, case: Case | None, by: User) -> PostItem:
    """Link the item to a case (the caller found it as `by` may see it), or unlink it (None)."""
    item = _lock(item)
    _require_worker(item, by)
    if item.case_id == (case.pk if case else None):
        return item
    before = item.case.number if item.case else None
    item.case = case
    item.save(update_fields=["case", "updated_at"])
    record_change(
        instance=item,
        action=ChangeAction.UPDATE,
        changes={"case": [before, case.number if case else None]},
        by=by,
    )
    _event(item, EventKind.CASE, by=by, data={"case": str(case.uuid) if case else None})
    return item


@transaction.atomic
def link_contact_moment(*, item: PostItem, contact_moment_ref: uuid.UUID | None, by: User) -> PostItem:
    """Name the contact moment the item came with (its public id: the caller found it as `by` may
    see it; contact moments live beside this app, see models.py), or none."""
    item = _lock(item)
    _require_worker(item, by)
    if item.contact_moment_ref == contact_moment_ref:
        return item
    before = str(item.contact_moment_ref) if item.contact_moment_ref else None
    item.contact_moment_ref = contact_moment_ref
    item.save(update_fields=["contact_moment_ref", "updated_at"])
    after = str(contact_moment_ref) if contact_moment_ref else None
    record_change(
        instance=item, action=ChangeAction.UPDATE, changes={"contact_moment_ref": [before, after]}, by=by
    )
    _event(item, EventKind.CONTACT, by=by, data={"contact_moment": after})
    return item


# --- dispatch (the record; the channels are adapters of their own) -------------------------------

DISPATCH_NEXT: dict[str, set[str]] = {
    DispatchState.QUEUED: {DispatchState.SENT, DispatchState.FAILED},
    DispatchState.SENT: {DispatchState.DELIVERED, DispatchState.BOUNCED},
    DispatchState.DELIVERED: {DispatchState.BOUNCED},
    DispatchState.BOUNCED: set(),
    DispatchState.FAILED: set(),
}
DISPATCH_TIMES = {
    DispatchState.SENT: "sent_at",
    DispatchState.DELIVERED: "delivered_at",
    DispatchState.BOUNCED: "bounced_at",
    DispatchState.FAILED: "failed_at",
}


@transaction.atomic
def record_dispatch(
    *, item: PostItem, channel: str, by: User, address: str = "", registered_mail: bool = False
) -> Dispatch:
    """An outgoing item is about to go out over `channel` (to `address`): the dispatch is queued."""
    item = _lock(item)
    _require_worker(item, by)
    if item.direction != Direction.OUTGOING:
        raise ValidationError(_("Alleen uitgaande post wordt verstuurd."))
    if item.status != PostStatus.REGISTERED:
        raise ValidationError(_("Dit poststuk is al verstuurd of geklasseerd."))
    if channel not in PostChannel.values or channel == PostChannel.COUNTER:
        raise ValidationError({"channel": _("Kies e-mail, eBox, papier of website.")})
    dispatch = Dispatch.objects.create(
        item=item,
        channel=channel,
        address=address.strip()[:300],
        registered_mail=registered_mail,
        queued_at=timezone.now(),
        created_by=by,
    )
    _event(
        item,
        EventKind.DISPATCH,
        by=by,
        data={"dispatch": str(dispatch.uuid), "state": dispatch.state, "channel": channel},
    )
    return dispatch


@transaction.atomic
def record_dispatch_state(
    *,
    dispatch: Dispatch,
    state: str,
    by: User | None,
    at: dt.datetime | None = None,
    detail: str = "",
    external_id: str = "",
) -> Dispatch:
    """What a channel reports: sent, delivered, bounced, failed. A sent dispatch makes the item
    sent (with its date); a bounce after that brings the item back to registered, so that it can
    go out another way, and says why in its history."""
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if state not in DISPATCH_NEXT.get(dispatch.state, set()):
        raise ValidationError(
            {
                "state": _("Een verzending die %(current)s is, kan niet %(new)s worden.")
                % {"current": dispatch.get_state_display(), "new": DispatchState(state).label}
            }
        )
    at = at or timezone.now()
    old = dispatch.state
    dispatch.state = state
    setattr(dispatch, DISPATCH_TIMES[state], at)
    dispatch.detail = detail.strip()[:500] or dispatch.detail
    dispatch.external_id = external_id.strip()[:200] or dispatch.external_id
    dispatch.save()
    item = _lock(dispatch.item)
    data = {"dispatch": str(dispatch.uuid), "state": state, "channel": dispatch.channel}
    if state == DispatchState.SENT and item.status == PostStatus.REGISTERED:
        item.sent_on = timezone.localtime(at).date()
        item.save(update_fields=["sent_on", "updated_at"])
        _move(item, PostStatus.SENT, by=by, data=data)
    elif state == DispatchState.BOUNCED and item.status == PostStatus.SENT:
        reason = detail.strip() or _("Teruggekomen (%(channel)s).") % {
            "channel": dispatch.get_channel_display()
        }
        _move(item, PostStatus.REGISTERED, by=by, reason=reason, data=data)
    else:
        _event(item, EventKind.DISPATCH, by=by, from_status=old, to_status="", reason=detail, data=data)
    return dispatch


# --- handlers for lower apps (registered in apps.py) -------------------------------------------


def move_post_items_to_survivor(survivor: Party, duplicate: Party) -> int:
    """Merge handler: the duplicate's post items follow the survivor."""
    return PostItem.objects.filter(party=duplicate).update(party=survivor, updated_at=timezone.now())


def release_post_items_of_case(case: Case, by: Any) -> int:
    """Case destruction handler: the case is destroyed; its post items stay in the register (they
    have a retention of their own), their link to the case is cleared and that is in their history."""
    items = list(
        PostItem.objects.select_for_update().filter(case=case).select_related("department").order_by("pk")
    )
    reason = _("Zaak vernietigd na archiefbeoordeling.")
    for item in items:
        record_change(
            instance=item,
            action=ChangeAction.UPDATE,
            changes={"case": [case.number, None]},
            by=by,
            reason=reason,
        )
        item.case = None
        item.save(update_fields=["case", "updated_at"])
        _event(
            item, EventKind.CASE, by=by if isinstance(by, User) else None, reason=reason, data={"case": None}
        )
    return len(items)
