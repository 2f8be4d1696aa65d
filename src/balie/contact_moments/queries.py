"""Reads of contact moments and tasks, with the visibility rule in one place:
a confidential contact is seen only by the department that registered it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality, is_employee
from balie.core.timeline import TimelineEntry
from balie.documents.queries import visible_documents
from balie.documents.registries import DocumentLink
from balie.parties.models import Party

from .models import (
    Channel,
    ContactMoment,
    ContactMomentDocument,
    Direction,
    InternalTask,
    Outcome,
    TaskStatus,
    Topic,
)


def _visible(user: Any, prefix: str = "") -> Q:
    return Q(**{f"{prefix}confidential": False}) | Q(**{f"{prefix}department_id": user.department_id})


def contact_moments_for(user: Any) -> QuerySet[ContactMoment]:
    if not acts_for_municipality(user):
        return ContactMoment.objects.none()
    return ContactMoment.objects.filter(_visible(user))


def get_contact_moment_for(user: Any, moment_uuid: uuid.UUID | str) -> ContactMoment:
    try:
        return (
            contact_moments_for(user)
            .select_related("party", "topic", "employee", "department")
            .prefetch_related("tasks__department", "tasks__team", "tasks__assignee")
            .get(uuid=moment_uuid)
        )
    except (ContactMoment.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def list_contact_moments_for(
    user: Any,
    *,
    party: Party | None = None,
    channel: str | None = None,
    topic: Topic | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    before: tuple[dt.datetime, int] | None = None,
    limit: int = 50,
) -> list[ContactMoment]:
    """Newest first, keyset-paginated: `before` is the (registered_at, id) of the last row seen."""
    rows = contact_moments_for(user).select_related("party", "topic", "employee", "department")
    if party is not None:
        rows = rows.filter(party=party)
    if channel:
        rows = rows.filter(channel=channel)
    if topic is not None:
        rows = rows.filter(topic=topic)
    if since:
        rows = rows.filter(registered_at__gte=since)
    if until:
        rows = rows.filter(registered_at__lt=until)
    if before is not None:
        at, pk = before
        # `registered_at <= at` is redundant but lets the index start at the position: without it
        # the OR is only a filter, and a page deep in the past walks every newer row first.
        rows = rows.filter(Q(registered_at__lt=at) | Q(registered_at=at, id__lt=pk), registered_at__lte=at)
    return list(rows.order_by("-registered_at", "-id")[:limit])


def tasks_for(user: Any) -> QuerySet[InternalTask]:
    """Tasks on contacts the user may see, plus every task addressed to the user or their unit."""
    if not is_employee(user):
        return InternalTask.objects.none()
    mine = Q(assignee_id=user.pk) | Q(department_id=user.department_id)
    if user.team_id:
        mine |= Q(team_id=user.team_id)
    return InternalTask.objects.filter(mine | _visible(user, "contact_moment__"))


def get_task_for(user: Any, task_uuid: uuid.UUID | str) -> InternalTask:
    try:
        return tasks_for(user).select_related("contact_moment", "party", "department").get(uuid=task_uuid)
    except (InternalTask.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def open_tasks(user: Any, *, scope: str) -> QuerySet[InternalTask]:
    """Open tasks for 'mine', 'team' or 'department'."""
    rows = tasks_for(user).filter(status=TaskStatus.TODO)
    if scope == "mine":
        rows = rows.filter(assignee_id=user.pk)
    elif scope == "team":
        rows = rows.filter(team_id=user.team_id) if user.team_id else rows.none()
    elif scope == "department":
        rows = rows.filter(department_id=user.department_id)
    else:
        raise ValueError(scope)
    return rows.select_related("party", "department", "team", "assignee", "contact_moment").order_by(
        "due_date", "created_at", "id"
    )


def active_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True).select_related("department").order_by("name")


def all_topics() -> QuerySet[Topic]:
    """The whole catalogue, in use or not: for the functional administrator."""
    return Topic.objects.select_related("department").order_by("-active", "name")


def get_topic(topic_uuid: uuid.UUID | str) -> Topic:
    try:
        return Topic.objects.select_related("department").get(uuid=topic_uuid)
    except Topic.DoesNotExist:
        raise Http404 from None


TIMELINE_KINDS = ("contact_moment", "task")


def timeline_for(
    user: Any,
    party: Party,
    *,
    before: dt.datetime | None = None,
    shown: Collection[uuid.UUID] = (),
    limit: int = 50,
    kinds: Collection[str] = TIMELINE_KINDS,
) -> list[TimelineEntry]:
    """Contact moments and tasks of one party, newest first; `kinds` narrows to some of them.

    Paging: `before` is the time of the last entry shown and `shown` the entries shown at exactly
    that time, so that entries sharing a timestamp across a page boundary are neither lost nor
    repeated.

    Only the columns shown are read, and only the entries that make the cut are built: this is
    on every 360° view, for customers with a handful of contacts and for those with hundreds.
    """
    rows: list[tuple[dt.datetime, ContactMoment | InternalTask]] = []
    if "contact_moment" in kinds:
        moments = contact_moments_for(user).filter(party=party)
        if before is not None:
            moments = moments.filter(registered_at__lte=before).exclude(uuid__in=list(shown))
        moments = (
            moments.select_related("topic", "employee")
            .only(*_TIMELINE_MOMENT_FIELDS)
            .order_by("-registered_at", "-id")
        )
        rows += [(m.registered_at, m) for m in moments[:limit]]
    if "task" in kinds:
        tasks = tasks_for(user).filter(party=party)
        if before is not None:
            tasks = tasks.filter(created_at__lte=before).exclude(uuid__in=list(shown))
        tasks = tasks.select_related("department").only(*_TIMELINE_TASK_FIELDS).order_by("-created_at", "-id")
        rows += [(t.created_at, t) for t in tasks[:limit]]
    rows.sort(key=lambda row: row[0], reverse=True)  # stable: contacts before tasks at equal times
    # get_FOO_display() hashes every (lazy) label of the field on each call; look them up once.
    labels = {
        name: dict(choices)
        for name, choices in (
            ("channel", Channel.choices),
            ("direction", Direction.choices),
            ("outcome", Outcome.choices),
            ("status", TaskStatus.choices),
        )
    }
    entries = []
    for at, row in rows[:limit]:
        if isinstance(row, ContactMoment):
            channel = str(labels["channel"].get(row.channel, row.channel))
            entries.append(
                TimelineEntry(
                    kind="contact_moment",
                    uuid=row.uuid,
                    at=at,
                    title=f"{channel.capitalize()} – {row.topic.name if row.topic else ''}".rstrip(" –"),
                    summary=row.summary,
                    url=reverse("backoffice:contact_moment", args=[row.uuid]),
                    badges=(
                        str(labels["direction"].get(row.direction, row.direction)),
                        str(labels["outcome"].get(row.outcome, row.outcome)),
                        row.employee.get_full_name(),
                    ),
                    confidential=row.confidential,
                )
            )
        else:
            entries.append(
                TimelineEntry(
                    kind="task",
                    uuid=row.uuid,
                    at=at,
                    title=_("Taak voor %(department)s") % {"department": row.department.name},
                    summary=row.description,
                    url=reverse("backoffice:task", args=[row.uuid]),
                    badges=(str(labels["status"].get(row.status, row.status)),),
                )
            )
    return entries


_TIMELINE_MOMENT_FIELDS = (
    "uuid", "registered_at", "channel", "direction", "outcome", "summary", "confidential",
    "topic", "topic__name", "employee", "employee__first_name", "employee__last_name",
)  # fmt: skip
_TIMELINE_TASK_FIELDS = ("uuid", "created_at", "description", "status", "department", "department__name")


# --- documents -----------------------------------------------------------------------------------


def documents_of_contact_moment(user: Any, moment: ContactMoment) -> list[ContactMomentDocument]:
    """The contact's documents that `user` may see, newest first."""
    rule = visible_documents(user, prefix="document__")
    if rule is None:
        return []
    return list(
        ContactMomentDocument.objects.filter(rule, contact_moment=moment)
        .select_related("document__current_version")
        .defer("document__current_version__text", "document__search_vector")
        .order_by("-added_at", "-id")
    )


