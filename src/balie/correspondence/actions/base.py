"""What every change to a post item shares: its row lock, its history line and event, the
workflow move, who may act, and its documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import is_employee
from balie.audit.actions import record_change
from balie.audit.models import ChangeAction
from balie.core.calendar import WorkingDayCalendar
from balie.core.events import DomainEvent, publish
from balie.documents.actions import (
    StoredFile,
    create_document,
    reclassify_document,
)
from balie.documents.models import Document
from balie.parties.models import Party

from ..models import (
    DocumentRole,
    EventKind,
    PostItem,
    PostItemDocument,
    PostItemEvent,
)
from ..permissions import can_register_post, can_route_post, can_work_post_item
from ..workflow import check_transition

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


def _document_title(item: PostItem, role: str, index: int) -> str:
    names: dict[str, str] = {
        DocumentRole.SCAN: _("Scan"),
        DocumentRole.ATTACHMENT: _("Bijlage"),
        DocumentRole.LETTER: _("Brief"),
        DocumentRole.SIGNED_COPY: _("Ondertekend exemplaar"),
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
