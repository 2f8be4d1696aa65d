"""Done when: reconciliation repairs a grant deleted on the controller behind Balie's back; and
removes what the controller holds but should not, and replaces what differs."""

from __future__ import annotations

import datetime as dt

from balie.room_access.actions import issue_grant, pin_for_holder, revoke_grant
from balie.room_access.adapters.door_controller import ControllerGrant, client_for
from balie.room_access.models import FindingKind, RunOutcome
from balie.room_access.reconciliation import reconcile_all, reconcile_controller

from .conftest import deliver, tomorrow_at


def test_a_grant_deleted_on_the_controller_behind_balies_back_is_pushed_again(zone, holder, demo_controller):
    start, end = tomorrow_at(19), tomorrow_at(22)
    grant = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:d", by=None
    )
    deliver()
    door = client_for(zone.controller)
    pin = pin_for_holder(grant)
    demo_controller.remove_behind_balies_back(str(grant.uuid))
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start) is False

    run = reconcile_controller(controller=zone.controller)
    deliver()

    assert (run.outcome, run.checked, run.missing, run.extra, run.changed) == (RunOutcome.OK, 1, 1, 0, 0)
    assert [(f.kind, f.grant_id) for f in run.findings.all()] == [(FindingKind.MISSING, grant.pk)]
    assert door.open_door(zone=zone.zone_id, pin=pin, at=start) is True
    again = reconcile_controller(controller=zone.controller)
    assert (again.missing, again.extra, again.changed) == (0, 0, 0)


def test_extra_and_changed_grants_on_the_controller_are_repaired(zone, holder, demo_controller):
    start, end = tomorrow_at(19), tomorrow_at(22)
    kept = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:k", by=None
    )
    revoked = issue_grant(
        zone=zone, holder=holder, valid_from=start, valid_until=end, reference="booking:v", by=None
    )
    deliver()
    revoke_grant(grant=revoked, by=None, reason="geannuleerd")
    deliver()
    # behind Balie's back: the revoked grant put back, a stranger's grant, the kept one stretched
    wider = next(iter(demo_controller.grants.values()))
    demo_controller.grants[wider.id] = ControllerGrant(
        id=wider.id,
        zone=wider.zone,
        valid_from=wider.valid_from - dt.timedelta(days=1),
        valid_until=wider.valid_until,
        credential=wider.credential,
    )
    stranger = ControllerGrant(
        id="manueel-42",
        zone=zone.zone_id,
        valid_from=start,
        valid_until=end,
        credential={"type": "badge", "badgeId": "FFFF"},
    )
    demo_controller.grants["manueel-42"] = stranger
    demo_controller.grants[str(revoked.uuid)] = ControllerGrant(
        id=str(revoked.uuid),
        zone=zone.zone_id,
        valid_from=start,
        valid_until=end,
        credential={"type": "badge", "badgeId": "EEEE"},
    )

    [run] = reconcile_all()
    deliver()

    assert (run.missing, run.extra, run.changed) == (0, 2, 1)
    assert sorted((f.kind, f.grant_key) for f in run.findings.all()) == sorted(
        [
            (FindingKind.CHANGED, str(kept.uuid)),
            (FindingKind.EXTRA, "manueel-42"),
            (FindingKind.EXTRA, str(revoked.uuid)),
        ]
    )
    assert list(demo_controller.grants) == [str(kept.uuid)]
    assert demo_controller.grants[str(kept.uuid)].valid_from == kept.starts_at


def test_a_controller_that_cannot_be_reached_gives_a_failed_run_and_changes_nothing(
    zone, holder, demo_controller
):
    issue_grant(
        zone=zone,
        holder=holder,
        valid_from=tomorrow_at(19),
        valid_until=tomorrow_at(20),
        reference="b:1",
        by=None,
    )
    deliver()
    demo_controller.stop()

    run = reconcile_controller(controller=zone.controller)

    assert run.outcome == RunOutcome.ERROR and "Connection refused" in run.error
    assert run.findings.count() == 0
    assert len(demo_controller.grants) == 1
