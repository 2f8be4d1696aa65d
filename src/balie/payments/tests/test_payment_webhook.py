"""The provider's webhook: signed, recent, once. A forged or replayed one changes nothing."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
from django.test import Client

from balie.payments.actions import start_online_payment
from balie.payments.adapters.provider import sign
from balie.payments.models import LedgerEntry, OnlinePayment, Order, OrderState, WebhookReceipt

pytestmark = pytest.mark.django_db
URL = "/api/betalingen/webhook"


def _post(
    client: Client, body: bytes, *, secret: str, webhook_id: str = "msg_1", timestamp: int | None = None
):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={
            "webhook-id": webhook_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret=secret, webhook_id=webhook_id, timestamp=timestamp, body=body),
        },
    )


def _paid_body(payment_id: str, amount: str = "171.00") -> bytes:
    return json.dumps(
        {
            "type": "payment.paid",
            "data": {
                "id": payment_id,
                "status": "paid",
                "amount": {"currency": "EUR", "value": amount},
                "method": "bancontact",
            },
        }
    ).encode()


def _state(order: Order) -> tuple:
    order.refresh_from_db()
    return (
        order.state,
        order.balance(),
        LedgerEntry.objects.count(),
        list(OnlinePayment.objects.values_list("state", flat=True)),
    )


@pytest.fixture
def started(order: Order, provider) -> OnlinePayment:
    url = start_online_payment(order=order, return_url="http://127.0.0.1:9/terug")
    online = OnlinePayment.objects.get(order=order)
    assert url == f"{provider.url}/pay/{online.provider_id}"
    assert online.amount == Decimal("171.00")
    return online


def test_a_signed_webhook_pays_the_order_once(
    client: Client, order: Order, started: OnlinePayment, settings
) -> None:
    body = _paid_body(started.provider_id)
    response = _post(client, body, secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET)
    assert response.status_code == 200 and response.json() == {"outcome": "paid"}
    assert _state(order) == (OrderState.PAID, Decimal("0.00"), 2, ["paid"])


def test_a_replayed_webhook_changes_nothing(
    client: Client, order: Order, started: OnlinePayment, settings
) -> None:
    body = _paid_body(started.provider_id)
    _post(client, body, secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET, webhook_id="msg_a")
    before = _state(order)
    # the same message again, and the same content under a new id (a provider's retry)
    again = _post(client, body, secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET, webhook_id="msg_a")
    retry = _post(client, body, secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET, webhook_id="msg_b")
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    assert (retry.status_code, retry.json()) == (200, {"outcome": "duplicate"})
    assert _state(order) == before == (OrderState.PAID, Decimal("0.00"), 2, ["paid"])


def test_an_old_webhook_replayed_later_is_refused(
    client: Client, order: Order, started: OnlinePayment, settings
) -> None:
    body = _paid_body(started.provider_id)
    response = _post(
        client, body, secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET, timestamp=int(time.time()) - 3600
    )
    assert response.status_code == 401
    assert _state(order) == (OrderState.OPEN, Decimal("171.00"), 1, ["created"])
    assert WebhookReceipt.objects.count() == 0


def test_a_forged_webhook_changes_nothing(client: Client, order: Order, started: OnlinePayment) -> None:
    body = _paid_body(started.provider_id)
    forged = _post(client, body, secret="not-the-secret")
    unsigned = client.post(URL, data=body, content_type="application/json")
    assert (forged.status_code, unsigned.status_code) == (401, 401)
    assert _state(order) == (OrderState.OPEN, Decimal("171.00"), 1, ["created"])
    assert WebhookReceipt.objects.count() == 0


def test_a_forged_body_under_a_real_signature_is_refused(
    client: Client, order: Order, started: OnlinePayment, settings
) -> None:
    timestamp = int(time.time())
    genuine = _paid_body(started.provider_id)
    signature = sign(
        secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET, webhook_id="msg_1", timestamp=timestamp, body=genuine
    )
    forged = _paid_body(started.provider_id, amount="1.00")
    response = client.post(
        URL,
        data=forged,
        content_type="application/json",
        headers={"webhook-id": "msg_1", "webhook-timestamp": str(timestamp), "webhook-signature": signature},
    )
    assert response.status_code == 401
    assert _state(order) == (OrderState.OPEN, Decimal("171.00"), 1, ["created"])


def test_a_signed_webhook_with_another_amount_is_refused(
    client: Client, order: Order, started: OnlinePayment, settings
) -> None:
    response = _post(
        client, _paid_body(started.provider_id, amount="1.00"), secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET
    )
    assert response.status_code == 401
    assert _state(order) == (OrderState.OPEN, Decimal("171.00"), 1, ["created"])
    assert WebhookReceipt.objects.count() == 0


def test_a_payment_for_a_cancelled_order_is_booked_and_given_back(
    client: Client, order: Order, started: OnlinePayment, settings, cashier
) -> None:
    from balie.core.models import OutboxMessage
    from balie.payments.actions import cancel_order

    cancel_order(order=order, by=cashier, reason="Afgelast")
    started.refresh_from_db()
    OnlinePayment.objects.filter(pk=started.pk).update(state="created")  # the payer was already paying
    response = _post(client, _paid_body(started.provider_id), secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET)
    assert (response.status_code, response.json()) == (200, {"outcome": "refunded"})
    order.refresh_from_db()
    assert (order.state, order.balance(), order.paid_total()) == (
        OrderState.CANCELLED,
        Decimal("0.00"),
        Decimal("0.00"),
    )
    message = OutboxMessage.objects.get(sender="payments.provider_refund")
    assert message.payload["amount"] == "171.00"
