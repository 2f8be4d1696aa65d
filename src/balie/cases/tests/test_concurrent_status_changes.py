"""20 concurrent status changes on one case leave a complete, gap-free history and the right
current status. Threads with their own connections: on PostgreSQL they queue on the case's row
lock; on SQLite (a file in WAL mode, IMMEDIATE transactions) on the database's write lock."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from balie.cases import catalogue
from balie.cases.actions import register_case, set_status
from balie.cases.models import Case, CaseStatus, CaseType

THREADS = 20

pytestmark = pytest.mark.django_db(transaction=True)


def _cycle_type(admin, department) -> CaseType:
    """Statuses A <-> B (a cycle, no checklist), then End."""
    draft = catalogue.create_case_type(code="cyclus", name="Cyclus", department=department, by=admin)
    a = catalogue.add_status_type(version=draft, by=admin, name="A")
    b = catalogue.add_status_type(version=draft, by=admin, name="B")
    end = catalogue.add_status_type(version=draft, by=admin, name="Einde")
    catalogue.set_transitions(status=a, by=admin, next_statuses=[b])
    catalogue.set_transitions(status=b, by=admin, next_statuses=[a, end])
    catalogue.add_result_type(
        version=draft, by=admin, name="Klaar", archival_nomination="destroy", retention_years=1
    )
    return catalogue.publish_version(version=draft, by=admin).case_type


def test_twenty_concurrent_status_changes_keep_a_complete_history(admin, omgeving, handler):
    case_type = _cycle_type(admin, omgeving)
    case = register_case(case_type=case_type, by=handler, subject="Gelijktijdig")
    statuses = {s.name: s for s in case.version.status_types.all()}
    # Half of the callers want B, half want A; from A only B is allowed and from B only A
    # (besides the end), so a call succeeds exactly when the status it sees under the lock
    # is the other one.
    targets = [statuses["B"] if i % 2 == 0 else statuses["A"] for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: dict[int, str] = {}

    def change(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                set_status(case=Case(pk=case.pk), status_type=targets[i], by=handler, reason=f"thread {i}")
            except ValidationError:
                outcomes[i] = "refused"
            else:
                outcomes[i] = "ok"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[i] = f"error: {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == THREADS and all(o in ("ok", "refused") for o in outcomes.values()), outcomes
    succeeded = sorted(i for i, o in outcomes.items() if o == "ok")
    assert succeeded  # the first one in always finds A and wants B (or the first B-caller does)
    history = list(CaseStatus.objects.filter(case_id=case.pk).order_by("sequence"))
    # complete and gap-free: the first status, then one row per successful call, none for a refusal
    assert [row.sequence for row in history] == list(range(1, len(succeeded) + 2))
    assert history[0].status_type_id == statuses["A"].pk and history[0].reason == ""
    assert sorted(row.reason for row in history[1:]) == sorted(f"thread {i}" for i in succeeded)
    # consistent: every step is an allowed transition (A and B alternate), each set by its caller
    for previous, row in itertools.pairwise(history):
        assert {previous.status_type_id, row.status_type_id} == {statuses["A"].pk, statuses["B"].pk}
        assert row.status_type_id == targets[int(row.reason.split()[1])].pk
    # the case's current-status copy is the last row
    case.refresh_from_db()
    assert case.status_type_id == history[-1].status_type_id
    assert case.status_count == len(history)
    assert case.status_set_at == history[-1].set_at