def contact_moment_links(user: Any, document_ids: Sequence[int]) -> dict[int, list[DocumentLink]]:
    """Document link provider: the contacts each document came with, those `user` may see."""
    if not acts_for_municipality(user):
        return {}
    links: dict[int, list[DocumentLink]] = {}
    rows = (
        ContactMomentDocument.objects.filter(document_id__in=list(document_ids))
        .filter(_visible(user, prefix="contact_moment__"))
        .select_related("contact_moment")
        .order_by("added_at", "id")
    )
    for row in rows:
        moment = row.contact_moment
        label = _("Contact %(channel)s van %(date)s") % {
            "channel": moment.get_channel_display(),
            "date": timezone.localtime(moment.registered_at).strftime("%d/%m/%Y"),
        }
        links.setdefault(row.document_id, []).append(
            DocumentLink(kind="contact_moment", uuid=moment.uuid, label=label)
        )
    return links


def questions_of_customer(party: Party) -> QuerySet[ContactMoment]:
    """What the party asked through the e-loket (inbound contacts on the web channel), newest first:
    their own questions, never someone else's, never the employees' notes on other channels."""
    return ContactMoment.objects.filter(
        party=party, channel=Channel.WEB, direction=Direction.INBOUND
    ).order_by("-registered_at", "-id")
