"""Every action on the case page, through the page: done with a message, or refused with the
message next to the field and nothing changed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.cases.actions import close_case, complete_case_task, register_case, set_status
from balie.cases.models import Case, CaseEvent, CaseNote, CaseRelation, CaseRole, CaseStatus, StatusType

from .conftest import client_for, html


def url(case) -> str:
    return reverse("backoffice:case", args=[case.uuid])


def act(name: str, case) -> str:
    return reverse(f"backoffice:{name}", args=[case.uuid])


def field_error(response, name: str) -> str:
    """The message shown next to a (prefixed) field, which points to it."""
    page = html(response)
    match = re.search(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', page, re.S)
    assert match, f"no error shown next to {name}"
    return match.group(1).strip()


def history(case) -> list[str]:
    return list(
        CaseStatus.objects.filter(case=case).order_by("sequence").values_list("status_type__name", flat=True)
    )


@pytest.fixture
def case(permit_type, handler, applicant):
    return register_case(
        case_type=permit_type,
        by=handler,
        subject="Verbouwing keuken",
        parties=[(applicant, "initiator")],
        attributes={"soort": "verbouwen"},
        handler=handler,
        team=handler.team,
    )


def status(case, name: str) -> StatusType:
    return StatusType.objects.get(version=case.version, name=name)


def in_treatment(case, handler) -> Case:
    complete_case_task(task=case.tasks.get(), by=handler)
    return set_status(case=case, status_type=status(case, "In behandeling"), by=handler)


# --- status, tasks, closing, reopening -------------------------------------------------------


def test_a_task_is_ticked_off_and_reopened_with_htmx(handler, case):
    client = client_for(handler)
    task = case.tasks.get()

    response = client.post(
        reverse("backoffice:case_task_complete", args=[case.uuid, task.uuid]), HTTP_HX_REQUEST="true"
    )

    task.refresh_from_db()
    assert task.done_by == handler
    fragment = html(response)
    assert fragment.startswith('<section class="card" id="checklist"') and "Heropenen" in fragment
    assert 'id="case-timeline" hx-swap-oob="innerHTML"' in fragment and "Taak afgewerkt" in fragment

    response = client.post(reverse("backoffice:case_task_reopen", args=[case.uuid, task.uuid]))
    task.refresh_from_db()
    assert response["Location"] == url(case) + "#checklist"
    assert task.done_at is None


def test_the_status_changes_when_the_tasks_are_done(handler, case):
    client = client_for(handler)
    complete_case_task(task=case.tasks.get(), by=handler)

    response = client.post(
        act("case_set_status", case),
        {"status-status": status(case, "In behandeling").pk, "status-reason": "OK"},
    )

    assert response.status_code == 302
    assert history(case) == ["Ontvangen", "In behandeling"]
    assert "De status is gewijzigd." in html(client.get(url(case)))


def test_a_status_change_with_open_required_tasks_is_refused_next_to_the_field(handler, case):
    response = client_for(handler).post(
        act("case_set_status", case), {"status-status": status(case, "In behandeling").pk}
    )

    assert response.status_code == 200
    assert "Werk eerst de verplichte taken af: Volledigheid nakijken." in field_error(
        response, "status-status"
    )
    assert '<details class="case-action" id="actie-status" open>' in html(response)
    assert history(case) == ["Ontvangen"]


def test_a_status_the_case_type_does_not_allow_is_refused(handler, case):
    events = CaseEvent.objects.filter(case=case).count()

    response = client_for(handler).post(
        act("case_set_status", case), {"status-status": status(case, "Afgehandeld").pk}
    )

    assert response.status_code == 200 and field_error(response, "status-status")
    assert history(case) == ["Ontvangen"]
    assert CaseEvent.objects.filter(case=case).count() == events


def test_closing_needs_a_result(handler, case):
    case = in_treatment(case, handler)

    response = client_for(handler).post(act("case_close", case), {"afsluiten-note": "Klaar"})

    assert field_error(response, "afsluiten-result_type") == "Kies een resultaat om de zaak af te sluiten."
    case.refresh_from_db()
    assert case.closed_at is None and case.archive_action_date is None
    assert history(case) == ["Ontvangen", "In behandeling"]


def test_closing_with_a_result(handler, case):
    case = in_treatment(case, handler)
    client = client_for(handler)
    assert "Afsluiten met een resultaat" in html(client.get(url(case)))

    result = case.version.result_types.get(name="Vergund")
    client.post(act("case_close", case), {"afsluiten-result_type": result.pk, "afsluiten-note": "Vergund"})

    case.refresh_from_db()
    assert case.closed_at is not None and case.result_type == result and case.result_note == "Vergund"
    page = html(client.get(url(case)))
    assert "Afgesloten op" in page and "‘Vergund’" in page
    assert "Status wijzigen" not in page and "Afvinken" not in page


def test_reopening_needs_the_permission(handler, team_lead, case):
    case = in_treatment(case, handler)
    case = close_case(case=case, result_type=case.version.result_types.get(name="Vergund"), by=handler)
    assert "Zaak heropenen" not in html(client_for(handler).get(url(case)))

    refused = client_for(handler).post(act("case_reopen", case), {"heropenen-reason": "Fout"})

    assert "Je hebt geen toestemming om zaken te heropenen." in html(refused)
    case.refresh_from_db()
    assert case.closed_at is not None

    client_for(team_lead).post(act("case_reopen", case), {"heropenen-reason": "Nieuw stuk"})
    case.refresh_from_db()
    assert case.closed_at is None and case.status_type.name == "In behandeling"


def test_reopening_needs_a_reason(team_lead, handler, case):
    case = in_treatment(case, handler)
    case = close_case(case=case, result_type=case.version.result_types.get(name="Vergund"), by=handler)

    response = client_for(team_lead).post(act("case_reopen", case), {"heropenen-reason": ""})

    assert field_error(response, "heropenen-reason")
    case.refresh_from_db()
    assert case.closed_at is not None


# --- deadlines -------------------------------------------------------------------------------


def test_suspend_and_resume(handler, case):
    client = client_for(handler)

    client.post(act("case_suspend", case), {"opschorten-reason": "Wacht op plannen"})
    case.refresh_from_db()
    assert case.suspended_since == timezone.localdate()
    page = html(client.get(url(case)))
    assert "Opgeschort sinds" in page and "Wacht op plannen" in page and ">opgeschort</span>" in page
    assert "Hervatten" in page and 'id="actie-suspend"' not in page

    client.post(act("case_resume", case))
    case.refresh_from_db()
    assert case.suspended_since is None


def test_suspend_needs_a_reason(handler, case):
    response = client_for(handler).post(act("case_suspend", case), {"opschorten-reason": " "})

    assert field_error(response, "opschorten-reason")
    case.refresh_from_db()
    assert case.suspended_since is None


def test_extend_once_within_the_maximum(handler, case):
    client = client_for(handler)
    deadline = case.deadline

    too_long = client.post(act("case_extend", case), {"verlengen-days": "31", "verlengen-reason": "Advies"})
    assert field_error(too_long, "verlengen-days")
    case.refresh_from_db()
    assert case.deadline == deadline and case.extended_days == 0

    client.post(act("case_extend", case), {"verlengen-days": "5", "verlengen-reason": "Advies brandweer"})
    case.refresh_from_db()
    assert case.extended_days == 5 and case.deadline > deadline
    page = html(client.get(url(case)))
    assert "Eén keer verlengd met 5 dagen: Advies brandweer." in page and 'id="actie-extend"' not in page

    again = client.post(act("case_extend", case), {"verlengen-days": "2", "verlengen-reason": "Nog eens"})
    assert "dat kan maar één keer" in html(again)
    case.refresh_from_db()
    assert case.extended_days == 5


def test_changing_the_deadline_needs_the_permission(handler, team_lead, case):
    deadline = case.deadline
    new = deadline + dt.timedelta(days=14)
    data = {"termijn-deadline": new.isoformat(), "termijn-reason": "Afspraak met de klant"}

    refused = client_for(handler).post(act("case_change_deadline", case), data)

    assert "Je hebt geen toestemming om de termijn te wijzigen." in html(refused)
    case.refresh_from_db()
    assert case.deadline == deadline

    client_for(team_lead).post(act("case_change_deadline", case), data)
    case.refresh_from_db()
    assert case.deadline == new


# --- assignment, parties, attributes, relations, notes -----------------------------------------


def test_a_team_lead_assigns_the_case(team_lead, handler, case, burgerzaken, front_desk):
    client = client_for(team_lead)

    response = client.post(
        act("case_assign", case),
        {
            "toewijzen-department": burgerzaken.uuid,
            "toewijzen-team": "",
            "toewijzen-handler": front_desk.uuid,
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.department, case.team, case.handler) == (burgerzaken, None, front_desk)


def test_assigning_a_team_of_another_department_is_refused(team_lead, handler, case, burgerzaken):
    response = client_for(team_lead).post(
        act("case_assign", case),
        {
            "toewijzen-department": burgerzaken.uuid,
            "toewijzen-team": handler.team.uuid,
            "toewijzen-handler": "",
        },
    )

    assert field_error(response, "toewijzen-team") == "Dit team hoort niet bij de gekozen dienst."
    case.refresh_from_db()
    assert case.department == handler.department and case.handler == handler


def test_a_handler_gives_the_case_back_and_takes_it_again(handler, case):
    client = client_for(handler)
    assert "Terug naar de wachtrij" in html(client.get(url(case)))

    client.post(act("case_give_back", case))
    case.refresh_from_db()
    assert case.handler is None and case.team == handler.team
    assert "Neem deze zaak" in html(client.get(url(case)))

    client.post(act("case_take", case))
    case.refresh_from_db()
    assert case.handler == handler


def test_add_a_party_found_by_search(handler, case, jan):
    client = client_for(handler)

    found = html(
        client.get(
            reverse("backoffice:case_party_search") + "?veld=betrokkene-party&betrokkene-party-zoek=jan"
        )
    )
    assert f'name="betrokkene-party" value="{jan.uuid}"' in found and "Peeters Jan" in found

    response = client.post(
        act("case_add_party", case), {"betrokkene-party": str(jan.uuid), "betrokkene-kind": "subject"}
    )

    assert response["Location"] == url(case) + "#betrokkenen"
    assert CaseRole.objects.filter(case=case, party=jan, kind="subject").exists()


def test_add_a_party_without_javascript_searches_by_post(handler, case, jan):
    response = client_for(handler).post(
        act("case_add_party", case), {"betrokkene-party-zoek": "peeters jan", "zoek": "betrokkene-party"}
    )

    page = html(response)
    assert response.status_code == 200 and f'value="{jan.uuid}"' in page
    assert '<details class="case-action" id="actie-party" open>' in page
    assert 'class="field__error"' not in page  # only a search: nothing was refused
    assert not CaseRole.objects.filter(case=case, party=jan).exists()


def test_a_role_the_case_type_does_not_know_is_refused(handler, case, jan):
    response = client_for(handler).post(
        act("case_add_party", case), {"betrokkene-party": str(jan.uuid), "betrokkene-kind": "adviser"}
    )

    assert field_error(response, "betrokkene-kind")
    assert not CaseRole.objects.filter(case=case, party=jan).exists()


def test_attributes_are_edited_and_a_wrong_value_is_shown_at_its_field(handler, case):
    client = client_for(handler)
    data = {"kenmerk-soort": "bouwen", "kenmerk-oppervlakte": "-3", "kenmerk-beslissing": ""}

    refused = client.post(act("case_attributes", case), data)

    assert field_error(refused, "kenmerk-oppervlakte") == "Minstens 0.00."
    case.refresh_from_db()
    assert case.attributes == {"soort": "verbouwen"}

    client.post(
        act("case_attributes", case),
        {**data, "kenmerk-oppervlakte": "12,5", "kenmerk-beslissing": "2026-04-01"},
    )
    case.refresh_from_db()
    assert case.attributes == {"soort": "bouwen", "oppervlakte": 12.5, "beslissing": "2026-04-01"}


def test_relate_a_case_by_number(handler, permit_type, case):
    other = register_case(
        case_type=permit_type, by=handler, subject="Carport", attributes={"soort": "bouwen"}
    )
    client = client_for(handler)

    unknown = client.post(act("case_relate", case), {"koppelen-number": "C1999-000001"})
    assert field_error(unknown, "koppelen-number") == "Geen zaak gevonden met dit nummer."

    client.post(act("case_relate", case), {"koppelen-number": other.number.lower()})
    assert CaseRelation.objects.filter(case=case, other=other).exists()

    again = client.post(act("case_relate", case), {"koppelen-number": other.number})
    assert "Deze zaken zijn al gekoppeld." in html(again)
    assert CaseRelation.objects.count() == 1


def test_add_a_note(handler, case):
    client = client_for(handler)

    empty = client.post(act("case_add_note", case), {"notitie-text": ""})
    assert field_error(empty, "notitie-text")

    response = client.post(act("case_add_note", case), {"notitie-text": "Plannen ontvangen <per post>"})
    assert response["Location"] == url(case) + "#notities"
    assert CaseNote.objects.get(case=case).text == "Plannen ontvangen <per post>"
    assert "Plannen ontvangen &lt;per post&gt;" in html(client.get(url(case)))


def test_an_action_on_a_case_one_may_not_see_is_not_found(front_desk, permit_type, handler):
    secret = register_case(
        case_type=permit_type, by=handler, subject="Geheim", attributes={"soort": "bouwen"}, confidential=True
    )
    client = client_for(front_desk)

    for name, data in [
        ("case_set_status", {}),
        ("case_close", {}),
        ("case_suspend", {"opschorten-reason": "x"}),
        ("case_take", {}),
        ("case_relate", {"koppelen-number": secret.number}),
    ]:
        assert client.post(act(name, secret), data).status_code == 404, name
    assert CaseEvent.objects.filter(case=secret).count() == 1  # registered, nothing else
