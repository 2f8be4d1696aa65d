"""A citizen on a phone books a room at the e-loket: signs in with the (demo) government login, picks
a room, sees the price, books it, pays with Bancontact at the (demo) payment provider, comes back
to a confirmed booking with its door PIN, and finds it and the payment in "Mijn gemeente". axe-core
checks every page of the e-loket on the way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: {serious}"


def _a_tuesday_weeks_ahead() -> dt.date:
    day = dt.date.today() + dt.timedelta(days=75)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def test_a_citizen_books_a_room_on_a_phone_and_pays_it_online(demo, browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-BE", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{demo.url}/e-loket/")
        assert_accessible(page)
        page.get_by_role("link", name="Een zaal reserveren").first.click()
        page.wait_for_url("**/e-loket/zalen")
        assert_accessible(page)
        page.get_by_role("link", name="Vergaderzaal bibliotheek").click()

        # booking asks to sign in: the demo government login, a fictional person instead of an eID
        page.get_by_role("link", name="Aanmelden met eID of itsme").click()
        page.get_by_role("button").first.click()
        page.wait_for_url("**/e-loket/zalen/bib-vergaderzaal")
        expect(page.get_by_role("heading", name="Uw tarief")).to_be_visible()
        assert "U reserveert als" in page.content()
        assert_accessible(page)

        # an empty form is refused next to its fields
        page.get_by_role("button", name="Reserveren").click()
        assert "Controleer wat u invulde" in page.content()
        assert_accessible(page)

        # the price of the slot first, then the booking
        day = _a_tuesday_weeks_ahead()
        page.get_by_label("Datum").fill(day.isoformat())
        page.get_by_label("Van").fill("09:00")
        page.get_by_label("Tot", exact=True).fill("11:00")
        page.get_by_label("Aantal personen").fill("8")
        page.get_by_label("Activiteit").fill("Bestuursvergadering buurtcomité (e2e)")
        page.get_by_role("button", name="Prijs berekenen").click()
        expect(page.get_by_role("heading", name="Prijs van dit moment")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Reserveren").click()
        page.wait_for_url("**/e-loket/mijn/reservaties/*")
        assert "genoteerd als optie" in page.content()
        number = page.locator("dt:has-text('Reservatienummer') + dd").inner_text()
        assert_accessible(page)

        # pay at the provider with Bancontact and come back
        page.get_by_role("button", name="Online betalen").click()
        page.wait_for_url(re.compile(r".*/pay/.*"))
        assert page.get_by_role("heading", level=1).inner_text().startswith("Betalen: €")
        page.get_by_role("button", name="Bancontact").click()
        page.wait_for_url("**/e-loket/mijn/reservaties/*")
        assert page.locator(".status").first.inner_text() == "bevestigd"
        pin = page.locator(".pin__code").inner_text()
        assert re.fullmatch(r"\d{4,8}", pin), pin
        assert_accessible(page)

        # "Mijn gemeente": the confirmed booking and the paid order
        page.get_by_role("link", name="Mijn gemeente").first.click()
        page.wait_for_url("**/e-loket/mijn")
        bookings = page.locator("section[aria-labelledby='reservaties'] li")
        assert number in bookings.first.inner_text() and "bevestigd" in bookings.first.inner_text()
        payments = page.locator("section[aria-labelledby='betalingen'] li")
        assert "betaald" in payments.first.inner_text()
        assert_accessible(page)
        payments.first.get_by_role("link").click()
        expect(page.get_by_role("heading", name="Betalingen en terugbetalingen")).to_be_visible()
        assert "Bancontact" in page.content() or "online" in page.content()
        assert_accessible(page)

        rows = demo.query(
            "SELECT b.status, b.channel, o.state FROM reservations_booking b "
            f"JOIN payments_order o ON o.id = b.order_id WHERE b.number = '{number}'"
        )
        assert rows == [("confirmed", "portal", "paid")]
    finally:
        context.close()
