"""Privacy: individual results only for the employee and their HR coordinator; aggregates over fewer
than five people (BALIE_DIGICHECK_MIN_GROUP) are not shown, on the page nor in the export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.digital_skills.actions import (
    assign_employee_profile,
    evaluate_answer,
    generate_plan,
    start_attempt,
    submit_attempt,
)
from balie.digital_skills.models import Answer, Attempt, Competence
from balie.digital_skills.queries import heat_map, participation

from .conftest import ALL_RIGHT, SCRIPT, answer_all

pytestmark = pytest.mark.django_db


def _employee(username, department):  # type: ignore[no-untyped-def]
    return create_employee(
        username=username, first_name=username.title(), last_name="Test", email=f"{username}@zonnedaal.be",
        password=None, department=department, by=None,
    )  # fmt: skip


def _took_check(username, department, profile, hr, version, script):  # type: ignore[no-untyped-def]
    employee = create_employee(
        username=username, first_name=username.title(), last_name="Test", email=f"{username}@zonnedaal.be",
        password=None, department=department, by=None,
    )  # fmt: skip
    assign_employee_profile(employee=employee, job_profile=profile, hr_coordinator=hr, by=hr)
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    answer_all(attempt, script, employee)
    submit_attempt(attempt=attempt, by=employee)
    evaluate_answer(answer=Answer.objects.get(attempt=attempt, passed__isnull=True), passed=True, by=hr)
    return Attempt.objects.get(pk=attempt.pk)


@pytest.fixture
def groups(burgerzaken, omgeving, hr, profiles, version):  # type: ignore[no-untyped-def]
    """Five employees of Burgerzaken took the check (three all right, two scripted), four of Omgeving."""
    for n in range(5):
        _took_check(f"bz{n}", burgerzaken, profiles["Onthaal"], hr, version, ALL_RIGHT if n < 3 else SCRIPT)
    for n in range(4):
        _took_check(f"om{n}", omgeving, profiles["Onthaal"], hr, version, ALL_RIGHT)


def test_a_department_under_five_people_is_hidden_in_the_heat_map(groups, burgerzaken, omgeving):
    grid = heat_map()

    g2 = Competence.objects.get(code="G.2").pk
    c42 = Competence.objects.get(code="4.2").pk
    # 3 × level 3 and 2 × level 0 on G.2; 3 × 4 and 2 × 0 on 4.2
    assert grid.cells[(burgerzaken.pk, g2)] == 1.8
    assert grid.cells[(burgerzaken.pk, c42)] == 2.4
    assert grid.participants[burgerzaken.pk] == 5
    assert grid.participants[omgeving.pk] is None
    assert all(value is None for (department, _c), value in grid.cells.items() if department == omgeving.pk)


def test_the_threshold_is_a_setting(groups, omgeving, settings):
    settings.BALIE_DIGICHECK_MIN_GROUP = 4

    grid = heat_map()

    assert grid.participants[omgeving.pk] == 4
    assert grid.cells[(omgeving.pk, Competence.objects.get(code="G.2").pk)] == 3.0


def test_participation_under_five_is_hidden(groups, burgerzaken, omgeving):
    rows = {
        row.department.name if row.department else "totaal": (row.in_contact, row.took_check)
        for row in participation()
    }

    # the total is hidden too: minus Burgerzaken's 5 it would give Omgeving's figure away
    assert rows == {"Burgerzaken": (5, 5), "Omgeving": (4, None), "totaal": (9, None)}


def test_the_total_shows_when_what_it_hides_is_a_group_of_five(groups, burgerzaken, omgeving, hr, profiles):
    assign_employee_profile(
        employee=_employee("om4", omgeving), job_profile=profiles["Onthaal"], hr_coordinator=hr, by=hr
    )
    from balie.accounts.actions import create_department

    small = create_department(name="Financiën", code="financien", by=None)
    for n in range(2):
        assign_employee_profile(
            employee=_employee(f"fi{n}", small), job_profile=profiles["Onthaal"], hr_coordinator=hr, by=hr
        )

    rows = {
        row.department.name if row.department else "totaal": (row.in_contact, row.took_check)
        for row in participation()
    }

    # Omgeving (5, four took it) shows; Financiën (2) is hidden, and so is the total (it would tell 0)
    assert rows == {"Burgerzaken": (5, 5), "Financiën": (2, None), "Omgeving": (5, 4), "totaal": (12, None)}


def test_the_page_and_the_export_show_no_small_group(client, groups, hr):
    client.force_login(hr)

    page = client.get(reverse("backoffice:digicheck_figures")).content.decode()
    workbook = load_workbook(io.BytesIO(client.get(reverse("backoffice:digicheck_figures_xlsx")).content))

    omgeving_row = page[page.index('data-department="Omgeving"') :].split("</tr>")[0]
    assert "heat--hidden" in omgeving_row and "&lt; 5" in omgeving_row
    assert not any(f"heat--{n}" in omgeving_row for n in range(9))
    heat = workbook["Heatmap"]
    rows = {row[0]: row[1:] for row in heat.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert rows["Omgeving"][0] == "< 5"
    assert set(rows["Omgeving"][1:]) <= {"", None}
    assert rows["Burgerzaken"][0] == 5
    deelname = {row[0]: row[1:] for row in workbook["Deelname"].iter_rows(min_row=2, values_only=True)}
    assert deelname["Omgeving"] == (4, "< 5")


@pytest.fixture
def result(employee, hr, version):  # type: ignore[no-untyped-def]
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    answer_all(attempt, SCRIPT, employee)
    submit_attempt(attempt=attempt, by=employee)
    evaluate_answer(answer=Answer.objects.get(attempt=attempt, passed__isnull=True), passed=False, by=hr)
    return Attempt.objects.get(pk=attempt.pk)


def test_an_individual_result_is_seen_by_the_employee_and_her_coordinator_only(
    client, result, employee, hr, other_hr, handler, citizen, burgerzaken, catalogue
):
    plan = generate_plan(attempt=result, by=hr)
    team_lead = create_employee(
        username="teamlead", first_name="An", last_name="Maes", email="an@zonnedaal.be", password=None,
        department=burgerzaken, roles=[Role.TEAM_LEAD], by=None,
    )  # fmt: skip
    pages = [
        reverse("backoffice:digicheck_result", args=[result.uuid]),
        reverse("backoffice:digicheck_plan", args=[plan.uuid]),
        reverse("backoffice:digicheck_employee", args=[employee.uuid]),
    ]
    for user, status in [
        (employee, 200),
        (hr, 200),
        (other_hr, 404),
        (team_lead, 404),
        (handler, 404),
        (citizen, 404),
    ]:
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == status, (user.username, url)
    client.logout()
    for url in pages:
        assert client.get(url)["Location"].startswith("/aanmelden")
    # the evaluation page is for the coordinator alone
    client.force_login(employee)
    assert client.get(reverse("backoffice:digicheck_evaluate", args=[result.uuid])).status_code == 404
    client.force_login(other_hr)
    assert client.get(reverse("backoffice:digicheck_evaluate", args=[result.uuid])).status_code == 404


def test_the_employee_sees_but_does_not_change_her_plan(client, result, employee, hr, catalogue):
    plan = generate_plan(attempt=result, by=hr)
    item = plan.items.first()
    client.force_login(employee)

    response = client.post(
        reverse("backoffice:digicheck_plan", args=[plan.uuid]),
        {"actie": "gevolgd", "item": item.pk, f"g{item.pk}-completed_on": "2026-11-20"},
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == "planned"


def test_progress_per_month_averages_per_area_and_hides_a_small_month(groups, settings):
    from balie.digital_skills.queries import progress

    areas, months = progress()

    by_code = {area.code: area.pk for area in areas}
    (month,) = months
    assert month.participants == 9
    # area 4 (4.2): seven at level 4, two at 0; area G: seven × 3 on five, two with G.2 at 0
    assert (month.averages[by_code["4"]], month.averages[by_code["G"]]) == (3.1, 2.9)
    settings.BALIE_DIGICHECK_MIN_GROUP = 10
    (hidden,) = progress()[1]
    assert hidden.participants is None
    assert set(hidden.averages.values()) == {None}
