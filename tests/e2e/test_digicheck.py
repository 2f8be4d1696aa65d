"""The digicheck in Chromium against the demo: an employee takes the whole check with a scripted set
of answers and exercise outcomes (pausing halfway), her HR coordinator scores the rubric exercise,
the result shows exactly the expected level per competence and the expected gaps; a plan covers
every gap; after the training a re-test shows the progress."""

from __future__ import annotations

import re

import pytest

from balie.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCALE = {
    1: "Dat kan ik nog niet",
    2: "Dat kan ik met hulp",
    3: "Dat kan ik zelfstandig",
    4: "Dat kan ik en ik kan anderen helpen",
}
FORM = {
    "Voornaam en naam": "An Peeters",
    "Nieuwe straat en huisnummer": "Kerkstraat 12",
    "Postcode": "2645",
    "Datum van de verhuis": "2026-12-01",
}
# Step -> what she does: a scale value, the choices she ticks, or an exercise outcome.
SCRIPT: dict[int, object] = {
    1: 4,
    2: {"Tot hoe laat is het loket Burgerzaken op donderdag open?": "19:00"},
    3: ["Oplichting"],
    4: ("Niet betrouwbaar", "Het adres is vreemd."),
    5: 3,
    6: "file",
    7: ["E-mail 1"],
    8: ["Het rijksregisternummer", "De pincode van de eID"],
    9: 2,
    10: FORM,
    11: ["Een nieuwe pin- en pukcode aanvragen"],
    12: 3,
    13: ["Op de website van de gemeente"],
    14: ["Een beveiligde digitale brievenbus van de overheid"],
    15: ["De burger laat alles door een kleinkind doen", "De burger heeft geen computer of smartphone"],
    16: ["Ik help de burger om het zelf te doen en bewaar niets"],
    17: 4,
}
# 1.1: 2 ✓ 3 ✓   1.2: 3 ✓ 4 (rubric, judged ✗)   1.3: 2 ✓ 3 ✓   4.2: 3 ✗ 4 ✓   2.3: 3 ✗ 4 ✓
# G.1: 2 ✓ 3 ✓   G.2: 3 ✗   G.3, G.4, G.5: 3 ✓   5.4: 2 ✓
EXPECTED_LEVELS = {
    "1.1": "3", "1.2": "3", "1.3": "3", "2.3": "0", "4.2": "0",
    "G.1": "3", "G.2": "0", "G.3": "3", "G.4": "3", "G.5": "3", "5.4": "2",
}  # fmt: skip
EXPECTED_GAPS = [
    "Bij Evalueren van data, informatie en digitale inhoud zit je nu op niveau 3 (Gemiddeld 3). "
    "Voor je functie is niveau 4 (Gemiddeld 4) het doel: nog 1 stap(pen).",
    "Burgerschap uitoefenen via digitale technologieën is nog nieuw voor je. Voor je functie is niveau 4 "
    "(Gemiddeld 4) het doel.",
    "Beschermen van persoonsgegevens en privacy is nog nieuw voor je. Voor je functie is niveau 4 "
    "(Gemiddeld 4) het doel.",
    "Een burger helpen met MyMinfin is nog nieuw voor je. Voor je functie is niveau 3 "
    "(Gemiddeld 3) het doel.",
]
ALL_RIGHT: dict[int, object] = {**SCRIPT, 7: ["E-mail 3"], 9: 4, 13: ["In MyMinfin"]}


