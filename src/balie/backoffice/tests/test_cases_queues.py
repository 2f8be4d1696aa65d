"""The case queues: mine, my team's, my department's; filters, keyset paging, deadline words,
bulk reassignment by a team lead (refused for a handler) and taking an unassigned case."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.backoffice.views import case_queues
from balie.cases.actions import register_case
from balie.cases.models import Case, CaseEvent
from balie.cases.tests.conftest import build_case_type

from .conftest import client_for, html

MINE = reverse("backoffice:cases", args=["mijn"])
TEAM = reverse("backoffice:cases", args=["team"])
DEPARTMENT = reverse("backoffice:cases", args=["dienst"])


def _register(case_type, by, subject, **extra):
    return register_case(case_type=case_type, by=by, subject=subject, attributes={"soort": "bouwen"}, **extra)


def _set_deadline(case, days_from_today):
    Case.objects.filter(pk=case.pk).update(deadline=timezone.localdate() + dt.timedelta(days=days_from_today))


def _numbers(page: str) -> list[str]:
    """The case numbers in the queue's rows, in order."""
    return re.findall(r'<td class="nowrap"><a href="/zaken/[0-9a-f-]+">(C\d{4}-\d{6})</a>', page)


@pytest.fixture
def colleague(omgeving, handler):
    return create_employee(
        username="collega",
        first_name="Cora",
        last_name="Collega",
        email="cora@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.CASE_HANDLER],
        by=None,
    )


@pytest.fixture
def queue(permit_type, handler, colleague):
    """Four open cases of Omgeving: Hans's (late), the team's (due soon), Cora's, and nobody's."""
    mine = _register(permit_type, handler, "Dakkapel", handler=handler, team=handler.team)
    team = _register(permit_type, handler, "Carport", team=handler.team)
    theirs = _register(permit_type, handler, "Veranda", handler=colleague)
    nobody = _register(permit_type, handler, "Tuinhuis")
    Case.objects.filter(pk=team.pk).update(handler=None)
    Case.objects.filter(pk=nobody.pk).update(handler=None, team=None)
    _set_deadline(mine, -2)
    _set_deadline(team, 1)
    _set_deadline(theirs, 20)
    _set_deadline(nobody, 30)
    return {"mine": mine, "team": team, "theirs": theirs, "nobody": nobody}


@pytest.mark.parametrize(
    ("url", "title", "shown"),
    [
        (MINE, "Mijn zaken", ["mine"]),
        (TEAM, "Zaken van mijn team", ["mine", "team"]),
        (DEPARTMENT, "Zaken van mijn dienst", ["mine", "team", "theirs", "nobody"]),
    ],
)
def test_each_queue_shows_its_open_cases_by_deadline(handler, queue, url, title, shown):
    page = html(client_for(handler).get(url))

    assert f"<h1>{title}</h1>" in page
    assert _numbers(page) == [queue[key].number for key in shown]


def test_rows_show_subject_type_status_handler_and_the_deadline_in_words(handler, queue):
    page = html(client_for(handler).get(DEPARTMENT))

    assert "Dakkapel" in page and "Omgevingsvergunning" in page and "Ontvangen" in page
    assert "Cora Collega" in page
    assert '<span class="badge badge--danger">te laat</span>' in page
    assert '<span class="badge badge--warn">vervalt binnenkort</span>' in page
    assert '<span class="badge badge--ok">op tijd</span>' in page


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("termijn=te-laat", ["mine"]),
        ("termijn=bijna", ["team"]),
        ("termijn=op-tijd", ["theirs", "nobody"]),
        ("zonder_behandelaar=on", ["team", "nobody"]),
        ("sortering=nieuwste", ["nobody", "theirs", "team", "mine"]),
        ("termijn=iets-anders", ["mine", "team", "theirs", "nobody"]),
    ],
)
def test_the_department_queue_filters_and_sorts(handler, queue, query, shown):
    page = html(client_for(handler).get(f"{DEPARTMENT}?{query}"))

    assert _numbers(page) == [queue[key].number for key in shown]


def test_filter_by_handler_and_by_case_type(handler, colleague, queue, admin, omgeving):
    other_version = build_case_type(admin, omgeving, code="kapvergunning")
    other = _register(other_version.case_type, handler, "Boom", handler=colleague)
    client = client_for(handler)

    by_handler = html(client.get(f"{DEPARTMENT}?behandelaar={colleague.uuid}"))
    by_type = html(client.get(f"{DEPARTMENT}?zaaktype={other_version.case_type.uuid}"))

    assert _numbers(by_handler) == [other.number, queue["theirs"].number]  # 10 working days < 20 days
    assert _numbers(by_type) == [other.number]
    # With a case type chosen, its statuses can be picked too.
    assert 'name="status"' in by_type and 'name="status"' not in by_handler


def test_a_status_filter_narrows_to_that_status(handler, queue, permit_version):
    received = permit_version.status_types.get(name="Ontvangen")
    in_treatment = permit_version.status_types.get(name="In behandeling")
    base = f"{DEPARTMENT}?zaaktype={permit_version.case_type.uuid}"
    client = client_for(handler)

    assert len(_numbers(html(client.get(f"{base}&status={received.pk}")))) == 4
    assert _numbers(html(client.get(f"{base}&status={in_treatment.pk}"))) == []


def test_keyset_paging_follows_the_next_link_without_counting(handler, queue, monkeypatch):
    monkeypatch.setattr(case_queues, "QUEUE_PAGE", 3)
    client = client_for(handler)

    first = html(client.get(DEPARTMENT))
    link = re.search(r'<a href="\?([^"]*na=[^"]*)">Volgende</a>', first)
    assert link, "no next link"
    second = html(client.get(f"{DEPARTMENT}?{link.group(1).replace('&amp;', '&')}"))

    assert _numbers(first) == [queue[key].number for key in ("mine", "team", "theirs")]
    assert _numbers(second) == [queue["nobody"].number]
    assert "Volgende" not in second and "Terug naar het begin" in second
    assert "Pagina" not in first  # no page numbers, no total


