"""Reads of door access. Only employees who keep rooms or the catalogue see grants; everyone else
gets "not found". The back-office never reads a PIN: only `actions.pin_for_holder` does."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from balie.core.models import OutboxState

from .models import AccessGrant, DoorController, DoorZone, GrantState, ReconciliationRun
from .permissions import can_manage_door_access, can_view_access_grants


def _check(user: Any, check: Any) -> None:
    if not check(user):
        raise Http404


def door_controllers_for(user: Any) -> QuerySet[DoorController]:
    _check(user, can_view_access_grants)
    return DoorController.objects.annotate(zone_count=Count("zones")).order_by("name")


def get_door_controller_for(user: Any, key: uuid.UUID) -> DoorController:
    _check(user, can_manage_door_access)
    try:
        return DoorController.objects.get(uuid=key)
    except DoorController.DoesNotExist:
        raise Http404 from None


def door_zones_for(user: Any) -> QuerySet[DoorZone]:
    """Zones with their live grants counted: all, not yet confirmed by the controller, failed."""
    _check(user, can_view_access_grants)
    live = Q(grants__state=GrantState.ACTIVE, grants__ends_at__gt=timezone.now())
    return (
        DoorZone.objects.select_related("controller")
        .annotate(
            live_count=Count("grants", filter=live),
            unsynced_count=Count("grants", filter=live & ~Q(grants__pushed_version=F("grants__version"))),
            failed_count=Count("grants", filter=Q(grants__last_message__state=OutboxState.FAILED)),
        )
        .order_by("name")
    )


def get_door_zone_for(user: Any, key: uuid.UUID, *, manage: bool = False) -> DoorZone:
    _check(user, can_manage_door_access if manage else can_view_access_grants)
    try:
        return DoorZone.objects.select_related("controller").get(uuid=key)
    except DoorZone.DoesNotExist:
        raise Http404 from None


def grants_in_zone_for(
    user: Any, zone: DoorZone, *, show: str = "live", limit: int = 200
) -> list[AccessGrant]:
    """`show`: live (active, not over), failed (push failed), all (newest first)."""
    _check(user, can_view_access_grants)
    rows = AccessGrant.objects.filter(zone=zone).select_related("holder", "last_message")
    if show == "failed":
        rows = rows.filter(last_message__state=OutboxState.FAILED).order_by("starts_at", "id")
    elif show == "all":
        rows = rows.order_by("-starts_at", "-id")
    else:
        rows = rows.filter(state=GrantState.ACTIVE, ends_at__gt=timezone.now()).order_by("starts_at", "id")
    return list(rows[:limit])


def get_grant_for(user: Any, key: uuid.UUID) -> AccessGrant:
    _check(user, can_view_access_grants)
    try:
        return AccessGrant.objects.select_related("zone__controller", "holder", "last_message").get(uuid=key)
    except AccessGrant.DoesNotExist:
        raise Http404 from None


def reconciliation_runs_for(user: Any, *, limit: int = 50) -> list[ReconciliationRun]:
    _check(user, can_view_access_grants)
    return list(ReconciliationRun.objects.select_related("controller").order_by("-started_at", "-id")[:limit])


def get_reconciliation_run_for(user: Any, key: uuid.UUID) -> ReconciliationRun:
    _check(user, can_view_access_grants)
    try:
        return ReconciliationRun.objects.select_related("controller").get(uuid=key)
    except ReconciliationRun.DoesNotExist:
        raise Http404 from None
