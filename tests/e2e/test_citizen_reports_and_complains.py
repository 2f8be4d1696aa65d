"""A citizen on a phone signs in at the e-loket with the (demo) government login, reports a loose
tile with a photo and a place on the map, files a complaint, and finds both in "Mijn gemeente";
an employee moves the report on and the citizen sees its new status. axe-core checks every page
of the e-loket on the way."""

from __future__ import annotations

import re

import pytest
from PIL import Image
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


def test_a_citizen_reports_a_problem_and_files_a_complaint_on_a_phone(demo, browser, tmp_path):  # type: ignore[no-untyped-def]
    photo = tmp_path / "tegel.jpg"
    Image.new("RGB", (640, 480), (150, 120, 90)).save(photo, format="JPEG")
    context = browser.new_context(locale="nl-BE", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{demo.url}/e-loket/")
        expect(page.get_by_role("link", name=re.compile("Een probleem melden"))).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Aanmelden").first.click()
        page.get_by_role("link", name="Aanmelden met eID of itsme").click()
        page.get_by_role("button").first.click()
        page.wait_for_url("**/e-loket/mijn")
        expect(page.get_by_role("heading", name="Mijn meldingen")).to_be_visible()
        assert_accessible(page)

        # an empty report is refused, with the reasons next to the fields
        page.get_by_role("link", name="Een probleem melden").first.click()
        expect(page.get_by_role("heading", name="Een probleem melden", level=1)).to_be_visible()
        page.wait_for_selector("#report-map.leaflet-container")  # the map is up
        assert_accessible(page)
        page.get_by_role("button", name="Melding versturen").click()
        assert "Controleer wat u invulde" in page.content()
        assert page.locator("#id_lat_error").inner_text().startswith("Duid de plaats aan")
        assert_accessible(page)

        # a real one: a category, a description, a tap on the map and a photo
        page.get_by_label("Wat wilt u melden?").select_option(label="Losliggende tegel")
        page.get_by_label("Beschrijf het probleem").fill("Tegel ligt los voor de bakkerij (e2e).")
        page.locator("#report-map").click()  # the middle of Zonnedaal
        assert page.get_by_label("Breedtegraad").input_value() != ""
        assert page.get_by_label("Lengtegraad").input_value() != ""
        page.get_by_label("Foto's (niet verplicht)").set_input_files(str(photo))
        page.get_by_role("button", name="Melding versturen").click()
        if "Dit werd in de buurt al gemeld" in page.content():  # a demo report close by: send anyway
            assert_accessible(page)
            page.get_by_label("Mijn melding gaat over iets anders: toch versturen").check()
            page.get_by_label("Foto's (niet verplicht)").set_input_files(str(photo))
            page.get_by_role("button", name="Melding versturen").click()
        page.wait_for_url(re.compile(r".*/e-loket/mijn/meldingen/[0-9a-f-]{36}$"))
        report_id = page.url.rsplit("/", 1)[1]
        expect(page.get_by_role("heading", name="Losliggende tegel", level=1)).to_be_visible()
        assert "Uw melding is ontvangen met nummer" in page.content()
        thumbnail = page.get_by_role("img", name=re.compile("Foto 1 bij uw melding"))
        thumbnail.scroll_into_view_if_needed()  # loaded lazily
        page.wait_for_function("() => document.querySelector('.photos img').naturalWidth > 0")
        assert thumbnail.evaluate("img => img.naturalWidth") == 480
        number = demo.query(
            "SELECT c.number FROM reports_report r JOIN cases_case c ON c.id = r.case_id "
            f"WHERE r.uuid = '{report_id.replace('-', '')}' OR r.uuid = '{report_id}'"
        )[0][0]
        assert number in page.content()
        assert_accessible(page)

        # a complaint
        page.get_by_role("link", name="Mijn gemeente").first.click()
        page.get_by_role("link", name="Een klacht indienen").first.click()
        assert_accessible(page)
        page.get_by_label("Onderwerp").fill("Lang wachten aan het loket (e2e)")
        page.get_by_label("Uw klacht").fill("Ik wachtte anderhalf uur op een afspraak om tien uur.")
        page.get_by_label("Soort klacht").select_option(label="Termijnen en wachttijden")
        page.get_by_role("button", name="Klacht indienen").click()
        page.wait_for_url("**/e-loket/mijn/zaken/**")
        assert "Uw klacht is ontvangen met dossiernummer" in page.content()
        expect(page.get_by_role("heading", name="Verloop")).to_be_visible()
        assert_accessible(page)

        # both in "Mijn gemeente": the report under my reports, the complaint among my cases
        page.get_by_role("link", name="Mijn gemeente").first.click()
        mine = page.locator("section[aria-labelledby='meldingen'] li", has_text=number)
        cases = page.locator("section[aria-labelledby='zaken']")
        assert "Status: nieuw" in mine.inner_text()
        assert "Lang wachten aan het loket (e2e)" in cases.inner_text()
        assert number not in cases.inner_text()
        assert_accessible(page)

        # the report handler moves the report on in the back-office
        office = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
        employee = office.new_page()
        employee.set_default_timeout(15000)
        try:
            employee.goto(f"{demo.url}/aanmelden")
            employee.get_by_label("Gebruikersnaam").fill("behandelaar")
            employee.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
            employee.get_by_label("Wachtwoord").press("Enter")
            employee.wait_for_url(f"{demo.url}/")
            employee.goto(f"{demo.url}/meldingen/{report_id}")
            employee.get_by_label("Nieuwe status").select_option(label="in behandeling")
            employee.get_by_label("Waarom").fill("Ingepland voor morgen")
            employee.get_by_role("button", name="Status wijzigen").click()
            assert "De status is aangepast." in employee.content()
        finally:
            office.close()

        # the citizen sees it
        page.reload()
        assert "Status: in behandeling" in mine.inner_text()
        page.locator(f"a[href$='/mijn/meldingen/{report_id}']").click()
        assert page.locator(".steps li").last.inner_text().startswith("In behandeling")
        assert_accessible(page)
    finally:
        context.close()
