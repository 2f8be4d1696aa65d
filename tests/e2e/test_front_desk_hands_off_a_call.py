"""The foundation's end-to-end story, in Chromium against the running demo."""

from __future__ import annotations

import re

import pytest

from balie.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def log_in(page, demo, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{demo.url}/aanmelden")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(f"{demo.url}/")


def test_a_front_desk_call_handed_off_reaches_the_department_handler(demo, page, browser):  # type: ignore[no-untyped-def]
    # given a person of the demo municipality, known by national number
    national_number, family_name = demo.query(
        "SELECT national_number, family_name FROM parties_party "
        "WHERE national_number IS NOT NULL AND merged_into_id IS NULL ORDER BY id LIMIT 1"
    )[0]
    n = national_number
    formatted = f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}"

    # when the front desk logs in and searches the national number, with the keyboard
    log_in(page, demo, "onthaal")
    search = page.get_by_role("searchbox").first
    search.fill(formatted)
    search.press("Enter")
    page.get_by_role("link", name=re.compile(family_name)).first.click()

    # then the 360° view of that person opens
    expect_heading = page.get_by_role("heading", level=1)
    assert family_name in expect_heading.inner_text()
    assert formatted in page.content()

    # when she registers the phone call and hands it off to Omgeving
    page.keyboard.press("Alt+k")
    assert page.evaluate("document.activeElement.name") == "channel"
    page.get_by_label("Kanaal").select_option("phone")
    summary = "Vraagt wanneer de rioleringswerken in zijn straat beginnen (e2e)"
    page.get_by_label("Samenvatting").fill(summary)
    page.locator("details.handoff summary").click()
    page.get_by_label("Doorgeven aan dienst").select_option(label="Omgeving")
    page.get_by_label("Wat moet er gebeuren?").fill("Bel de klant terug met de planning (e2e)")
    page.get_by_role("button", name="Contact registreren").click()

    # then the contact is on the timeline
    page.get_by_text(summary).first.wait_for()

    # when the handler of Omgeving logs in
    other = browser.new_context(locale="nl-BE")
    handler_page = other.new_page()
    log_in(handler_page, demo, "behandelaar")
    handler_page.goto(f"{demo.url}/taken/dienst")

    # then the task is in his department's list
    handler_page.get_by_text("Bel de klant terug met de planning (e2e)").first.wait_for()
    other.close()
