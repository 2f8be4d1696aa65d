"""Team leads and functional administrators read the management figures, as a page with a chart,
as Excel and as CSV; nobody else does."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.cases.actions import close_case, complete_case_task, register_case, set_status
from balie.cases.models import Case, StatusType
from balie.cases.tests.conftest import build_case_type

from .conftest import client_for, html

PAGE = reverse("backoffice:case_figures")
XLSX = reverse("backoffice:case_figures_xlsx")
CSV = reverse("backoffice:case_figures_csv")


@pytest.fixture
def lead(omgeving, handler):
    return create_employee(
        username="teamlead",
        first_name="Tom",
        last_name="Lead",
        email="tom@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.TEAM_LEAD],
        by=None,
    )


@pytest.fixture
def cases(functional_admin, omgeving, handler):
    case_type = build_case_type(functional_admin, omgeving).case_type
    today = timezone.localdate()
    made = []
    for days in (2, 4):
        case = register_case(case_type=case_type, by=handler, subject="Zaak", attributes={"soort": "bouwen"})
        complete_case_task(task=case.tasks.get(), by=handler)
        case = set_status(
            case=case,
            status_type=StatusType.objects.get(version=case.version, name="In behandeling"),
            by=handler,
        )
        case = close_case(case=case, result_type=case.version.result_types.get(name="Vergund"), by=handler)
        registered = case.closed_at - dt.timedelta(days=days)
        Case.objects.filter(pk=case.pk).update(registered_at=registered)
        made.append(case)
    late = register_case(case_type=case_type, by=handler, subject="Te laat", attributes={"soort": "bouwen"})
    Case.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=1))
    return [*made, late]


def test_the_team_lead_sees_the_figures_with_a_chart_and_its_table(lead, cases):
    response = client_for(lead).get(PAGE)

    assert response.status_code == 200
    page = html(response)
    assert "Cijfers over zaken" in page
    assert "Omgevingsvergunning" in page
    assert '<svg viewBox="0 0 760 260" role="img" aria-labelledby="chart-svg-title chart-svg-desc"' in page
    assert "53 weken: 3 zaken geopend, 2 afgesloten." in page
    # lead times of 2 and 4 days: median 3, P90 3.8
    assert "3,0 d" in page and "3,8 d" in page
    assert '<td data-label="Te laat nu" class="num overdue">1</td>' in page
    assert '<caption class="visually-hidden">Zaken geopend en afgesloten per week</caption>' in page


def test_a_functional_administrator_sees_them_too_and_others_do_not(
    functional_admin, handler, citizen, client
):
    assert client_for(functional_admin).get(PAGE).status_code == 200
    assert client_for(handler).get(PAGE).status_code == 403
    assert client_for(handler).get(XLSX).status_code == 403
    assert client_for(handler).get(CSV).status_code == 403
    assert client_for(citizen).get(PAGE).status_code == 404
    assert client.get(PAGE).status_code == 302


def test_a_wrong_period_is_said_and_the_default_shown(lead, cases):
    response = client_for(lead).get(PAGE, {"van": "2026-05-01", "tot": "2026-04-01"})

    assert response.status_code == 200
    assert "De einddatum ligt voor de begindatum." in html(response)
    assert "53 weken" in html(response)


def test_the_filter_narrows_the_figures(lead, cases, burgerzaken, omgeving):
    page = html(client_for(lead).get(PAGE, {"dienst": str(burgerzaken.uuid)}))
    assert "Geen zaken in deze periode." in page
    page = html(client_for(lead).get(PAGE, {"dienst": str(omgeving.uuid)}))
    assert "Omgevingsvergunning" in page


def test_excel_export_has_a_sheet_per_table(lead, cases):
    from openpyxl import load_workbook

    response = client_for(lead).get(XLSX)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="zaakcijfers-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Per zaaktype", "Per dienst", "Open zaken per status", "Per week"]
    sheet = book["Per zaaktype"]
    assert sheet["A1"].value.startswith("Periode ")
    assert [c.value for c in sheet[3]][:6] == [
        "zaaktype",
        "dienst",
        "geregistreerd",
        "afgesloten",
        "open nu",
        "te laat nu",
    ]
    assert [c.value for c in sheet[4]] == ["Omgevingsvergunning", "Omgeving", 3, 2, 1, 1, 3.0, 3.8]
    assert [c.value for c in sheet[5]][:6] == ["Totaal", None, 3, 2, 1, 1]
    assert book["Per week"].max_row == 3 + 53


def test_csv_export_per_table(lead, cases):
    client = client_for(lead)

    types = client.get(CSV, {"tabel": "zaaktypes"}).content.decode("utf-8-sig").splitlines()
    departments = client.get(CSV, {"tabel": "diensten"}).content.decode("utf-8-sig").splitlines()
    weeks = client.get(CSV, {"tabel": "weken"}).content.decode("utf-8-sig").splitlines()

    assert types[0].startswith("zaaktype;dienst;geregistreerd;afgesloten;open nu;te laat nu;")
    assert types[1] == "Omgevingsvergunning;Omgeving;3;2;1;1;3,0;3,8"
    assert departments[1] == "Omgeving;3;2;1;1"
    assert len(weeks) == 1 + 53
    assert client.get(CSV, {"tabel": "iets"}).status_code == 404


def test_a_case_type_name_is_not_run_as_a_formula(lead, cases):
    from balie.cases.models import CaseType

    CaseType.objects.update(name="=1+1")

    line = client_for(lead).get(CSV).content.decode("utf-8-sig").splitlines()[1]

    assert line.startswith("'=1+1;")