def test_the_queue_reads_the_same_number_of_rows_however_many_cases(team_lead, permit_type, handler, queue):
    client = client_for(team_lead)
    client.get(DEPARTMENT)  # warm: sessions, content types

    with CaptureQueriesContext(connection) as few:
        client.get(DEPARTMENT)
    for i in range(6):
        _register(permit_type, handler, f"Extra {i}", handler=handler, team=handler.team)
    with CaptureQueriesContext(connection) as more:
        client.get(DEPARTMENT)

    assert len(more.captured_queries) == len(few.captured_queries)
    assert not any("COUNT(" in q["sql"].upper() for q in more.captured_queries)


def test_a_broken_paging_position_starts_at_the_top(handler, queue):
    page = html(client_for(handler).get(f"{DEPARTMENT}?na=gisteren&na_id=12"))

    assert len(_numbers(page)) == 4


def test_a_team_lead_reassigns_checked_cases_in_bulk(team_lead, colleague, queue):
    client = client_for(team_lead)
    picked = [queue["team"], queue["nobody"]]

    response = client.post(
        f"{DEPARTMENT}?termijn=",
        {"zaak": [str(c.uuid) for c in picked], "behandelaar": str(colleague.uuid), "team": ""},
    )

    assert response.status_code == 302 and response["Location"] == f"{DEPARTMENT}?termijn="
    for case in picked:
        case.refresh_from_db()
        assert case.handler == colleague and case.team is None  # Cora has no team
    page = html(client.get(response["Location"]))
    assert "2 van de 2 zaken zijn opnieuw toegewezen." in page


def test_bulk_reassign_to_a_team_keeps_the_checked_boxes_on_error(team_lead, queue):
    client = client_for(team_lead)

    response = client.post(DEPARTMENT, {"zaak": [str(queue["nobody"].uuid)]})

    page = html(response)
    assert response.status_code == 200
    assert "Kies een behandelaar of een team." in page
    assert f'value="{queue["nobody"].uuid}" id="zaak-{queue["nobody"].uuid}" checked' in page
    queue["nobody"].refresh_from_db()
    assert queue["nobody"].handler is None


def test_bulk_reassign_is_all_or_nothing(team_lead, colleague, queue):
    Case.objects.filter(pk=queue["team"].pk).update(
        closed_at=timezone.now(), result_type=queue["team"].version.result_types.first()
    )
    events_before = CaseEvent.objects.count()

    response = client_for(team_lead).post(
        DEPARTMENT,
        {"zaak": [str(queue["nobody"].uuid), str(queue["team"].uuid)], "behandelaar": str(colleague.uuid)},
    )

    assert "is afgesloten" in html(response)
    queue["nobody"].refresh_from_db()
    assert queue["nobody"].handler is None
    assert CaseEvent.objects.count() == events_before


def test_a_handler_cannot_reassign_in_bulk(handler, colleague, queue):
    client = client_for(handler)
    page = html(client.get(DEPARTMENT))
    assert 'name="zaak"' not in page and "Aangevinkte zaken toewijzen" not in page

    response = client.post(
        DEPARTMENT, {"zaak": [str(queue["nobody"].uuid)], "behandelaar": str(colleague.uuid)}, follow=True
    )

    assert "Alleen een teamverantwoordelijke kan zaken in bulk toewijzen." in html(response)
    queue["nobody"].refresh_from_db()
    assert queue["nobody"].handler is None


def test_take_an_unassigned_case_from_the_department_queue(handler, queue):
    client = client_for(handler)
    page = html(client.get(DEPARTMENT))
    assert page.count(">Neem<") == 2  # the team's case and nobody's

    response = client.post(
        reverse("backoffice:case_take", args=[queue["nobody"].uuid]),
        {"terug": f"{DEPARTMENT}?termijn=op-tijd"},
    )

    assert response["Location"] == f"{DEPARTMENT}?termijn=op-tijd"
    queue["nobody"].refresh_from_db()
    assert queue["nobody"].handler == handler


def test_taking_a_case_of_someone_else_is_refused(handler, queue, colleague):
    response = client_for(handler).post(
        reverse("backoffice:case_take", args=[queue["theirs"].uuid]), follow=True
    )

    assert "Je mag deze zaak niet aan iemand anders toewijzen." in html(response)
    queue["theirs"].refresh_from_db()
    assert queue["theirs"].handler == colleague


def test_a_team_lead_picks_another_department(team_lead, queue, burgerzaken, omgeving):
    client = client_for(team_lead)

    own = html(client.get(DEPARTMENT))
    other = html(client.get(f"{DEPARTMENT}?dienst={burgerzaken.uuid}"))

    assert 'name="dienst"' in own and len(_numbers(own)) == 4
    assert _numbers(other) == [] and "<h1>Zaken van Burgerzaken</h1>" in other


def test_an_unknown_queue_is_not_found(handler):
    assert client_for(handler).get(reverse("backoffice:cases", args=["iedereen"])).status_code == 404


def test_the_start_page_shows_my_cases(handler, queue):
    page = html(client_for(handler).get(reverse("backoffice:home")))

    assert 'id="my-cases-title"' in page and queue["mine"].number in page
    assert queue["nobody"].number not in page


def test_the_nav_links_to_the_cases(handler):
    page = html(client_for(handler).get(reverse("backoffice:home")))

    assert f'<a href="{MINE}">Zaken</a>' in page
