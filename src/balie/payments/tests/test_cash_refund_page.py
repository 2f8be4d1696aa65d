"""The register page gives money back in cash: the cashier types the order, the amount and the
reason; a refused refund shows why and changes nothing; outsiders get nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from balie.payments.actions import create_order
from balie.payments.models import Order, RegisterSession
from balie.payments.register import open_session, settle_at_register

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def session(register, cashier) -> RegisterSession:
    return open_session(register=register, opening_float="100", by=cashier)


@pytest.fixture
def paid(session, customer, cashier) -> Order:
    order = create_order(
        party=customer,
        lines=[{"description": "Zaal, vergadering", "quantity": Decimal(1), "unit_amount": Decimal("50")}],
        reference="counter:test",
        by=cashier,
    )
    settle_at_register(session=session, order=order, method="cash", by=cashier)
    return order


def _refund(client, session, order, amount, reason="Korter gebruikt"):
    return client.post(
        reverse("backoffice:register_refund", args=[session.uuid]),
        {"refund-order": order.number, "refund-amount": amount, "refund-reason": reason},
    )


def test_the_cashier_gives_money_back_in_cash_from_the_register_page(cashier, session, paid) -> None:
    client = _client(cashier)
    page = client.get(reverse("backoffice:register_session", args=[session.uuid])).content.decode()
    assert "Contant teruggeven" in page

    response = _refund(client, session, paid, "20,00")

    assert response.status_code == 302
    assert session.cash_received() == Decimal("30.00")
    page = client.get(response["Location"]).content.decode()
    assert f"€ 20,00 contant teruggegeven op bestelling {paid.number}." in page


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [
        ("60", "Terug", "hoogstens wat betaald is"),
        ("twintig", "Terug", "geen bedrag"),
        ("20", "", "Vul de bestelling, het bedrag en de reden in."),
    ],
)
def test_a_refused_refund_shows_why_and_changes_nothing(
    cashier, session, paid, amount, reason, message
) -> None:
    client = _client(cashier)
    entries = paid.entries.count()

    response = _refund(client, session, paid, amount, reason)

    assert session.cash_received() == Decimal("50.00") and paid.entries.count() == entries
    assert message in client.get(response["Location"]).content.decode()


def test_more_than_the_drawer_holds_is_refused(cashier, register, customer) -> None:
    session = open_session(register=register, opening_float="0", by=cashier)
    order = create_order(
        party=customer,
        lines=[{"description": "Zaal", "quantity": Decimal(1), "unit_amount": Decimal("50")}],
        reference="counter:test",
        by=cashier,
    )
    settle_at_register(session=session, order=order, method="card", by=cashier)
    client = _client(cashier)

    response = _refund(client, session, order, "20")

    assert session.cash_received() == Decimal("0.00")
    assert "Er zit maar € 0,00 in de kassa" in client.get(response["Location"]).content.decode()


def test_outsiders_cannot_give_money_back(handler, citizen, session, paid) -> None:
    for user in (handler, citizen):
        response = _refund(_client(user), session, paid, "20")
        assert response.status_code in (403, 404)
    assert _refund(Client(), session, paid, "20").status_code == 302  # to the login page
    assert session.cash_received() == Decimal("50.00")


def test_a_guessed_register_session_is_not_found(cashier, paid) -> None:
    response = _refund(
        _client(cashier), RegisterSession(uuid="5b1f1a8e-0000-4000-8000-000000000000"), paid, "20"
    )
    assert response.status_code == 404
