"""In Chromium: an employee starts an online payment on the order page, the payer clicks
Bancontact on the demo provider's page, comes back to the order, which is paid."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.test import Client

from balie.payments.models import Order, OrderState

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def balie_server(settings, transactional_db) -> Iterator[str]:
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_paying_with_bancontact_in_the_browser(
    order: Order, cashier, provider, balie_server, settings, tmp_path
) -> None:
    from playwright.sync_api import sync_playwright

    settings.BALIE_PAYMENT_WEBHOOK_BASE_URL = balie_server
    client = Client()
    client.force_login(cashier)
    session_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
            )
            context = browser.new_context(locale="nl-BE")
            context.add_cookies(
                [{"name": django_settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": balie_server}]
            )
            page = context.new_page()
            page.goto(f"{balie_server}/betalingen/{order.uuid}")
            page.get_by_role("button", name="Online betalen").click()
            page.wait_for_url(f"{provider.url}/pay/*")
            assert page.get_by_role("heading", level=1).inner_text() == "Betalen: € 171.00"
            page.get_by_role("button", name="Bancontact").focus()
            page.keyboard.press("Enter")
            page.wait_for_url(f"{balie_server}/betalingen/{order.uuid}")
            badge = page.locator(".page-head__sub .badge").inner_text()
            page.screenshot(path=str(tmp_path / "order-paid.png"), full_page=True)
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    order.refresh_from_db()
    assert (badge, order.state) == ("betaald", OrderState.PAID)
