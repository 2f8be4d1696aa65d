"""The cash register: open with a float, settle in cash or by card with a numbered receipt, sell
counter fees, close with a count (per denomination or total), signed off by a second person."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from balie.core.outbox import deliver_due
from balie.payments.models import Order, OrderState, Receipt, RegisterSession
from balie.payments.register import (
    close_session,
    open_session,
    sell_counter_fees,
    settle_at_register,
    sign_off_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(register, cashier) -> RegisterSession:
    return open_session(register=register, opening_float="150,00", by=cashier)


def test_cash_at_the_register_pays_the_order_with_a_receipt_and_change(
    session, order: Order, cashier
) -> None:
    receipt = settle_at_register(session=session, order=order, method="cash", tendered="200", by=cashier)
    order.refresh_from_db()
    assert receipt.number.endswith("-000001") and receipt.number.startswith("KT-")
    assert (receipt.amount, receipt.tendered, receipt.change) == (
        Decimal("171.00"),
        Decimal("200.00"),
        Decimal("29.00"),
    )
    assert (order.state, order.balance()) == (OrderState.PAID, Decimal("0.00"))
    assert session.cash_received() == Decimal("171.00")


def test_too_little_cash_is_refused_and_changes_nothing(session, order: Order, cashier) -> None:
    with pytest.raises(ValidationError, match="minder dan te betalen"):
        settle_at_register(session=session, order=order, method="cash", tendered="100", by=cashier)
    with pytest.raises(ValidationError, match="geen bedrag"):
        settle_at_register(session=session, order=order, method="cash", tendered="twintig", by=cashier)
    order.refresh_from_db()
    assert (order.state, Receipt.objects.count(), order.entries.count()) == (OrderState.OPEN, 0, 1)


def test_only_a_cashier_works_the_register(register, front_desk) -> None:
    with pytest.raises(ValidationError, match="kassier"):
        open_session(register=register, opening_float="0", by=front_desk)
    assert RegisterSession.objects.count() == 0


def test_a_register_is_opened_once(session, register, cashier) -> None:
    with pytest.raises(ValidationError, match="al geopend"):
        open_session(register=register, opening_float="0", by=cashier)


def test_counter_fees_are_sold_from_the_catalogue_and_the_receipt_mailed(
    session, cashier, django_capture_on_commit_callbacks
) -> None:
    receipt = sell_counter_fees(
        session=session,
        items={"uittreksel-bevolking": 2, "restafvalcontainer-120": 1},
        method="card",
        by=cashier,
        email="lotte@example.be",
    )
    assert receipt.amount == Decimal("55.00")
    assert [(line.description, line.vat_rate) for line in receipt.order.lines.all()] == [
        ("Uittreksel uit het bevolkingsregister", Decimal("0.00")),
        ("Restafvalcontainer 120 liter", Decimal("21.00")),
    ]
    assert receipt.order.reference == f"counter:{session.uuid}"
    deliver_due()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lotte@example.be"]
    assert receipt.number in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][0] == f"kasticket-{receipt.number}.pdf"


def test_the_day_close_compares_expected_and_counted_per_denomination(
    session, order: Order, cashier, second_cashier
) -> None:
    settle_at_register(session=session, order=order, method="cash", tendered="171", by=cashier)
    # float 150 + cash 171 = 321 expected; counted 6 × 50 + 1 × 20 + 1 × 0,50 = 320,50
    closed = close_session(session=session, by=cashier, per_denomination={"50": "6", "20": "1", "0.50": "1"})
    assert (closed.expected_cash, closed.counted_cash, closed.difference) == (
        Decimal("321.00"),
        Decimal("320.50"),
        Decimal("-0.50"),
    )
    assert closed.count_detail == {"50": 6, "20": 1, "0.50": 1}
    with pytest.raises(ValidationError, match="tweede persoon"):
        sign_off_session(session=closed, by=cashier)
    signed = sign_off_session(session=closed, by=second_cashier)
    assert signed.signed_off_by == second_cashier


def test_a_cash_count_with_letters_is_refused_and_changes_nothing(session, cashier) -> None:
    with pytest.raises(ValidationError) as per_piece:
        close_session(session=session, by=cashier, per_denomination={"50": "6", "20": "twee"})
    assert per_piece.value.messages == ["Bij € 20 staat „twee”: tel in hele stuks, alleen cijfers."]
    with pytest.raises(ValidationError) as total:
        close_session(session=session, by=cashier, total="32O,50")
    assert total.value.messages == [
        "„32O,50” is geen bedrag: typ alleen cijfers, met eventueel een komma en twee decimalen."
    ]
    session.refresh_from_db()
    assert (session.is_open, session.counted_cash, session.difference) == (True, None, None)


def test_a_closed_register_takes_no_more_money(session, order: Order, cashier) -> None:
    close_session(session=session, by=cashier, total="150")
    with pytest.raises(ValidationError, match="afgesloten"):
        settle_at_register(session=session, order=order, method="card", by=cashier)
    assert Receipt.objects.count() == 0
