"""Toegang: zones with their grants and push state, the reconciliation report and resending a failed
push (room managers, functional administrators); Beheer › Toegangscontrole (functional
administrators). No PIN on any page; outsiders see nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.audit.models import ChangeRecord
from balie.core.models import OutboxState
from balie.core.outbox import deliver_due
from balie.room_access.actions import issue_grant, pin_for_holder
from balie.room_access.models import DoorController, DoorZone, ReconciliationRun
from balie.room_access.tests import conftest as door_fixtures
from balie.room_access.tests.conftest import tomorrow_at

from .conftest import client_for, field_error, html

# the door access fixtures: a demo door controller on loopback, a zone on it, a holder, a room manager
demo_controller = door_fixtures.demo_controller
door_controller = door_fixtures.door_controller
zone = door_fixtures.zone
holder = door_fixtures.holder
room_manager = door_fixtures.room_manager

ZONES = reverse("backoffice:door_zones")
RUNS = reverse("backoffice:door_reconciliations")
MANAGE = reverse("backoffice:manage_door_access")


@pytest.fixture
def grant(zone, holder, room_manager):
    return issue_grant(
        zone=zone,
        holder=holder,
        valid_from=tomorrow_at(19),
        valid_until=tomorrow_at(22),
        reference="booking:z1",
        by=room_manager,
    )


def test_a_room_manager_sees_the_zones_and_their_grants_without_the_pin(room_manager, zone, grant):
    client = client_for(room_manager)
    deliver_due()

    overview = html(client.get(ZONES))
    page = html(client.get(reverse("backoffice:door_zone", args=[zone.uuid])))

    assert "Ontmoetingscentrum De Linde" in overview and "in orde" in overview
    assert "Toneelkring De Planken" in page and "booking:z1" in page and "bij de controller" in page
    assert pin_for_holder(grant) not in page + overview


def test_a_failed_push_is_shown_and_resent(room_manager, zone, grant, demo_controller, settings):
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 1
    demo_controller.behaviour.down = True
    deliver_due()
    client = client_for(room_manager)
    failed_page = html(client.get(reverse("backoffice:door_zone", args=[zone.uuid]) + "?tonen=failed"))
    assert "doorgave mislukt" in failed_page and "HTTP 503" in failed_page

    demo_controller.behaviour.down = False
    response = client.post(reverse("backoffice:door_grant_resend", args=[grant.uuid]))
    deliver_due()

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.last_message.state == OutboxState.DELIVERED and grant.in_sync
    assert (
        ChangeRecord.objects.filter(
            object_uuid=grant.uuid, reason="opnieuw doorgegeven aan de controller"
        ).count()
        == 1
    )


def test_resending_a_push_that_did_not_fail_changes_nothing(room_manager, grant):
    client = client_for(room_manager)
    response = client.post(reverse("backoffice:door_grant_resend", args=[grant.uuid]), follow=True)

    assert "Alleen een mislukte doorgave kan opnieuw verstuurd worden." in html(response)
    grant.refresh_from_db()
    assert grant.last_message.state == OutboxState.PENDING and grant.last_message.attempts == 0


def test_reconciling_now_shows_the_report(room_manager, zone, grant, demo_controller):
    deliver_due()
    demo_controller.remove_behind_balies_back(str(grant.uuid))
    client = client_for(room_manager)

    client.post(RUNS)
    run = ReconciliationRun.objects.get()
    report = html(client.get(reverse("backoffice:door_reconciliation", args=[run.uuid])))

    assert run.missing == 1
    assert "ontbrak bij de controller: opnieuw doorgegeven" in report and "booking:z1" in report
    assert "1 ontbrekend, 0 te veel, 0 afwijkend" in html(client.get(RUNS))


def test_the_functional_administrator_adds_a_controller_and_a_zone(functional_admin):
    client = client_for(functional_admin)

    client.post(
        reverse("backoffice:manage_door_controller_create"),
        {
            "name": "Salto gemeentehuis",
            "base_url": "https://salto.zonnedaal.be",
            "api_key_variable": "BALIE_SALTO_KEY",
            "active": "on",
        },
    )
    controller = DoorController.objects.get()
    client.post(
        reverse("backoffice:manage_door_zone_create"),
        {"name": "Gemeentehuis zij-ingang", "controller": controller.pk, "zone_id": "gh-zij"},
    )

    zone = DoorZone.objects.get()
    assert (controller.base_url, controller.api_key_variable, zone.controller, zone.zone_id) == (
        "https://salto.zonnedaal.be",
        "BALIE_SALTO_KEY",
        controller,
        "gh-zij",
    )
    assert "Gemeentehuis zij-ingang" in html(client.get(MANAGE))
    assert ChangeRecord.objects.filter(object_uuid=zone.uuid, action="create").count() == 1


def test_a_bad_zone_id_or_key_variable_is_refused_and_nothing_is_saved(functional_admin, door_controller):
    client = client_for(functional_admin)

    zone = client.post(
        reverse("backoffice:manage_door_zone_create"),
        {"name": "X", "controller": door_controller.pk, "zone_id": "zone met spaties"},
    )
    controller = client.post(
        reverse("backoffice:manage_door_controller_create"), {"name": "Y", "api_key_variable": "geheim=123"}
    )

    assert "Letters, cijfers" in field_error(zone, "zone_id")
    assert "Hoofdletters" in field_error(controller, "api_key_variable")
    assert DoorZone.objects.count() == 0 and DoorController.objects.count() == 1


def test_outsiders_see_nothing(front_desk, citizen, room_manager, zone, grant):
    run = ReconciliationRun.objects.create(controller=zone.controller)
    pages = [
        ZONES,
        RUNS,
        reverse("backoffice:door_zone", args=[zone.uuid]),
        reverse("backoffice:door_reconciliation", args=[run.uuid]),
        MANAGE,
        reverse("backoffice:manage_door_zone", args=[zone.uuid]),
        reverse("backoffice:manage_door_controller", args=[zone.controller.uuid]),
    ]
    desk, outsider = client_for(front_desk), client_for(citizen)
    for page in pages:
        assert desk.get(page).status_code == 403, page
        assert outsider.get(page).status_code == 404, page
    assert desk.post(reverse("backoffice:door_grant_resend", args=[grant.uuid])).status_code == 403
    assert desk.post(RUNS).status_code == 403
    # the room manager reads, but does not keep controllers
    assert client_for(room_manager).get(MANAGE).status_code == 403
    assert ReconciliationRun.objects.count() == 1
