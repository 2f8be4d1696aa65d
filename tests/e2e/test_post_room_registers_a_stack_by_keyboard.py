"""The post room registers a stack of letters with the keyboard only, in Chromium against the demo:
the page opens in the sender search, Enter searches, the arrow keys and Space pick the sender, and
Enter in any other field saves the letter and starts on the next one."""

from __future__ import annotations

import re

import pytest

from .test_front_desk_hands_off_a_call import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _register_by_keyboard(page, family_name: str, subject: str) -> str:  # type: ignore[no-untyped-def]
    keyboard = page.keyboard
    # the page opens in the sender search
    assert page.evaluate("document.activeElement.name") == "party-zoek"
    keyboard.type(family_name)
    keyboard.press("Enter")  # searches; does not save
    page.locator("#id_party-results input[type=radio]").first.wait_for()
    keyboard.press("Tab")  # the search button
    keyboard.press("Tab")  # the first customer found
    keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "correspondent_name"
    keyboard.press("Tab")
    keyboard.type(subject)
    keyboard.press("Tab")  # reference
    keyboard.press("Tab")  # department: type to choose
    assert page.evaluate("document.activeElement.name") == "department"
    keyboard.type("Omgeving")
    keyboard.press("Shift+Tab")
    with page.expect_navigation():
        keyboard.press("Enter")  # saves, and the next letter can start
    message = page.locator(".message--success").first
    message.wait_for()
    found = re.search(r"(IN-\d{4}-\d{6}) is geregistreerd voor Omgeving\.", message.inner_text())
    assert found, message.inner_text()
    return found.group(1)


def test_the_post_room_registers_two_letters_without_the_mouse(demo, page):  # type: ignore[no-untyped-def]
    family_name = demo.query(
        "SELECT family_name FROM parties_party WHERE kind = 'person' AND merged_into_id IS NULL "
        "ORDER BY id LIMIT 1"
    )[0][0]
    log_in(page, demo, "postkamer")
    page.goto(f"{demo.url}/post/postkamer")

    first = _register_by_keyboard(page, family_name, "Bezwaar tegen de bouwaanvraag (e2e)")
    second = _register_by_keyboard(page, family_name, "Vraag naar de stand van zaken (e2e)")

    year, number = first[3:7], int(first[-6:])
    assert second == f"IN-{year}-{number + 1:06d}"
    recent = page.locator("section[aria-labelledby=recent-title]").inner_text()
    assert first in recent and second in recent
    rows = demo.query(
        "SELECT i.subject, d.code, i.channel FROM correspondence_postitem i "
        f"JOIN accounts_department d ON d.id = i.department_id WHERE i.number IN ('{first}', '{second}') "
        "ORDER BY i.number"
    )
    assert rows == [
        ("Bezwaar tegen de bouwaanvraag (e2e)", "omgeving", "paper"),
        ("Vraag naar de stand van zaken (e2e)", "omgeving", "paper"),
    ]
