"""A citizen on a phone signs in at the e-loket with the (demo) government login, asks a question
and finds it, and their cases, in "Mijn gemeente". axe-core checks every page on the way."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from balie.demo.data import DEMO_PASSWORD

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


def test_a_citizen_signs_in_on_a_phone_and_asks_a_question(demo, browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-BE", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{demo.url}/e-loket/")
        assert_accessible(page)
        page.get_by_role("link", name="Aanmelden").first.click()
        assert_accessible(page)

        # the demo government login: a fictional person instead of an eID
        page.get_by_role("link", name="Aanmelden met eID of itsme").click()
        page.get_by_role("button").first.click()
        page.wait_for_url("**/e-loket/mijn")
        assert "Aangemeld als" in page.content()
        assert_accessible(page)

        # a case of theirs opens with its steps
        cases = page.locator("a[href*='/e-loket/mijn/zaken/']")
        assert cases.count() >= 1
        cases.first.click()
        expect(page.get_by_role("heading", name="Verloop")).to_be_visible()
        assert_accessible(page)
        page.go_back()

        # an empty question is refused next to the field; a real one is registered
        page.get_by_role("link", name="Een vraag stellen").first.click()
        page.get_by_role("button", name="Vraag versturen").click()
        assert "Controleer wat u invulde" in page.content()
        assert_accessible(page)
        question = "Wanneer wordt het grofvuil in de Kerkstraat opgehaald? (e2e)"
        page.get_by_label("Uw vraag").fill(question)
        page.get_by_role("button", name="Vraag versturen").click()
        expect(page.get_by_role("heading", name="Uw vraag is verstuurd")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Naar mijn gemeente").click()
        assert question in page.content()

        # the front desk has it as a task
        rows = demo.query(
            "SELECT t.description FROM contact_moments_internaltask t "
            "JOIN contact_moments_contactmoment m ON m.id = t.contact_moment_id "
            f"WHERE m.channel = 'web' AND m.summary = '{question}'"
        )
        assert rows == [(question,)]

        # the front desk answers it from the back-office; the citizen reads the answer at home
        [(moment_uuid,)] = demo.query(
            f"SELECT uuid FROM contact_moments_contactmoment WHERE channel = 'web' AND summary = '{question}'"
        )
        moment_uuid = uuid.UUID(str(moment_uuid))  # SQLite keeps it as 32 hex digits
        desk = browser.new_context(locale="nl-BE")
        office = desk.new_page()
        office.set_default_timeout(15000)
        try:
            office.goto(f"{demo.url}/aanmelden")
            office.get_by_label("Gebruikersnaam").fill("onthaal")
            office.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
            office.get_by_label("Wachtwoord").press("Enter")
            office.wait_for_url(f"{demo.url}/")
            office.goto(f"{demo.url}/contact/{moment_uuid}")
            answer = "Het grofvuil in de Kerkstraat wordt de eerste dinsdag van de maand opgehaald."
            office.get_by_role("textbox", name="Antwoord (verplicht)").fill(answer)
            office.get_by_role("button", name="Antwoord sturen").click()
            expect(office.get_by_text("Het antwoord staat in het e-loket van de klant.")).to_be_visible()
        finally:
            desk.close()
        page.goto(f"{demo.url}/e-loket/mijn")
        expect(page.get_by_text("Antwoord van de gemeente").first).to_be_visible()
        assert answer in page.content()
        assert_accessible(page)
    finally:
        context.close()
