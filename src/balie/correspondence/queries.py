"""Reads of the post register, with the visibility rule in one place: whoever acts for the
municipality sees post items that are not confidential; a confidential item only its department.
Citizens and anonymous users see nothing here; what one may not see is "not found".

Lists are keyset-paginated and never count whole tables.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality
from balie.cases.models import Case
from balie.core.timeline import TimelineEntry
from balie.documents.models import DocumentVersion, Letter
from balie.documents.queries import visible_documents
from balie.documents.registries import DocumentLink
from balie.parties.models import Party, PartyKind

from .models import (
    OPEN_STATUSES,
    Direction,
    Dispatch,
    DocumentRole,
    PostChannel,
    PostItem,
    PostItemDocument,
    PostItemEvent,
    PostStatus,
    ScanBatch,
    ScanBatchState,
)

NUMBER = re.compile(r"^(IN|OUT)-\d{4}-\d{6}$", re.IGNORECASE)
LIST_RELATED = ("party", "department", "handler")


def _visible(user: Any, prefix: str = "") -> Q:
    return Q(**{f"{prefix}confidential": False}) | Q(**{f"{prefix}department_id": user.department_id})


def post_items_for(user: Any) -> QuerySet[PostItem]:
    if not acts_for_municipality(user):
        return PostItem.objects.none()
    return PostItem.objects.filter(_visible(user))


def get_post_item_for(user: Any, item_id: uuid.UUID | str) -> PostItem:
    """The item by public id or register number, or 404 when it does not exist or `user` may not
    see it."""
    rows = post_items_for(user).select_related(
        "party", "department", "handler", "case", "registered_by", "reply_to", "batch"
    )
    try:
        if isinstance(item_id, str) and NUMBER.match(item_id.strip()):
            return rows.get(number=item_id.strip().upper())
        return rows.get(uuid=item_id)
    except (PostItem.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class PostQueueFilter:
    scope: str = "department"  # "mine", "department"
    department_id: int | None = None
    direction: str = Direction.INCOMING
    status: str = ""  # one status, or "" for every open one
    channel: str = ""
    handler_id: int | None = None
    unassigned: bool = False
    deadline: str = ""  # "", "overdue", "due_soon", "on_time"
    include_closed: bool = False


SOON_DAYS = 3


def queue_for(
    user: Any, filters: PostQueueFilter, *, after: tuple[str, int] | None = None, limit: int = 50
) -> list[PostItem]:
    """One page of a post queue. Incoming items by deadline (soonest first), keyset on (deadline,
    id); outgoing ones newest first, keyset on (registered_at, id). `after` is the key of the last
    row seen (ISO text, id). Open items only unless `include_closed`; items from a batch scan that
    still need their details are not in a queue yet (the post room completes them)."""
    rows = post_items_for(user).filter(direction=filters.direction, needs_details=False)
    if filters.scope == "mine":
        rows = rows.filter(handler_id=user.pk)
    else:
        rows = rows.filter(department_id=filters.department_id or user.department_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    elif not filters.include_closed:
        rows = rows.filter(status__in=OPEN_STATUSES)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.unassigned:
        rows = rows.filter(handler__isnull=True)
    elif filters.handler_id:
        rows = rows.filter(handler_id=filters.handler_id)
    today = timezone.localdate()
    soon = today + dt.timedelta(days=SOON_DAYS)
    if filters.deadline == "overdue":
        rows = rows.filter(deadline__lt=today)
    elif filters.deadline == "due_soon":
        rows = rows.filter(deadline__gte=today, deadline__lte=soon)
    elif filters.deadline == "on_time":
        rows = rows.filter(deadline__gt=soon)
    rows = rows.select_related(*LIST_RELATED)
    if filters.direction == Direction.OUTGOING:
        if after is not None:
            at, pk = dt.datetime.fromisoformat(after[0]), after[1]
            rows = rows.filter(
                Q(registered_at__lt=at) | Q(registered_at=at, id__lt=pk), registered_at__lte=at
            )
        return list(rows.order_by("-registered_at", "-id")[:limit])
    if after is not None:
        day, pk = dt.date.fromisoformat(after[0]), after[1]
        rows = rows.filter(Q(deadline__gt=day) | Q(deadline=day, id__gt=pk), deadline__gte=day)
    return list(rows.order_by("deadline", "id")[:limit])


def queue_key(item: PostItem) -> tuple[str, int]:
    """The keyset position of a row in its queue (see queue_for)."""
    if item.direction == Direction.OUTGOING or item.deadline is None:
        return (item.registered_at.isoformat(), item.pk)
    return (item.deadline.isoformat(), item.pk)


def is_overdue(item: PostItem, today: dt.date | None = None) -> bool:
    return bool(item.is_open and item.deadline and item.deadline < (today or timezone.localdate()))


def recent_registrations(user: Any, *, limit: int = 10) -> list[PostItem]:
    """What `user` registered last (the post room's list), as far as they may still see it."""
    return list(
        post_items_for(user)
        .filter(registered_by_id=user.pk)
        .select_related(*LIST_RELATED)
        .order_by("-registered_at", "-id")[:limit]
    )


def items_to_complete(user: Any, *, limit: int = 50) -> list[PostItem]:
    """Items from batch scans of `user`'s department that still need sender and subject, oldest
    first (the order of the stack)."""
    if not acts_for_municipality(user) or user.department_id is None:
        return []
    return list(
        post_items_for(user)
        .filter(needs_details=True, registered_by__department_id=user.department_id)
        .select_related("department", "batch")
        .order_by("registered_at", "id")[:limit]
    )


def next_to_complete(user: Any, after: PostItem) -> PostItem | None:
    """The item to complete after `after` (in the order of the stack), if any."""
    rows = items_to_complete(user, limit=200)
    later = [item for item in rows if (item.registered_at, item.pk) > (after.registered_at, after.pk)]
    following = later or rows
    return following[0] if following else None


def item_history(item: PostItem, *, limit: int = 200) -> list[PostItemEvent]:
    return list(PostItemEvent.objects.filter(item=item).select_related("by").order_by("-sequence")[:limit])


def item_documents(user: Any, item: PostItem) -> list[PostItemDocument]:
    """The item's documents that `user` may see (a confidential one only its department), with
    their versions, in the order they were added."""
    rule = visible_documents(user, prefix="document__")
    if rule is None:
        return []
    return list(
        PostItemDocument.objects.filter(rule, item=item)
        .select_related("document__current_version", "added_by")
        .prefetch_related(
            Prefetch(
                "document__versions",
                queryset=DocumentVersion.objects.select_related("created_by").order_by("-number"),
            )
        )
        .order_by("added_at", "id")
    )


def replies_to(user: Any, item: PostItem) -> list[PostItem]:
    """The outgoing items that answer or acknowledge `item`, as `user` may see them."""
    return list(
        post_items_for(user).filter(reply_to=item).select_related("department").order_by("registered_at")
    )


def persons_concerned_by(document: Any) -> list[uuid.UUID]:
    """The persons who sent or get a post item the document belongs to: reading the document (the
    scan of their letter) reads about them (the personal-data access log)."""
    return list(
        Party.objects.filter(post_items__documents__document=document, kind=PartyKind.PERSON)
        .values_list("uuid", flat=True)
        .distinct()
    )


def post_item_links(user: Any, document_ids: Sequence[int]) -> dict[int, list[DocumentLink]]:
    """Document link provider (registered in apps.py): the post items each document belongs to,
    those `user` may see."""
    if not acts_for_municipality(user):
        return {}
    links: dict[int, list[DocumentLink]] = {}
    rows = (
        PostItemDocument.objects.filter(document_id__in=list(document_ids))
        .filter(_visible(user, prefix="item__"))
        .select_related("item")
        .order_by("added_at", "id")
    )
    for row in rows:
        label = f"{row.item.number} {row.item.subject}".strip()
        links.setdefault(row.document_id, []).append(
            DocumentLink(kind="post_item", uuid=row.item.uuid, label=label)
        )
    return links


def dispatches_of(item: PostItem) -> list[Dispatch]:
    return list(Dispatch.objects.filter(item=item).order_by("-queued_at", "-id"))


def post_items_of_contact_moment(user: Any, contact_moment_ref: uuid.UUID) -> list[PostItem]:
    return list(
        post_items_for(user)
        .filter(contact_moment_ref=contact_moment_ref)
        .select_related("department")
        .order_by("-registered_at")[:20]
    )


# --- batches ----------------------------------------------------------------------------------


def batches_for(user: Any) -> QuerySet[ScanBatch]:
    """Batch scans uploaded in `user`'s department (the post room sees its colleagues' too)."""
    if not acts_for_municipality(user) or user.department_id is None:
        return ScanBatch.objects.none()
    return ScanBatch.objects.filter(uploaded_by__department_id=user.department_id)


def get_batch_for(user: Any, batch_id: uuid.UUID | str) -> ScanBatch:
    try:
        return batches_for(user).select_related("uploaded_by", "department").get(uuid=batch_id)
    except (ScanBatch.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def recent_batches(user: Any, *, limit: int = 10) -> list[ScanBatch]:
    return list(
        batches_for(user).select_related("uploaded_by", "department").order_by("-created_at", "-id")[:limit]
    )


def has_unfinished(batches: Collection[ScanBatch]) -> bool:
    return any(batch.state in (ScanBatchState.QUEUED, ScanBatchState.RUNNING) for batch in batches)


# --- timelines --------------------------------------------------------------------------------


def _entry(item: PostItem, labels: dict[str, dict[str, str]]) -> TimelineEntry:
    try:
        url = reverse("backoffice:post_item", args=[item.uuid])
    except NoReverseMatch:
        url = ""
    direction = labels["direction"].get(item.direction, item.direction)
    badges = [direction, labels["status"].get(item.status, item.status)]
    if is_overdue(item):
        badges.append(_("te laat"))
    return TimelineEntry(
        kind="post_item",
        uuid=item.uuid,
        at=item.registered_at,
        title=f"{item.number} · {labels['channel'].get(item.channel, item.channel)}",
        summary=item.subject,
        url=url,
        badges=tuple(badges),
        confidential=item.confidential,
    )


def _labels() -> dict[str, dict[str, str]]:
    return {
        "direction": {key: str(label) for key, label in Direction.choices},
        "status": {key: str(label) for key, label in PostStatus.choices},
        "channel": {key: str(label) for key, label in PostChannel.choices},
    }


TIMELINE_FIELDS = (
    "uuid", "number", "registered_at", "direction", "channel", "status", "subject", "confidential",
    "deadline", "department",
)  # fmt: skip


def timeline_for(
    user: Any,
    party: Party,
    *,
    before: dt.datetime | None = None,
    shown: Collection[uuid.UUID] = (),
    limit: int = 50,
) -> list[TimelineEntry]:
    """The party's post items on the 360° view, newest first. Paging as the contact moments'
    timeline: `before` is the time of the last entry shown, `shown` the entries shown at exactly
    that time."""
    rows = post_items_for(user).filter(party=party, needs_details=False)
    if before is not None:
        rows = rows.filter(registered_at__lte=before).exclude(uuid__in=list(shown))
    labels = _labels()
    return [
        _entry(item, labels) for item in rows.only(*TIMELINE_FIELDS).order_by("-registered_at", "-id")[:limit]
    ]


def case_timeline_for(user: Any, case: Case, limit: int) -> list[TimelineEntry]:
    """The case's post items on its timeline (registered in cases.registries.case_timeline_sources)."""
    labels = _labels()
    rows = post_items_for(user).filter(case=case).only(*TIMELINE_FIELDS).order_by("-registered_at", "-id")
    return [_entry(item, labels) for item in rows[:limit]]


def letter_of(item: PostItem) -> Letter | None:
    """The template letter behind an outgoing item's letter, if it was made from one (the caller
    has the item, so it may see its letter: the letter's documents follow the item's)."""
    link = PostItemDocument.objects.filter(item=item, role=DocumentRole.LETTER).first()
    if link is None:
        return None
    return Letter.objects.filter(pdf_document_id=link.document_id).select_related("docx_document").first()


# -- what a customer sees of their own letters (the e-loket) -------------------------------------


def letters_of_customer(party: Party) -> QuerySet[PostItem]:
    """The letters the municipality sent the party (outgoing items that went out, with the letter
    as a document), newest first. Nobody else's."""
    return (
        PostItem.objects.filter(
            party=party,
            direction=Direction.OUTGOING,
            status=PostStatus.SENT,
            documents__role=DocumentRole.LETTER,
        )
        .select_related("department")
        .order_by("-sent_on", "-id")
    )


def get_letter_of_customer(party: Party, item_id: uuid.UUID | str) -> DocumentVersion:
    """The current version of the letter of one of the party's own sent items, or 404."""
    try:
        item = letters_of_customer(party).get(uuid=item_id)
        link = item.documents.select_related("document__current_version").get(role=DocumentRole.LETTER)
    except (PostItem.DoesNotExist, PostItemDocument.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    version = link.document.current_version
    if version is None:
        raise Http404
    return version
