"""Grants issued at the same moment for overlapping windows of one zone never get the same PIN:
the zone's row is locked while a PIN is chosen."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection

from balie.room_access.actions import issue_grant, pin_for_holder
from balie.room_access.models import AccessGrant

from .conftest import tomorrow_at


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_of_one_zone_get_distinct_pins(zone, holder, monkeypatch):
    pool = [f"{n:06d}" for n in range(100_000, 100_030)]  # 30 codes for 24 grants: collisions galore
    chooser = random.Random(8)
    choose_lock = threading.Lock()

    def new_pin() -> str:
        with choose_lock:
            return chooser.choice(pool)

    monkeypatch.setattr("balie.room_access.actions.new_pin", new_pin)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(3):
                issue_grant(
                    zone=zone,
                    holder=holder,
                    valid_from=tomorrow_at(19),
                    valid_until=tomorrow_at(22),
                    reference=f"booking:{worker}-{n}",
                    by=None,
                )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    pins = [pin_for_holder(grant) for grant in AccessGrant.objects.all()]
    assert len(pins) == 24 and len(set(pins)) == 24
