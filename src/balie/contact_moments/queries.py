"""Reads of contact moments and tasks, with the visibility rule in one place:
a confidential contact is seen only by the department that registered it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality, is_employee
from balie.core.timeline import TimelineEntry
from balie.parties.models import Party

from .models import ContactMoment, InternalTask, TaskStatus, Topic


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
        rows = rows.filter(Q(registered_at__lt=at) | Q(registered_at=at, id__lt=pk))
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


TIMELINE_KINDS = ("contact_moment", "task")


def timeline_for(
    user: Any,
    party: Party,
    *,
    before: dt.datetime | None = None,
    limit: int = 50,
    kinds: Collection[str] = TIMELINE_KINDS,
) -> list[TimelineEntry]:
    """Contact moments and tasks of one party, newest first; `kinds` narrows to some of them."""
    moments = contact_moments_for(user).filter(party=party)
    tasks = tasks_for(user).filter(party=party)
    if "contact_moment" not in kinds:
        moments = moments.none()
    if "task" not in kinds:
        tasks = tasks.none()
    if before is not None:
        moments = moments.filter(registered_at__lt=before)
        tasks = tasks.filter(created_at__lt=before)
    entries = [
        TimelineEntry(
            kind="contact_moment",
            uuid=m.uuid,
            at=m.registered_at,
            title=f"{m.get_channel_display().capitalize()} – {m.topic.name if m.topic else ''}".rstrip(" –"),
            summary=m.summary,
            url=reverse("backoffice:contact_moment", args=[m.uuid]),
            badges=(m.get_direction_display(), m.get_outcome_display(), m.employee.get_full_name()),
            confidential=m.confidential,
        )
        for m in moments.select_related("topic", "employee").order_by("-registered_at", "-id")[:limit]
    ]
    entries += [
        TimelineEntry(
            kind="task",
            uuid=t.uuid,
            at=t.created_at,
            title=_("Taak voor %(department)s") % {"department": t.department.name},
            summary=t.description,
            url=reverse("backoffice:task", args=[t.uuid]),
            badges=(t.get_status_display(),),
        )
        for t in tasks.select_related("department").order_by("-created_at", "-id")[:limit]
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
