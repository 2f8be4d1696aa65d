"""The PIN reaches its holder by e-mail and is never in a log, an audit row, an outbox message,
the grant's own columns or the door controller's storage."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.db import connection

from balie.audit.models import ChangeRecord
from balie.core.models import OutboxMessage
from balie.room_access.actions import issue_grant, move_grant, pin_for_holder, revoke_grant
from balie.room_access.adapters.demo_controller import DemoDoorController
from balie.room_access.models import AccessGrant
from balie.room_access.pins import hash_pin
from balie.room_access.reconciliation import reconcile_controller

from .conftest import KEY_VARIABLE, deliver, tomorrow_at


@pytest.fixture
def stored_controller(tmp_path, monkeypatch) -> DemoDoorController:
    controller = DemoDoorController(storage=tmp_path / "controller.json").start()
    monkeypatch.setenv(KEY_VARIABLE, controller.api_key)
    yield controller
    controller.stop()


def test_the_pin_is_mailed_to_the_holder_and_nowhere_in_logs_or_audit(
    zone, holder, room_manager, demo_controller, mailoutbox, caplog, capfd, tmp_path
):
    caplog.set_level(logging.DEBUG)
    start, end = tomorrow_at(19), tomorrow_at(22)
    grant = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:p", by=room_manager
    )
    deliver()
    grant = move_grant(
        grant=grant, valid_from=start + dt.timedelta(hours=1), valid_until=end, by=room_manager
    )
    deliver()
    demo_controller.remove_behind_balies_back(str(grant.uuid))
    reconcile_controller(controller=zone.controller)
    demo_controller.behaviour.down = True
    deliver()  # fails: the error is logged and kept
    demo_controller.behaviour.down = False
    revoke_grant(grant=grant, by=room_manager, reason="Reservatie geannuleerd")
    deliver(now=grant.updated_at + dt.timedelta(hours=1))
    pin = pin_for_holder(grant)

    # the holder got it, twice (the code, then the moved window)
    assert [m.to for m in mailoutbox] == [["secretariaat@deplanken.be"]] * 2
    assert all(pin in m.body for m in mailoutbox)
    assert "19:45 tot" in mailoutbox[1].body  # the new window, with its margin, in Brussels time
    # … and nobody else
    captured = capfd.readouterr()
    logs = captured.out + captured.err + caplog.text
    logs += "".join(json.dumps(r.__dict__, default=str) for r in caplog.records)
    assert "outbox message delivered" in logs  # the logs were captured
    assert pin not in logs
    audit = json.dumps(
        [[r.changes, r.reason, r.actor_label] for r in ChangeRecord.objects.all()], default=str
    )
    assert str(grant.uuid) in json.dumps([str(r.object_uuid) for r in ChangeRecord.objects.all()])
    assert pin not in audit
    outbox = json.dumps([[m.payload, m.last_error, m.destination] for m in OutboxMessage.objects.all()])
    assert pin not in outbox
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM room_access_accessgrant")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert pin not in row
    assert grant.pin_hash == hash_pin(pin, grant.pin_salt)
    assert AccessGrant.objects.filter(pin_cipher__contains=pin).count() == 0


def test_the_controller_stores_a_salted_hash_never_the_pin(db, holder, stored_controller):
    from balie.room_access.actions import create_door_controller, create_door_zone

    controller = create_door_controller(
        name="Opslag", base_url=stored_controller.url, api_key_variable=KEY_VARIABLE, by=None
    )
    zone = create_door_zone(name="Sporthal", controller=controller, zone_id="sporthal", by=None)
    grant = issue_grant(
        zone=zone,
        holder=holder,
        valid_from=tomorrow_at(8),
        valid_until=tomorrow_at(9),
        reference="b:s",
        by=None,
    )
    deliver()

    stored = stored_controller.storage.read_text()
    assert str(grant.uuid) in stored and grant.pin_hash in stored
    assert pin_for_holder(grant) not in stored


def test_a_pin_encrypted_under_another_key_cannot_be_read(zone, holder, settings):
    grant = issue_grant(
        zone=zone,
        holder=holder,
        valid_from=tomorrow_at(8),
        valid_until=tomorrow_at(9),
        reference="b:k",
        by=None,
    )
    settings.BALIE_ACCESS_PIN_KEY = "een andere sleutel"
    with pytest.raises(ValueError):
        pin_for_holder(grant)


def test_after_a_key_change_grants_are_still_issued_and_a_moved_grant_gets_a_new_pin(zone, holder, settings):
    old = issue_grant(
        zone=zone,
        holder=holder,
        valid_from=tomorrow_at(8),
        valid_until=tomorrow_at(9),
        reference="b:o",
        by=None,
    )
    settings.BALIE_ACCESS_PIN_KEY = "de nieuwe sleutel"

    new = issue_grant(
        zone=zone,
        holder=holder,
        valid_from=tomorrow_at(8),
        valid_until=tomorrow_at(9),
        reference="b:n",
        by=None,
    )
    moved = move_grant(grant=old, valid_from=tomorrow_at(10), valid_until=tomorrow_at(11), by=None)

    assert len(pin_for_holder(new)) == 6
    assert moved.pin_hash == hash_pin(pin_for_holder(moved), moved.pin_salt)
