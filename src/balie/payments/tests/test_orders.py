"""Orders: lines with VAT, a number and an OGM, a balance that only the ledger moves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.payments.actions import cancel_order, create_order, refund
from balie.payments.models import EntryKind, LedgerEntry, Order, OrderState
from balie.payments.ogm import check_digits
from balie.payments.registries import order_settlement_handlers

pytestmark = pytest.mark.django_db


def test_an_order_has_a_number_an_ogm_and_its_charge(order: Order) -> None:
    assert order.number.startswith("BST-")
    assert order.total == Decimal("171.00")
    assert len(order.ogm) == 12 and order.ogm[10:] == check_digits(order.ogm[:10])
    assert order.balance() == Decimal("171.00")
    assert order.state == OrderState.OPEN
    assert list(order.entries.values_list("kind", "amount")) == [(EntryKind.CHARGE, Decimal("171.00"))]
    assert [line.vat_amount for line in order.lines.all()] == [Decimal("21.00"), Decimal("0.00")]


def test_an_order_without_lines_or_with_a_float_is_refused(customer) -> None:
    with pytest.raises(ValidationError):
        create_order(party=customer, lines=[], reference="counter:x", by=None)
    with pytest.raises(ValidationError):
        create_order(
            party=customer,
            lines=[{"description": "x", "quantity": 1, "unit_amount": 1.5}],
            reference="counter:x",
            by=None,
        )
    with pytest.raises(ValidationError):
        create_order(
            party=customer,
            lines=[{"description": "x", "unit_amount": Decimal(1)}],
            reference="no-prefix",
            by=None,
        )
    assert Order.objects.count() == 0


def test_cancelling_an_unpaid_order_credits_what_is_open_and_tells_the_maker(
    order: Order, cashier, django_capture_on_commit_callbacks
) -> None:
    heard: list[tuple[str, str]] = []
    wired = order_settlement_handlers._items.pop("booking", None)  # reservations' own handler
    order_settlement_handlers.add("booking", lambda o, event: heard.append((o.number, event)))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            cancel_order(order=order, by=cashier, reason="Zaal niet meer nodig")
    finally:
        order_settlement_handlers._items.pop("booking")
        if wired is not None:
            order_settlement_handlers.add("booking", wired)
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED
    assert order.balance() == Decimal("0.00")
    credit = order.entries.get(kind=EntryKind.CREDIT_NOTE)
    assert credit.amount == Decimal("-171.00") and credit.number.startswith("CN-")
    assert heard == [(order.number, "cancelled")]
    assert (
        ChangeRecord.objects.filter(object_uuid=order.uuid, changes__state=["open", "cancelled"]).count() == 1
    )


def test_a_paid_order_is_refunded_with_a_credit_note_and_cannot_be_cancelled_before(
    order: Order, cashier, register
) -> None:
    from balie.payments.register import open_session, settle_at_register

    session = open_session(register=register, opening_float="100", by=cashier)
    settle_at_register(session=session, order=order, method="card", by=cashier)
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    with pytest.raises(ValidationError, match="al betaald"):
        cancel_order(order=order, by=cashier, reason="x")
    refund(order=order, amount=Decimal("50.00"), by=cashier, reason="Waarborg terug")
    assert order.paid_total() == Decimal("121.00")
    assert order.balance() == Decimal("0.00")
    with pytest.raises(ValidationError, match="hoogstens"):
        refund(order=order, amount=Decimal("121.01"), by=cashier, reason="te veel")
    assert LedgerEntry.objects.filter(order=order).count() == 4  # charge, payment, credit note, refund


def test_the_maker_hears_paid_and_refunded_after_the_commit(
    order: Order, cashier, register, django_capture_on_commit_callbacks
) -> None:
    from balie.payments.register import open_session, settle_at_register

    heard: list[tuple[str, str, str]] = []
    wired = order_settlement_handlers._items.pop("booking", None)  # reservations' own handler
    order_settlement_handlers.add("booking", lambda o, event: heard.append((o.number, event, o.state)))
    try:
        session = open_session(register=register, opening_float="0", by=cashier)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            settle_at_register(session=session, order=order, method="card", by=cashier)
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            refund(order=order, amount=Decimal("50.00"), by=cashier, reason="Waarborg terug")
    finally:
        order_settlement_handlers._items.pop("booking")
        if wired is not None:
            order_settlement_handlers.add("booking", wired)
    assert heard == [(order.number, "paid", "paid"), (order.number, "refunded", "paid")]
