"""Reads of the audit trail: for the privacy officer, and an object's own history."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypeVar

from django.db.models import QuerySet

from .models import ChangeRecord, PersonalDataAccess

Row = TypeVar("Row", ChangeRecord, PersonalDataAccess)


def history_of(object_uuid: uuid.UUID) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(object_uuid=object_uuid).order_by("-at", "-id")


def search_access_log(
    *,
    subject_uuid: uuid.UUID | None = None,
    actor_uuid: uuid.UUID | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[PersonalDataAccess]:
    """The access log filtered; newest first. Visibility is the caller's job (privacy officer)."""
    rows = PersonalDataAccess.objects.all()
    if subject_uuid:
        rows = rows.filter(subject_uuid=subject_uuid)
    return _by_actor_and_period(rows, actor_uuid=actor_uuid, since=since, until=until)


def search_changes(
    *,
    object_uuid: uuid.UUID | None = None,
    actor_uuid: uuid.UUID | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[ChangeRecord]:
    """The change history filtered; newest first. Visibility is the caller's job (privacy officer)."""
    rows = ChangeRecord.objects.all()
    if object_uuid:
        rows = rows.filter(object_uuid=object_uuid)
    return _by_actor_and_period(rows, actor_uuid=actor_uuid, since=since, until=until)


def _by_actor_and_period(
    rows: QuerySet[Row],
    *,
    actor_uuid: uuid.UUID | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> QuerySet[Row]:
    """Both logs: who, from (inclusive) and until (exclusive), newest first."""
    if actor_uuid:
        rows = rows.filter(actor_uuid=actor_uuid)
    if since:
        rows = rows.filter(at__gte=since)
    if until:
        rows = rows.filter(at__lt=until)
    return rows.order_by("-at", "-id")
