"""Registering a contact: the quick panel on the 360° view and the page for anonymous callers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.contact_moments.models import ContactMoment, InternalTask

from .conftest import field_error, html


def _panel(party) -> str:
    return reverse("backoffice:register_for_party", args=[party.uuid])


def _counts() -> tuple[int, int]:
    return ContactMoment.objects.count(), InternalTask.objects.count()


def test_the_panel_registers_a_phone_call_and_shows_it_on_the_timeline(desk, front_desk, jan, topic):
    response = desk.post(
        _panel(jan),
        {
            "channel": "phone",
            "direction": "in",
            "topic": topic.pk,
            "summary": "Vraagt naar de eID",
            "duration_minutes": "4",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:party", args=[jan.uuid]) + "#tijdlijn"
    moment = ContactMoment.objects.get()
    assert (moment.party, moment.channel, moment.direction, moment.topic) == (jan, "phone", "in", topic)
    assert (moment.summary, moment.duration_seconds, moment.employee) == (
        "Vraagt naar de eID",
        240,
        front_desk,
    )
    assert moment.outcome == "answered" and moment.confidential is False
    page = html(desk.get(response["Location"]))
    assert "Het contact is geregistreerd." in page
    assert "Vraagt naar de eID" in page
    assert "Telefoon – Identiteitskaart" in page


def test_the_panel_defaults_to_an_incoming_phone_call_with_a_shortcut(desk, jan):
    page = html(desk.get(reverse("backoffice:party", args=[jan.uuid])))

    assert '<option value="phone" selected>Telefoon</option>' in page
    assert 'value="in"' in page.split('name="direction"')[1][:60] or 'name="direction" value="in"' in page
    assert 'data-shortcut="k" aria-keyshortcuts="Alt+K"' in page


def test_with_htmx_the_panel_comes_back_empty_with_the_new_entry_on_the_timeline(desk, jan):
    response = desk.post(
        _panel(jan),
        {"channel": "counter", "direction": "in", "summary": "Komt attest halen"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="contact-panel",
    )

    page = html(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert '<div id="timeline" hx-swap-oob="innerHTML">' in page
    assert "timeline__entry--new" in page and "Komt attest halen" in page
    assert '<div id="messages" hx-swap-oob="innerHTML">' in page and "Het contact is geregistreerd." in page
    assert '<textarea name="summary"' in page and "Komt attest halen</textarea>" not in page


def test_a_handoff_creates_a_task_for_the_chosen_department(desk, handler, jan):
    due = timezone.localdate() + dt.timedelta(days=3)

    desk.post(
        _panel(jan),
        {
            "channel": "phone",
            "direction": "in",
            "summary": "Put in de straat",
            "department": handler.department.pk,
            "team": handler.team.pk,
            "assignee": handler.pk,
            "description": "Ter plaatse gaan kijken",
            "due_date": due.isoformat(),
        },
    )

    moment = ContactMoment.objects.get()
    task = InternalTask.objects.get()
    assert moment.outcome == "handed_off"
    assert (task.contact_moment, task.party, task.department, task.team, task.assignee) == (
        moment,
        jan,
        handler.department,
        handler.team,
        handler,
    )
    assert (task.description, task.due_date, task.status) == ("Ter plaatse gaan kijken", due, "todo")


def test_a_confidential_contact_is_registered_as_such(desk, jan):
    desk.post(
        _panel(jan), {"channel": "phone", "direction": "in", "summary": "Gevoelig", "confidential": "on"}
    )

    assert ContactMoment.objects.get().confidential is True


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"summary": ""}, "summary", "Dit veld is verplicht."),
        ({"summary": "x" * 5001}, "summary", "niet meer dan 5000 tekens"),
        ({"summary": "ok\x00"}, "summary", "Null-tekens zijn niet toegestaan."),
        ({"duration_minutes": "-3"}, "duration_minutes", "minstens 0"),
        ({"duration_minutes": "veel"}, "duration_minutes", "Voer een geheel getal in."),
        ({"channel": "duif"}, "channel", "Selecteer een geldige keuze."),
        ({"description": "Terugbellen"}, "department", "Kies de dienst die dit opvolgt."),
        ({"department": "DEPT"}, "description", "Beschrijf wat er moet gebeuren."),
        ({"department": "DEPT", "description": "x", "due_date": "2001-01-01"}, "due_date", "in het verleden"),
        ({"department": "DEPT", "description": "x", "team": "OTHER_TEAM"}, "team", "hoort niet bij"),
        ({"department": "DEPT", "description": "x" * 2001}, "description", "niet meer dan 2000 tekens"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    desk, burgerzaken, handler, jan, data, field, message
):
    values = {"channel": "phone", "direction": "in", "summary": "Een vraag"}
    values.update(data)
    for key, value in values.items():
        if value == "DEPT":
            values[key] = str(burgerzaken.pk)
        if value == "OTHER_TEAM":
            values[key] = str(handler.team.pk)
    before = _counts()

    response = desk.post(_panel(jan), values)

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert 'class="error-summary"' in html(response)
    assert _counts() == before


def test_bad_input_with_htmx_returns_the_panel_with_the_errors(desk, jan):
    response = desk.post(
        _panel(jan),
        {"channel": "phone", "direction": "in", "summary": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="contact-panel",
    )

    assert "<html" not in html(response)
    assert "Dit veld is verplicht." in field_error(response, "summary")
    assert '<div id="timeline"' not in html(response)
    assert _counts() == (0, 0)


def test_an_anonymous_caller_is_registered_on_the_standalone_page(desk):
    page = html(desk.get(reverse("backoffice:register_contact")))
    response = desk.post(
        reverse("backoffice:register_contact"),
        {"channel": "phone", "direction": "in", "summary": "Openingsuren containerpark"},
    )

    moment = ContactMoment.objects.get()
    assert 'data-shortcut="k"' in page
    assert moment.party is None
    assert response["Location"] == reverse("backoffice:contact_moment", args=[moment.uuid])
    detail = html(desk.get(response["Location"]))
    assert "Openingsuren containerpark" in detail and "anoniem" in detail


def test_the_standalone_page_shows_errors_and_saves_nothing(desk):
    response = desk.post(reverse("backoffice:register_contact"), {"channel": "phone", "direction": "in"})

    assert "Dit veld is verplicht." in field_error(response, "summary")
    assert _counts() == (0, 0)


def test_a_summary_with_markup_is_stored_as_text_and_shown_escaped(desk, jan):
    desk.post(_panel(jan), {"channel": "phone", "direction": "in", "summary": "<script>alert(1)</script>"})

    page = html(desk.get(reverse("backoffice:party", args=[jan.uuid])))
    assert ContactMoment.objects.get().summary == "<script>alert(1)</script>"
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
