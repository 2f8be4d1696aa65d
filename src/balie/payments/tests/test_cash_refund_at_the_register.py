"""A refund paid out in cash at the register comes out of the drawer: the close expects that much
less cash. More than the drawer holds, or than was paid, is refused and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.payments.actions import create_order
from balie.payments.models import EntryKind, Method, Order, OrderState, RegisterSession
from balie.payments.register import close_session, open_session, refund_at_register, settle_at_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifty(customer, cashier) -> Order:
    return create_order(
        party=customer,
        lines=[
            {
                "description": "Zaal De Linde, vergadering",
                "quantity": Decimal(1),
                "unit_amount": Decimal("50"),
            }
        ],
        reference="counter:test",
        by=cashier,
    )


@pytest.fixture
def session(register, cashier) -> RegisterSession:
    return open_session(register=register, opening_float="0", by=cashier)


def _state(session: RegisterSession, order: Order) -> tuple:
    order.refresh_from_db()
    return (
        session.cash_received(),
        order.paid_total(),
        order.balance(),
        order.state,
        order.entries.count(),
        ChangeRecord.objects.count(),
    )


def test_a_cash_refund_lowers_the_expected_cash_at_the_close(session, fifty, cashier) -> None:
    settle_at_register(session=session, order=fifty, method="cash", tendered="50", by=cashier)

    entry = refund_at_register(
        session=session, order=fifty, amount="20", by=cashier, reason="Korter gebruikt"
    )

    assert (entry.kind, entry.method, entry.amount, entry.session_id) == (
        EntryKind.REFUND,
        Method.CASH,
        Decimal("20.00"),
        session.pk,
    )
    assert session.cash_received() == Decimal("30.00")
    fifty.refresh_from_db()
    assert (fifty.paid_total(), fifty.balance(), fifty.state) == (
        Decimal("30.00"),
        Decimal("0.00"),
        OrderState.PAID,
    )
    closed = close_session(session=session, by=cashier, total="30,00")
    assert (closed.expected_cash, closed.counted_cash, closed.difference) == (
        Decimal("30.00"),
        Decimal("30.00"),
        Decimal("0.00"),
    )


def test_the_float_counts_in_the_expected_cash_next_to_the_refund(register, fifty, cashier) -> None:
    session = open_session(register=register, opening_float="100", by=cashier)
    settle_at_register(session=session, order=fifty, method="cash", by=cashier)
    refund_at_register(session=session, order=fifty, amount="20,00", by=cashier, reason="Korter gebruikt")

    closed = close_session(session=session, by=cashier, total="125")

    assert (closed.expected_cash, closed.difference) == (Decimal("130.00"), Decimal("-5.00"))


def test_a_refund_larger_than_the_drawer_is_refused_and_changes_nothing(session, fifty, cashier) -> None:
    # paid by card: the drawer holds nothing, though the order was paid 50
    settle_at_register(session=session, order=fifty, method="card", by=cashier)
    before = _state(session, fifty)

    with pytest.raises(ValidationError, match="maar € 0,00 in de kassa: € 20,00") as refused:
        refund_at_register(session=session, order=fifty, amount="20", by=cashier, reason="Terug")

    assert refused.value.code == "drawer"
    assert _state(session, fifty) == before


def test_a_refund_larger_than_the_payment_is_refused_and_changes_nothing(register, fifty, cashier) -> None:
    session = open_session(register=register, opening_float="200", by=cashier)
    settle_at_register(session=session, order=fifty, method="cash", by=cashier)
    before = _state(session, fifty)

    with pytest.raises(ValidationError, match="hoogstens wat betaald is") as refused:
        refund_at_register(session=session, order=fifty, amount="60", by=cashier, reason="Terug")

    assert refused.value.code == "amount"
    assert _state(session, fifty) == before
    assert session.cash_received() == Decimal("50.00")


def test_bad_input_is_refused_and_changes_nothing(session, fifty, cashier, front_desk) -> None:
    settle_at_register(session=session, order=fifty, method="cash", by=cashier)
    before = _state(session, fifty)

    with pytest.raises(ValidationError, match="geen bedrag"):
        refund_at_register(session=session, order=fifty, amount="twintig", by=cashier, reason="Terug")
    with pytest.raises(ValidationError, match="reden"):
        refund_at_register(session=session, order=fifty, amount="20", by=cashier, reason=" ")
    with pytest.raises(ValidationError, match="kassier"):
        refund_at_register(session=session, order=fifty, amount="20", by=front_desk, reason="Terug")
    with pytest.raises(ValidationError, match="meer dan € 0,00"):
        refund_at_register(session=session, order=fifty, amount="0", by=cashier, reason="Terug")

    assert _state(session, fifty) == before


def test_a_closed_register_pays_nothing_back(session, fifty, cashier) -> None:
    settle_at_register(session=session, order=fifty, method="cash", by=cashier)
    close_session(session=session, by=cashier, total="50")
    before = _state(session, fifty)

    with pytest.raises(ValidationError, match="afgesloten"):
        refund_at_register(session=session, order=fifty, amount="20", by=cashier, reason="Terug")

    assert _state(session, fifty) == before
