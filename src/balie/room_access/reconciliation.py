"""Reconciliation: compare what each controller holds with Balie's live grants and repair drift.

Missing at the controller → pushed again; held there but not live in Balie (revoked, ended, or
never Balie's) → deleted; held with another window or credential → replaced. Repairs go through
the outbox like every push. A grant whose own push is still on its way is left alone: that push
is the repair. Each run is a `ReconciliationRun` with its findings, for employees to read.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.utils import timezone

from balie.core.models import OutboxState
from balie.core.outbox import write_message

from .actions import PUSH_SENDER, _push, live_grants_of
from .adapters.door_controller import ControllerError, ControllerGrant, client_for
from .delivery import controller_grant
from .models import (
    AccessGrant,
    DoorController,
    FindingKind,
    ReconciliationFinding,
    ReconciliationRun,
    RunOutcome,
)

logger = logging.getLogger("balie.room_access")


def _in_flight(grant: AccessGrant) -> bool:
    return grant.last_message is not None and grant.last_message.state == OutboxState.PENDING


def _balie_uuid(key: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(key)
    except ValueError:
        return None


def reconcile_controller(*, controller: DoorController, now: dt.datetime | None = None) -> ReconciliationRun:
    now = now or timezone.now()
    run = ReconciliationRun.objects.create(controller=controller, started_at=now)
    try:
        remote = {grant.id: grant for grant in client_for(controller).list_grants()}
    except ControllerError as error:
        run.outcome, run.error, run.finished_at = RunOutcome.ERROR, str(error)[:1000], timezone.now()
        run.save(update_fields=["outcome", "error", "finished_at"])
        logger.warning(
            "door reconciliation failed", extra={"controller": str(controller.uuid), "error": run.error}
        )
        return run
    findings: list[ReconciliationFinding] = []
    with transaction.atomic():
        live = {
            str(grant.uuid): grant
            for grant in live_grants_of(controller, now)
            .select_related("zone", "last_message")
            .select_for_update(of=("self",))
        }
        for key, grant in live.items():
            if _in_flight(grant):
                continue
            held = remote.get(key)
            wanted = controller_grant(grant)
            if held is None:
                kind = FindingKind.MISSING
            elif not held.same_access(wanted):
                kind = FindingKind.CHANGED
            else:
                continue
            findings.append(
                ReconciliationFinding(
                    run=run, kind=kind, grant_key=key, grant=grant, zone_id=grant.zone.zone_id
                )
            )
            AccessGrant.objects.filter(pk=grant.pk).update(pushed_version=0)
            _push(grant)
        others = [held for key, held in remote.items() if key not in live]
        known = {
            str(grant.uuid): grant
            for grant in AccessGrant.objects.filter(
                uuid__in=[u for u in (_balie_uuid(h.id) for h in others) if u is not None]
            ).select_related("last_message")
        }
        for held in others:
            grant = known.get(held.id)
            if grant is not None and _in_flight(grant):
                continue
            findings.append(_remove(run, controller, held, grant))
        ReconciliationFinding.objects.bulk_create(findings)
        run.checked = len(live) + len(others)
        run.missing = sum(1 for f in findings if f.kind == FindingKind.MISSING)
        run.changed = sum(1 for f in findings if f.kind == FindingKind.CHANGED)
        run.extra = sum(1 for f in findings if f.kind == FindingKind.EXTRA)
        run.outcome, run.finished_at = RunOutcome.OK, timezone.now()
        run.save()
    logger.info(
        "door reconciliation done",
        extra={
            "controller": str(controller.uuid),
            "missing": run.missing,
            "extra": run.extra,
            "changed": run.changed,
        },
    )
    return run


def _remove(
    run: ReconciliationRun, controller: DoorController, held: ControllerGrant, grant: AccessGrant | None
) -> ReconciliationFinding:
    message = write_message(
        sender=PUSH_SENDER,
        destination=controller.destination,
        payload={"grant": held.id, "zone": held.zone, "remove": True},
    )
    if grant is not None:
        AccessGrant.objects.filter(pk=grant.pk).update(last_message=message)
    detail = "" if grant is not None else "onbekend in Balie"
    return ReconciliationFinding(
        run=run,
        kind=FindingKind.EXTRA,
        grant_key=held.id[:64],
        grant=grant,
        zone_id=held.zone[:64],
        detail=detail,
    )


def reconcile_all(*, now: dt.datetime | None = None) -> list[ReconciliationRun]:
    return [reconcile_controller(controller=c, now=now) for c in DoorController.objects.filter(active=True)]
