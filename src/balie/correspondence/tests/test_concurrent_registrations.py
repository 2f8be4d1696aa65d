"""20 concurrent registrations get 20 distinct, gap-free register numbers. Threads with their own
database connections, started together; on PostgreSQL they queue on the counter row's lock, held
until each registering transaction commits. (On SQLite the whole database is one write lock, so
there is no race to show: this test runs on PostgreSQL only.)"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from balie.core.models import Counter
from balie.correspondence.actions import register_incoming
from balie.correspondence.models import PostItem

from .samples import scanned_letter, upload

THREADS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a race on the counter row needs PostgreSQL"
    ),
]


def test_twenty_concurrent_registrations_get_twenty_gap_free_numbers(post_room, omgeving, sender):
    scan = scanned_letter()
    barrier = threading.Barrier(THREADS)
    numbers: dict[int, str] = {}
    errors: dict[int, str] = {}

    def register(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            item = register_incoming(
                by=post_room,
                channel="paper",
                department=omgeving,
                subject=f"Brief {i}",
                party=sender,
                scan=upload(f"scan{i}.pdf", scan),
            )
            numbers[i] = item.number
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors[i] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    year = timezone.localdate().year
    assert errors == {}
    assert sorted(numbers.values()) == [f"IN-{year}-{n:06d}" for n in range(1, THREADS + 1)]
    assert Counter.objects.get(register="IN", year=year).value == THREADS
    rows = dict(PostItem.objects.values_list("subject", "number"))
    assert rows == {f"Brief {i}": numbers[i] for i in range(THREADS)}
