"""Working an item: its details, its department and handler, its status, its answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.audit.actions import diff, record_change, snapshot
from balie.audit.models import ChangeAction

from ..models import (
    OPEN_STATUSES,
    Direction,
    EventKind,
    PostItem,
    PostStatus,
    ReplyKind,
)
from ..permissions import can_route_post, can_work_post_item
from ..workflow import check_transition
from .base import (
    DETAIL_FIELDS,
    ITEM_FIELDS,
    _event,
    _handler_error,
    _lock,
    _move,
    _party_error,
    _reclassify_documents,
    _require_worker,
    answer_deadline,
)
from .register import register_outgoing

# --- details, routing, status -------------------------------------------------------------------


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


def start_treatment(*, item: PostItem, by: User) -> PostItem:
    """The handler (or, for an item nobody has, whoever starts it) begins working the item."""
    return change_status(item=item, status=PostStatus.IN_TREATMENT, by=by)


def file_item(*, item: PostItem, by: User, reason: str) -> PostItem:
    """File an item that needs no (further) answer, saying why."""
    return change_status(item=item, status=PostStatus.FILED, by=by, reason=reason)


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