def log_in(page, demo, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{demo.url}/aanmelden")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(f"{demo.url}/")


def do_step(page, position: int, action: object, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text(f"Stap {position} van 17").wait_for()
    if isinstance(action, int):
        page.get_by_label(SCALE[action], exact=True).check()
    elif isinstance(action, list):
        for label in action:
            page.get_by_label(label, exact=True).check()
    elif isinstance(action, tuple):
        page.get_by_label(action[0], exact=True).check()
        page.get_by_label("Waarom? Noem wat je opvalt.").fill(action[1])
    elif action == "file":
        with page.expect_download() as download:
            page.get_by_role("link", name="Download het attest gezinssamenstelling").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        page.get_by_label("Bestand", exact=True).set_input_files(saved)
    else:
        assert isinstance(action, dict)
        for label, value in action.items():
            page.get_by_label(label, exact=True).fill(value)


def take_check(page, demo, script, tmp_path, *, pause_after: int | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{demo.url}/digicheck/")
    page.get_by_role("button", name="Digicheck balie starten").click()
    for position in range(1, 18):
        do_step(page, position, script[position], tmp_path)
        if position == pause_after:
            page.get_by_role("button", name="Bewaren en pauzeren").click()
            page.get_by_text("Je antwoorden zijn bewaard. Je kunt later verdergaan.").wait_for()
            page.get_by_role("button", name="Verdergaan").click()
        else:
            page.get_by_role("button", name="Bewaren en verder").click()
    page.get_by_role("button", name="Digicheck indienen").click()
    page.get_by_role("heading", name="Jouw resultaat").wait_for()


def evaluate_rubric(page, demo, passed: bool) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{demo.url}/digicheck/")
    page.locator("#review + ul a").first.click()
    page.get_by_label("Geslaagd" if passed else "Niet geslaagd", exact=True).check()
    page.get_by_label("Toelichting voor de medewerker").fill("Beoordeeld in de e2e-test.")
    page.get_by_role("button", name="Oordeel bewaren").click()
    page.get_by_text("Het oordeel is bewaard.").wait_for()


def levels_on(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = page.locator("table.digicheck-table tr[data-competence]")
    return {
        rows.nth(i).get_attribute("data-competence"): rows.nth(i).locator("td").first.inner_text().strip()
        for i in range(rows.count())
    }


def test_a_full_digicheck_gives_the_expected_levels_gaps_plan_and_progress(demo, page, browser, tmp_path):  # type: ignore[no-untyped-def]
    # given the front-desk employee with the job profile Onthaal, who never took the check
    log_in(page, demo, "onthaal")

    # when she takes the whole check with the scripted answers, pausing after step 5
    take_check(page, demo, SCRIPT, tmp_path, pause_after=5)

    # then it waits for her coordinator's judgement of the rubric exercise
    page.get_by_text("wordt nog beoordeeld door je HR-coördinator").wait_for()
    result_url = page.url

    # when hr judges the trustworthy-site exercise "niet geslaagd"
    hr_context = browser.new_context(locale="nl-BE")
    hr_page = hr_context.new_page()
    hr_page.set_default_timeout(15000)
    log_in(hr_page, demo, "hr")
    evaluate_rubric(hr_page, demo, passed=False)

    # then her result shows exactly the expected level per competence and the expected gaps
    page.goto(result_url)
    assert levels_on(page) == EXPECTED_LEVELS
    gaps = [text.strip() for text in page.locator("ul.digicheck-gaps li").all_inner_texts()]
    assert gaps == EXPECTED_GAPS
    assert page.locator("svg.radar title").text_content().startswith("Digitale competenties van")

    # when hr draws up the training plan
    hr_page.goto(result_url)
    hr_page.get_by_role("button", name="Opleidingsplan opstellen").click()
    hr_page.get_by_text("Het opleidingsplan is opgesteld.").wait_for()

    # then every gap is covered by a training
    gap_rows = hr_page.locator("#plan-gaps tbody tr")
    assert gap_rows.count() == 4
    assert sorted(gap_rows.nth(i).get_attribute("data-competence") for i in range(4)) == [
        "1.2",
        "2.3",
        "4.2",
        "G.2",
    ]
    assert "Niet gedekt" not in hr_page.locator("#plan-gaps").inner_text()

    # when she follows every training
    while hr_page.get_by_role("button", name=re.compile("^Gevolgd")).count():
        hr_page.get_by_role("button", name=re.compile("^Gevolgd")).first.click()
        hr_page.get_by_text("Het opleidingsplan is bijgewerkt.").wait_for()
    hr_page.get_by_text("Alle opleidingen zijn gevolgd.").wait_for()

    # and takes the check again, now answering everything right
    take_check(page, demo, ALL_RIGHT, tmp_path)
    second_url = page.url
    evaluate_rubric(hr_page, demo, passed=True)

    # then the re-test shows the change against the first check, and no gaps remain
    page.goto(second_url)
    assert levels_on(page) == {**EXPECTED_LEVELS, "1.2": "4", "2.3": "4", "4.2": "4", "G.2": "3"}
    page.get_by_text("Je haalt overal het niveau dat je functie vraagt.").wait_for()
    progress = page.locator("table.digicheck-table tr[data-competence='4.2'] td").nth(2).inner_text()
    assert progress.startswith("0") and "+4 vooruitgang" in progress
    hr_context.close()
