"""A case type set up entirely through the back-office pages, then worked end to end: the
functional administrator builds and publishes it; a handler registers a case for a customer,
ticks off the task, moves the status (the customer gets an e-mail at a real SMTP server), closes
the case with a result, and finds the mail on the customer's 360° view. Chromium, real demo."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from balie.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CASE_TYPE = "Terrasvergunning (e2e)"
SUBJECT = "Terras voor café De Zon (e2e)"


def log_in(page, demo, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{demo.url}/aanmelden")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(f"{demo.url}/")


def set_up_the_case_type(page) -> None:  # type: ignore[no-untyped-def]
    """As the functional administrator, through Beheer › Zaaktypes only."""
    page.get_by_text("Meer", exact=True).click()  # the header's menu of the less daily pages
    page.get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Zaaktypes").click()
    page.get_by_role("link", name="Nieuw zaaktype").click()
    page.get_by_label("Naam").fill(CASE_TYPE)
    page.get_by_label("Code").fill("terras-e2e")
    page.get_by_label("Verantwoordelijke dienst").select_option(label="Omgeving")
    page.get_by_role("button", name="Aanmaken").click()
    page.get_by_role("heading", name=CASE_TYPE, level=1).wait_for()

    # general settings: 15 working days
    page.get_by_label("Doorlooptijd").fill("15")
    page.get_by_label("werkdagen").check()
    page.get_by_role("button", name="Algemene instellingen bewaren").click()
    page.get_by_text("De algemene instellingen zijn bewaard.").wait_for()

    # three statuses, in order; the last one closes the case
    for number, name in enumerate(("Ingediend", "In behandeling", "Beslist"), start=1):
        page.get_by_label("Naam van de nieuwe status").fill(name)
        page.get_by_role("button", name="Status toevoegen").click()
        page.get_by_role("heading", name=f"{number}. {name}").wait_for()

    # a required task while the case is "Ingediend"
    page.get_by_label("Nieuwe taak bij „Ingediend”").fill("Volledigheid nakijken")
    page.get_by_role("button", name="Taak toevoegen (Ingediend)").click()
    page.get_by_text("De taak is toegevoegd aan „Ingediend”.").wait_for()

    # transitions: from "Ingediend" also straight to "Beslist"
    transitions = page.get_by_role("group", name="Vanuit „Ingediend” mag de zaak naar")
    assert transitions.get_by_label("In behandeling").is_checked()  # the order gave this one
    transitions.get_by_label("Beslist").check()
    page.get_by_role("button", name="Overgangen bewaren (Ingediend)").click()
    page.get_by_text("De overgangen vanuit „Ingediend” zijn bewaard.").wait_for()

    # "In behandeling" informs the customer, in Dutch
    page.get_by_role("link", name="Wijzigen In behandeling").click()
    page.get_by_label("Klant informeren").check()
    dutch = page.get_by_role("group", name=re.compile("Bericht in het Nederlands"))
    dutch.get_by_label("Onderwerp").fill("Uw aanvraag {{ zaak.nummer }} is in behandeling")
    dutch.get_by_label("Tekst").fill(
        "Beste {{ klant.naam }},\n\nWe behandelen uw aanvraag „{{ zaak.onderwerp }}”. U hoort van ons "
        "uiterlijk op {{ zaak.termijn }}.\n\nDienst {{ zaak.dienst }}, {{ gemeente }}"
    )
    page.get_by_role("button", name="Bewaren").click()
    page.get_by_text("De status „In behandeling” is bewaard.").wait_for()

    # the applicant's role and a result with its archival rule
    page.get_by_text("Rol toevoegen").first.click()
    page.get_by_label("Soort rol").select_option(label="aanvrager")
    page.get_by_label("Naam van de rol").fill("Aanvrager")
    page.get_by_role("button", name="Rol toevoegen").click()
    page.get_by_text("De rol is toegevoegd.").wait_for()
    page.get_by_text("Resultaat toevoegen").first.click()
    page.get_by_label("Naam van het resultaat").fill("Vergund")
    page.get_by_label("blijvend bewaren").check()
    page.get_by_label("Bewaartermijn (jaren)").fill("10")
    page.get_by_role("button", name="Resultaat toevoegen").click()
    page.get_by_text("Het resultaat is toegevoegd.").wait_for()

    # nothing stops publishing any more
    page.get_by_text("Het ontwerp is volledig en kan gepubliceerd worden.").wait_for()
    page.get_by_role("button", name="Publiceren").click()
    page.get_by_text("Versie 1 is gepubliceerd").wait_for()


def test_a_case_type_built_in_the_back_office_runs_end_to_end(demo, browser):  # type: ignore[no-untyped-def]
    # given a customer of the demo municipality with an e-mail address
    party_name, given_name, family_name, address = demo.query(
        "SELECT p.display_name, p.given_name, p.family_name, c.value "
        "FROM parties_party p JOIN parties_contactpoint c ON c.party_id = p.id "
        "WHERE p.kind = 'person' AND c.kind = 'email' AND p.merged_into_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM parties_contactpoint o WHERE o.party_id = p.id AND o.kind = 'email' "
        "AND o.id <> c.id) ORDER BY p.id LIMIT 1"
    )[0]

    # when the functional administrator builds and publishes a case type in Beheer
    admin = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    page = admin.new_page()
    page.set_default_timeout(15000)
    log_in(page, demo, "beheer")
    set_up_the_case_type(page)
    admin.close()

    # and a handler of Omgeving registers a case of that type for the customer
    handler = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    page = handler.new_page()
    page.set_default_timeout(15000)
    log_in(page, demo, "behandelaar")
    page.goto(f"{demo.url}/zaken/nieuw")
    page.get_by_label("Zaaktype").select_option(label=f"{CASE_TYPE} (Omgeving)")
    page.get_by_role("button", name="Verder").click()
    page.get_by_label("Onderwerp").fill(SUBJECT)
    page.get_by_label("Zoek een klant").fill(address)
    page.get_by_label(party_name).check()
    page.get_by_role("button", name="Zaak registreren").last.click()
    page.get_by_role("heading", name=SUBJECT, level=1).wait_for()
    number = re.search(
        r"C\d{4}-\d{6}", page.get_by_text(re.compile(r"Zaak C\d{4}-\d{6} is geregistreerd")).inner_text()
    )
    assert number is not None
    case_number = number.group(0)
    expect(page.get_by_text("Ingediend").first).to_be_visible()

    # and works the task, then moves the case on
    page.get_by_role("button", name=re.compile(r"^Afvinken\W+Volledigheid nakijken")).click()
    page.get_by_role("button", name=re.compile(r"^Heropenen\W+Volledigheid nakijken")).wait_for()
    page.get_by_text("Status wijzigen").first.click()
    page.get_by_label("Nieuwe status").select_option(label="In behandeling")
    page.get_by_role("button", name="Status wijzigen").click()
    page.get_by_text("De status is gewijzigd.").wait_for()

    # then the customer gets the Dutch message, filled in, at the SMTP server
    mail = demo.mailbox.wait_for(lambda message: case_number in str(message["Subject"]), timeout=20)
    assert str(mail["Subject"]) == f"Uw aanvraag {case_number} is in behandeling"
    assert str(mail["To"]) == address
    assert mail["X-Balie-Case"] == case_number
    body = mail.get_content()
    assert f"Beste {given_name} {family_name}," in body and f"„{SUBJECT}”" in body
    assert "Dienst Omgeving, Gemeente Zonnedaal" in body
    assert "{{" not in body

    # when the handler closes the case with its result
    page.get_by_text("Afsluiten met een resultaat").first.click()
    page.get_by_label(re.compile(r"^Resultaat\b")).select_option(label="Vergund")
    page.get_by_role("button", name="Zaak afsluiten").click()
    page.get_by_text("De zaak is afgesloten.").wait_for()

    # then the case page shows it closed with that result
    expect(page.get_by_text(re.compile("Afgesloten op .* met resultaat ‘Vergund’"))).to_be_visible()

    # and the customer's 360° view shows the case and the outgoing e-mail about it
    page.get_by_role("link", name=party_name).first.click()
    page.get_by_role("heading", name=party_name, level=1).wait_for()
    page.get_by_text(f"Uw aanvraag {case_number} is in behandeling").first.wait_for()
    expect(page.get_by_text(f"{case_number} · {CASE_TYPE}").first).to_be_visible()
    handler.close()
