"""A handler registers an outgoing letter and sends it to the addressee's eBox, in Chromium against
the demo: the channel chosen with the arrow keys, the INSZ typed, Enter sends; the demo's worker
publishes it at the demo eBox (which `balie demo` started), and the item page shows it delivered."""

from __future__ import annotations

import io
import json
import re
import time
import urllib.request

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from .test_front_desk_hands_off_a_call import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INSZ = "85073003328"


def _letter_pdf() -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.drawString(72, 770, "Gemeente Zonnedaal")
    sheet.drawString(72, 600, "Betreft: uw aanvraag (e2e)")
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _ebox_messages(url: str) -> list[dict]:
    with urllib.request.urlopen(f"{url}/demo/messages", timeout=5) as response:  # noqa: S310 - loopback
        return list(json.loads(response.read()))


def test_a_letter_is_sent_to_the_ebox_with_the_keyboard(demo, page, tmp_path):  # type: ignore[no-untyped-def]
    log = (demo.database.parent / "demo.log").read_text()
    found = re.search(r"De demo-eBox toont wat Balie er verstuurde: (http://127\.0\.0\.1:\d+)", log)
    assert found, log[-2000:]
    ebox_url = found.group(1)
    letter = tmp_path / "beslissing.pdf"
    letter.write_bytes(_letter_pdf())

    log_in(page, demo, "behandelaar")
    page.goto(f"{demo.url}/post/uitgaand/nieuw")
    page.get_by_label("Of de naam van de geadresseerde").fill("Marc Claes")
    page.get_by_label("Onderwerp").fill("Beslissing over uw aanvraag (e2e)")
    page.get_by_label("Brief").set_input_files(str(letter))
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_url(re.compile(r"/post/[0-9a-f-]+$"))
    number = re.search(r"OUT-\d{4}-\d{6}", page.locator(".case-head__number").inner_text())
    assert number

    page.get_by_role("link", name="Verzenden").click()
    page.wait_for_url(re.compile(r"/verzenden$"))
    keyboard = page.keyboard
    # No e-mail address known: paper is proposed. The arrow keys move through the channels.
    page.locator("input[name=channel]:checked").focus()
    assert page.evaluate("document.activeElement.value") == "paper"
    keyboard.press("ArrowLeft")
    keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.value") == "ebox"
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "ebox_identifier"
    keyboard.type("85.07.30-033.28")
    with page.expect_navigation():
        keyboard.press("Enter")

    assert "Het poststuk gaat uit via eBox naar eBox van burger 85.07.30-033.28." in page.content()
    deadline = time.monotonic() + 30
    published = []
    while time.monotonic() < deadline and not published:
        published = [
            m for m in _ebox_messages(ebox_url) if number.group(0) in next(iter(m["subject"].values()))
        ]
        time.sleep(0.5)
    assert published, "the demo eBox did not get the letter"
    [message] = published
    assert message["recipient"] == {"eboxType": "citizen", "ssin": INSZ}
    assert [a["isMainContent"] for a in message["attachments"]] == [True]
    page.reload()
    card = page.locator("#verzending").inner_text()
    assert "afgeleverd" in card and "Gepubliceerd in de eBox." in card
