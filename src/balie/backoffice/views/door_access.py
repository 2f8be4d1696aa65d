"""Door access: zones with their grants and push state, the reconciliation reports and resending a
failed push (room managers, functional administrators); Beheer › Toegangscontrole keeps the
controllers and zones (functional administrators). PINs are never shown here."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.room_access.actions import (
    create_door_controller,
    create_door_zone,
    resend_grant_push,
    update_door_controller,
    update_door_zone,
)
from balie.room_access.permissions import can_manage_door_access, can_view_access_grants
from balie.room_access.queries import (
    door_controllers_for,
    door_zones_for,
    get_door_controller_for,
    get_door_zone_for,
    get_grant_for,
    get_reconciliation_run_for,
    grants_in_zone_for,
    reconciliation_runs_for,
)
from balie.room_access.reconciliation import reconcile_all

from ..access import EmployeeRequest, permission_required
from ..forms.common import add_domain_errors
from ..forms.door_access import DoorControllerForm, DoorZoneForm, GrantFilterForm

viewer_required = permission_required(can_view_access_grants)
admin_required = permission_required(can_manage_door_access)


@require_GET
@viewer_required
def zones(request: EmployeeRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/door_access/zones.html",
        {"zones": list(door_zones_for(request.user)), "runs": reconciliation_runs_for(request.user, limit=5)},
    )


@require_GET
@viewer_required
def zone_grants(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    zone = get_door_zone_for(request.user, uuid)
    form = GrantFilterForm(request.GET or None)
    show = (form.cleaned_data["tonen"] if form.is_valid() else "") or "live"
    return render(
        request,
        "backoffice/door_access/zone.html",
        {
            "zone": zone,
            "form": form,
            "show": show,
            "grants": grants_in_zone_for(request.user, zone, show=show),
        },
    )


@require_POST
@viewer_required
def grant_resend(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    grant = get_grant_for(request.user, uuid)
    try:
        resend_grant_push(grant=grant, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Het toegangsrecht wordt opnieuw doorgegeven aan de controller."))
    return redirect(f"{redirect('backoffice:door_zone', uuid=grant.zone.uuid).url}?tonen=failed")


@viewer_required
def reconciliations(request: EmployeeRequest) -> HttpResponse:
    if request.method == "POST":
        runs = reconcile_all()
        repaired = sum(run.repaired for run in runs)
        failed = [run for run in runs if run.outcome == "error"]
        if failed:
            messages.error(request, _("Niet elke controller kon bevraagd worden: zie het verslag."))
        else:
            messages.success(request, _("Afgestemd: %(n)s afwijking(en) worden hersteld.") % {"n": repaired})
        return redirect("backoffice:door_reconciliations")
    return render(
        request,
        "backoffice/door_access/reconciliations.html",
        {"runs": reconciliation_runs_for(request.user)},
    )


@require_GET
@viewer_required
def reconciliation(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    run = get_reconciliation_run_for(request.user, uuid)
    return render(
        request,
        "backoffice/door_access/reconciliation.html",
        {"run": run, "findings": list(run.findings.select_related("grant__zone")[:500])},
    )


# --- Beheer › Toegangscontrole -----------------------------------------------------------------


@require_GET
@admin_required
def manage(request: EmployeeRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/manage/door_access/list.html",
        {
            "controllers": list(door_controllers_for(request.user)),
            "zones": list(door_zones_for(request.user)),
        },
    )


@admin_required
def controller_form(request: EmployeeRequest, uuid: uuid.UUID | None = None) -> HttpResponse:
    controller = get_door_controller_for(request.user, uuid) if uuid else None
    initial = (
        {
            "name": controller.name,
            "base_url": controller.base_url,
            "api_key_variable": controller.api_key_variable,
            "active": controller.active,
        }
        if controller
        else None
    )
    form = DoorControllerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if controller:
                update_door_controller(controller=controller, by=request.user, **form.cleaned_data)
            else:
                create_door_controller(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De controller is bewaard."))
            return redirect("backoffice:manage_door_access")
    return render(
        request,
        "backoffice/manage/door_access/controller_form.html",
        {"form": form, "controller": controller},
    )


@admin_required
def zone_form(request: EmployeeRequest, uuid: uuid.UUID | None = None) -> HttpResponse:
    zone = get_door_zone_for(request.user, uuid, manage=True) if uuid else None
    initial = {"name": zone.name, "controller": zone.controller, "zone_id": zone.zone_id} if zone else None
    form = DoorZoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if zone:
                update_door_zone(zone=zone, by=request.user, **form.cleaned_data)
            else:
                create_door_zone(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De deurzone is bewaard."))
            return redirect("backoffice:manage_door_access")
    return render(request, "backoffice/manage/door_access/zone_form.html", {"form": form, "zone": zone})
