"""The only way audit rows are written. Called by domain actions inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from django.db import connection, models, transaction
from django.utils import timezone

from .models import AccessChannel, ChangeAction, ChangeRecord, PersonalDataAccess


class Actor(Protocol):
    """Whoever acts: an employee, a citizen or a system account."""

    uuid: uuid.UUID

    def audit_label(self) -> str: ...


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", value.pk))
    if isinstance(value, (dt.date, dt.datetime, dt.time, uuid.UUID, decimal.Decimal)):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, as JSON-ready plain values (foreign keys by public id)."""
    result: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.is_relation:
            related_id = getattr(instance, f"{name}_id")
            result[name] = None if related_id is None else _plain(getattr(instance, name))
        else:
            result[name] = _plain(getattr(instance, name))
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


class _Alive:
    """A do-nothing on-commit callback that stands for one deferred change record: Django drops
    the callbacks of a savepoint that is rolled back, so a record whose marker is gone belongs to
    work that was undone."""

    def __call__(self) -> None:
        return None


_deferred: ContextVar[list[tuple[ChangeRecord, _Alive]] | None] = ContextVar("audit_deferred", default=None)


@contextmanager
def records_written_together() -> Iterator[None]:
    """Inside a transaction: the change records of the block are written in one INSERT when the
    block ends (still in the transaction), instead of one INSERT each. Those of a savepoint that
    was rolled back inside the block are left out, as they would have been rolled back; when the
    block raises, none are written (the transaction is undone anyway). For work that makes many
    records at once (a mail ingested: the mail, its documents, versions, contact, links)."""
    if not connection.in_atomic_block or _deferred.get() is not None:
        yield
        return
    pending: list[tuple[ChangeRecord, _Alive]] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    alive = {id(entry[1]) for entry in connection.run_on_commit}
    records = [record for record, marker in pending if id(marker) in alive]
    if records:
        ChangeRecord.objects.bulk_create(records)


def record_change(
    *,
    instance: models.Model,
    action: ChangeAction,
    changes: Mapping[str, Any],
    by: Actor | None,
    reason: str = "",
) -> ChangeRecord | None:
    """Append one change; an update that changed nothing writes nothing."""
    if action == ChangeAction.UPDATE and not changes:
        return None
    record = ChangeRecord(
        model=instance._meta.label_lower,
        object_uuid=instance.uuid,  # type: ignore[attr-defined]
        action=action,
        changes=dict(changes),
        actor_uuid=by.uuid if by else None,
        actor_label=by.audit_label() if by else "systeem",
        reason=reason[:500],
    )
    pending = _deferred.get()
    if pending is not None and connection.in_atomic_block:
        marker = _Alive()
        transaction.on_commit(marker)
        pending.append((record, marker))
        return record  # written when `records_written_together` ends
    record.save(force_insert=True)
    return record


def record_creation(*, instance: models.Model, fields: Iterable[str], by: Actor | None) -> None:
    record_change(
        instance=instance,
        action=ChangeAction.CREATE,
        changes={k: [None, v] for k, v in snapshot(instance, fields).items() if v not in (None, "")},
        by=by,
    )


def log_personal_data_access(
    *,
    by: Actor,
    subject_uuid: uuid.UUID,
    subject_type: str,
    channel: AccessChannel,
    location: str,
    purpose: str = "",
    application: str = "",
) -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(
        actor_uuid=by.uuid,
        actor_label=by.audit_label(),
        application=application,
        subject_uuid=subject_uuid,
        subject_type=subject_type,
        channel=channel,
        location=location[:300],
        purpose=purpose[:300],
    )


def log_personal_data_accesses(
    *,
    by: Actor,
    subject_uuids: Iterable[uuid.UUID],
    subject_type: str,
    channel: AccessChannel,
    location: str,
    purpose: str = "",
    application: str = "",
) -> list[PersonalDataAccess]:
    """One row per subject (duplicates once), written in bulk: a list page showing many persons."""
    actor_uuid, actor_label = by.uuid, by.audit_label()
    return PersonalDataAccess.objects.bulk_create(
        [
            PersonalDataAccess(
                actor_uuid=actor_uuid,
                actor_label=actor_label,
                application=application,
                subject_uuid=subject_uuid,
                subject_type=subject_type,
                channel=channel,
                location=location[:300],
                purpose=purpose[:300],
            )
            for subject_uuid in dict.fromkeys(subject_uuids)
        ]
    )


ACCESS_LOG_RETENTION_YEARS = 10
"""The personal-data access log is kept ten years, then deleted."""


def access_log_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """The moment before which access-log rows have passed their retention (same day, 10 years ago)."""
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - ACCESS_LOG_RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - ACCESS_LOG_RETENTION_YEARS, day=28)


def purge_expired_access_log(*, now: dt.datetime | None = None, batch_size: int = 5000) -> int:
    """Delete access-log rows older than the retention period, in batches; returns how many."""
    cutoff = access_log_cutoff(now)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                PersonalDataAccess.objects.filter(at__lt=cutoff)
                .order_by("id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                return total
            deleted, _ = PersonalDataAccess.objects.filter(id__in=ids).delete()
            total += deleted


ERASED = "[vernietigd]"


def erase_recorded_values(*, object_uuid: uuid.UUID) -> int:
    """When an object is destroyed under its retention rule, its change history keeps who changed
    which fields when, but not the values: those were part of what had to be destroyed.
    Returns how many records were erased."""
    records = list(ChangeRecord.objects.filter(object_uuid=object_uuid).exclude(changes={}))
    for record in records:
        record.changes = {field: [ERASED, ERASED] for field in record.changes}
    ChangeRecord.objects.bulk_update(records, ["changes"], batch_size=500)
    return len(records)
