"""Receipts are numbered without gaps under concurrency: threads with their own connections
settle orders at once; one of them is refused (too little cash) and takes no number."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from balie.payments.actions import create_order
from balie.payments.models import Receipt
from balie.payments.register import open_session, settle_at_register

THREADS = 12

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_receipts_get_gap_free_numbers(register, cashier) -> None:
    session = open_session(register=register, opening_float="0", by=cashier)
    orders = [
        create_order(
            party=None,
            lines=[{"description": f"Uittreksel {i}", "unit_amount": Decimal("5.00")}],
            reference=f"counter:{i}",
            by=cashier,
        )
        for i in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    numbers: dict[int, str] = {}
    errors: dict[int, str] = {}

    def settle(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            tendered = "1" if i == 3 else "5"  # one is refused inside its transaction
            numbers[i] = settle_at_register(
                session=session, order=orders[i], method="cash", tendered=tendered, by=cashier
            ).number
        except Exception as error:  # noqa: BLE001 - reported by the assertions below
            errors[i] = type(error).__name__
        finally:
            connections.close_all()

    threads = [threading.Thread(target=settle, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    year = timezone.localdate().year
    assert errors == {3: "ValidationError"}
    assert sorted(numbers.values()) == [f"KT-{year}-{n:06d}" for n in range(1, THREADS)]
    assert Receipt.objects.count() == THREADS - 1
    assert session.cash_received() == Decimal("55.00")
