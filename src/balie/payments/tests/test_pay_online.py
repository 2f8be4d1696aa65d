"""Online payment end to end: Balie creates the payment, the payer picks Bancontact on the demo
provider's page, the provider's signed webhook reaches Balie, the order is paid; a refund goes back
to the provider through the outbox."""

from __future__ import annotations

import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from decimal import Decimal

import pytest

from balie.core.outbox import deliver_due
from balie.payments.actions import refund, start_online_payment
from balie.payments.models import EntryKind, OnlinePayment, Order, OrderState


@pytest.fixture
def balie_server(settings, transactional_db) -> Iterator[str]:
    """Balie itself on a loopback port, for the provider's webhook."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    yield url
    server.shutdown()
    server.server_close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _choose(checkout_url: str, method: str) -> tuple[int, str]:
    """What the payer's browser does on the provider's page: post the chosen method."""
    opener = urllib.request.build_opener(_NoRedirect)
    data = urllib.parse.urlencode({"method": method}).encode()
    try:
        opener.open(urllib.request.Request(checkout_url, data=data, method="POST"), timeout=10)  # noqa: S310
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", "")
    raise AssertionError("the provider did not redirect")


def test_paying_with_bancontact_on_the_provider_page_pays_the_order(
    order: Order, provider, balie_server, settings
) -> None:
    settings.BALIE_PAYMENT_WEBHOOK_BASE_URL = balie_server
    checkout = start_online_payment(order=order, return_url=f"{balie_server}/terug")
    page = urllib.request.urlopen(checkout, timeout=10).read().decode()  # noqa: S310
    assert "Bancontact" in page and "Wero" in page and "171.00" in page

    status, location = _choose(checkout, "bancontact")

    assert (status, location) == (303, f"{balie_server}/terug")
    online = OnlinePayment.objects.get(order=order)
    assert provider.payments[online.provider_id].webhook_answers == [200]
    order.refresh_from_db()
    assert (order.state, order.balance(), online.state, online.method) == (
        OrderState.PAID,
        Decimal("0.00"),
        "paid",
        "bancontact",
    )


def test_a_payer_who_gives_up_leaves_the_order_open(order: Order, provider, balie_server, settings) -> None:
    settings.BALIE_PAYMENT_WEBHOOK_BASE_URL = balie_server
    checkout = start_online_payment(order=order, return_url=f"{balie_server}/terug")
    _choose(checkout, "cancel")
    order.refresh_from_db()
    assert (order.state, order.balance()) == (OrderState.OPEN, Decimal("171.00"))
    assert OnlinePayment.objects.get(order=order).state == "cancelled"


def test_refunding_an_online_payment_asks_the_provider_once(
    order: Order, provider, balie_server, settings, cashier
) -> None:
    settings.BALIE_PAYMENT_WEBHOOK_BASE_URL = balie_server
    checkout = start_online_payment(order=order, return_url=f"{balie_server}/terug")
    _choose(checkout, "wero")
    refund(order=order, amount=Decimal("50.00"), by=cashier, reason="Waarborg terug")
    run = deliver_due(now=None)
    deadline = time.monotonic() + 5
    online = OnlinePayment.objects.get(order=order)
    while not provider.payments[online.provider_id].refunds and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.attempted >= 1
    assert list(provider.payments[online.provider_id].refunds.values()) == [Decimal("50.00")]
    assert order.entries.filter(kind=EntryKind.REFUND).get().method == "online"


def test_the_provider_unreachable_is_a_dutch_message(order: Order, settings) -> None:
    from django.core.exceptions import ValidationError

    settings.BALIE_PAYMENT_PROVIDER_URL = "http://127.0.0.1:9"
    with pytest.raises(ValidationError, match="niet bereikbaar"):
        start_online_payment(order=order, return_url="http://127.0.0.1:9/terug")
    assert OnlinePayment.objects.count() == 0
