"""The back-office pages of payments: what a cashier does through them, and that outsiders (a
citizen account, an employee without the role) get nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from balie.payments.models import BankStatement, Order, OrderState, Receipt, RegisterSession
from balie.payments.register import close_session, open_session

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def session(register, cashier) -> RegisterSession:
    return open_session(register=register, opening_float="100", by=cashier)


def _pages(order: Order, session: RegisterSession) -> list[str]:
    return [
        reverse("backoffice:payment_orders"),
        reverse("backoffice:payment_order", args=[order.uuid]),
        reverse("backoffice:payment_invoice", args=[order.uuid]),
        reverse("backoffice:register_home"),
        reverse("backoffice:register_session", args=[session.uuid]),
        reverse("backoffice:register_close", args=[session.uuid]),
        reverse("backoffice:bank_import"),
        reverse("backoffice:bank_unmatched"),
    ]


def test_a_citizen_gets_not_found_everywhere(citizen, order: Order, session) -> None:
    client = _client(citizen)
    for url in _pages(order, session):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("backoffice:payment_cancel", args=[order.uuid]), {"reason": "x"}).status_code
        == 404
    )
    order.refresh_from_db()
    assert order.state == OrderState.OPEN


def test_an_employee_without_the_cashier_role_sees_orders_but_not_the_register(
    handler, order: Order, session
) -> None:
    client = _client(handler)
    assert client.get(reverse("backoffice:payment_orders")).status_code == 200
    assert client.get(reverse("backoffice:payment_order", args=[order.uuid])).status_code == 200
    for url in _pages(order, session)[3:]:
        assert client.get(url).status_code in (403, 404), url
    response = client.post(reverse("backoffice:payment_cancel", args=[order.uuid]), {"reason": "x"})
    assert response.status_code in (403, 404)
    order.refresh_from_db()
    assert order.state == OrderState.OPEN


def test_anonymous_goes_to_the_login_page(client: Client, order: Order) -> None:
    response = client.get(reverse("backoffice:payment_order", args=[order.uuid]))
    assert response.status_code == 302 and "/aanmelden" in response["Location"]


def test_every_page_opens_for_a_cashier(cashier, order: Order, session) -> None:
    client = _client(cashier)
    for url in _pages(order, session):
        response = client.get(url)
        assert response.status_code == 200, url
    assert (
        client.get(reverse("backoffice:payment_invoice", args=[order.uuid]))["Content-Type"]
        == "application/pdf"
    )


def test_a_cashier_settles_an_order_by_its_ogm_on_the_register_screen(cashier, order: Order, session) -> None:
    client = _client(cashier)
    url = reverse("backoffice:register_session", args=[session.uuid])
    response = client.post(
        url,
        {"form": "settle", "order-order": order.ogm_display, "order-method": "cash", "order-tendered": "200"},
        follow=True,
    )
    assert response.status_code == 200
    receipt = Receipt.objects.get()
    assert receipt.change == Decimal("29.00")
    assert "Kasticket " + receipt.number in response.content.decode()
    order.refresh_from_db()
    assert order.state == OrderState.PAID


def test_a_wrong_ogm_check_digit_at_the_register_is_refused_clearly(cashier, order: Order, session) -> None:
    wrong = order.ogm[:10] + f"{(int(order.ogm[10:]) % 97) + 1:02d}"
    typed = f"+++{wrong[:3]}/{wrong[3:7]}/{wrong[7:]}+++"
    response = _client(cashier).post(
        reverse("backoffice:register_session", args=[session.uuid]),
        {"form": "settle", "order-order": typed, "order-method": "card"},
    )
    assert response.status_code == 400
    assert (
        f"De gestructureerde mededeling {typed} klopt niet: het controlegetal is fout."
        in response.content.decode()
    )
    assert Receipt.objects.count() == 0
    order.refresh_from_db()
    assert order.state == OrderState.OPEN


def test_a_count_with_letters_on_the_close_page_is_refused_and_the_register_stays_open(
    cashier, session
) -> None:
    response = _client(cashier).post(
        reverse("backoffice:register_close", args=[session.uuid]), {"d_20": "drie", "d_50": "2"}
    )
    assert response.status_code == 400
    assert "Bij € 20 staat „drie”: tel in hele stuks, alleen cijfers." in response.content.decode()
    session.refresh_from_db()
    assert session.is_open and session.counted_cash is None


def test_a_second_cashier_signs_off_the_close(cashier, second_cashier, session) -> None:
    close_session(session=session, by=cashier, total="100,00")
    response = _client(second_cashier).post(reverse("backoffice:register_sign_off", args=[session.uuid]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.signed_off_by == second_cashier and session.difference == Decimal("0.00")


def test_a_bank_statement_is_uploaded_and_its_unmatched_line_linked(cashier, order: Order) -> None:
    client = _client(cashier)
    csv_data = (
        "Datum;Bedrag;Naam tegenpartij;Rekening tegenpartij;Mededeling\n"
        "28/11/2026;171,00;Peeters;;zaal De Linde\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("backoffice:bank_import"), {"file": SimpleUploadedFile("export.csv", csv_data.encode())}
    )
    assert response.status_code == 302
    statement = BankStatement.objects.get()
    line = statement.lines.get()
    page = client.get(reverse("backoffice:bank_unmatched")).content.decode()
    assert "zaal De Linde" in page
    response = client.post(
        reverse("backoffice:bank_unmatched"),
        {"line": str(line.uuid), "action": "link", "order": order.number},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.PAID
