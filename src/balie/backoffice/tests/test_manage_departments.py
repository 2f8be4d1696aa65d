"""The functional administrator keeps the departments and their teams."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.accounts.actions import create_team
from balie.accounts.models import Department, Team
from balie.audit.models import ChangeRecord

from .conftest import client_for, field_error, html

LIST = reverse("backoffice:manage_departments")
CREATE = reverse("backoffice:manage_department_create")


def _state() -> list[tuple]:
    return [
        *Department.objects.order_by("pk").values_list("name", "code", "email", "active"),
        *Team.objects.order_by("pk").values_list("department", "name", "active"),
    ]


@pytest.fixture
def wegen(omgeving) -> Team:
    return create_team(department=omgeving, name="Wegen", by=None)


def test_the_list_shows_departments_with_their_teams(admin_client, wegen):
    page = html(admin_client.get(LIST))

    assert "Burgerzaken" in page and "Omgeving" in page and "Wegen" in page
    assert reverse("backoffice:manage_team", args=[wegen.uuid]) in page


def test_it_creates_a_department_and_a_team_with_history(admin_client, functional_admin):
    response = admin_client.post(
        CREATE, {"name": "Financiën", "code": "financien", "email": "fin@zonnedaal.be"}
    )

    assert response["Location"] == LIST
    department = Department.objects.get(code="financien")
    assert (department.name, department.email) == ("Financiën", "fin@zonnedaal.be")

    admin_client.post(
        reverse("backoffice:manage_team_create", args=[department.uuid]), {"name": "Boekhouding"}
    )

    team = Team.objects.get(department=department)
    assert team.name == "Boekhouding"
    for obj in (department, team):
        assert (
            ChangeRecord.objects.get(object_uuid=obj.uuid, action="create").actor_uuid
            == functional_admin.uuid
        )


def test_it_renames_a_department_and_a_team(admin_client, omgeving, wegen):
    admin_client.post(
        reverse("backoffice:manage_department", args=[omgeving.uuid]), {"name": "Omgeving en Wonen"}
    )
    admin_client.post(reverse("backoffice:manage_team", args=[wegen.uuid]), {"name": "Wegen en Riolering"})

    omgeving.refresh_from_db()
    wegen.refresh_from_db()
    assert (omgeving.name, omgeving.code, wegen.name) == (
        "Omgeving en Wonen",
        "omgeving",
        "Wegen en Riolering",
    )
    assert ChangeRecord.objects.get(object_uuid=omgeving.uuid, action="update").changes == {
        "name": ["Omgeving", "Omgeving en Wonen"]
    }
    assert ChangeRecord.objects.get(object_uuid=wegen.uuid, action="update").changes == {
        "name": ["Wegen", "Wegen en Riolering"]
    }


def test_it_deactivates_and_reactivates_a_department_and_a_team(admin_client, omgeving, wegen):
    admin_client.post(reverse("backoffice:manage_department_active", args=[omgeving.uuid]), {"active": "0"})
    admin_client.post(reverse("backoffice:manage_team_active", args=[wegen.uuid]), {"active": "0"})

    omgeving.refresh_from_db()
    wegen.refresh_from_db()
    assert (omgeving.active, wegen.active) == (False, False)
    assert "niet meer in gebruik" in html(admin_client.get(LIST))

    admin_client.post(reverse("backoffice:manage_department_active", args=[omgeving.uuid]), {"active": "1"})
    omgeving.refresh_from_db()
    assert omgeving.active is True
    changes = [
        r.changes
        for r in ChangeRecord.objects.filter(object_uuid=omgeving.uuid, action="update").order_by("id")
    ]
    assert changes == [{"active": [True, False]}, {"active": [False, True]}]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "code": "x"}, "name", "Dit veld is verplicht."),
        ({"name": "<script>alert(1)</script>", "code": "x"}, "name", "Gebruik geen HTML-tekens"),
        ({"name": "Burgerzaken", "code": "bz2"}, "name", "bestaat al"),
        ({"name": "Nieuw", "code": "burgerzaken"}, "code", "bestaat al"),
        ({"name": "Nieuw", "code": "x", "email": "geen-adres"}, "email", "Voer een geldig e-mailadres in."),
    ],
)
def test_a_bad_department_is_refused_and_changes_nothing(
    admin_client, burgerzaken, omgeving, data, field, message
):
    before = _state()

    created = admin_client.post(CREATE, data)

    assert message in field_error(created, field)
    if field != "code":
        edited = admin_client.post(reverse("backoffice:manage_department", args=[omgeving.uuid]), data)
        assert message in field_error(edited, field)
    assert _state() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Dit veld is verplicht."), ("<script>x</script>", "Gebruik geen HTML-tekens")],
)
def test_a_bad_team_name_is_refused_and_changes_nothing(admin_client, omgeving, wegen, name, message):
    before = _state()

    created = admin_client.post(
        reverse("backoffice:manage_team_create", args=[omgeving.uuid]), {"name": name}
    )
    edited = admin_client.post(reverse("backoffice:manage_team", args=[wegen.uuid]), {"name": name})

    assert message in field_error(created, "name")
    assert message in field_error(edited, "name")
    assert _state() == before


def test_a_second_team_with_the_same_name_is_refused(admin_client, omgeving, wegen):
    before = _state()

    response = admin_client.post(
        reverse("backoffice:manage_team_create", args=[omgeving.uuid]), {"name": "Wegen"}
    )

    assert response.status_code == 200 and "error-summary" in html(response)
    assert _state() == before


def test_another_employee_gets_403_and_a_citizen_not_found(desk, citizen, omgeving, wegen):
    before = _state()
    pages = [
        LIST,
        CREATE,
        reverse("backoffice:manage_department", args=[omgeving.uuid]),
        reverse("backoffice:manage_team_create", args=[omgeving.uuid]),
        reverse("backoffice:manage_team", args=[wegen.uuid]),
    ]
    for path in pages:
        assert desk.get(path).status_code == 403
        response = client_for(citizen).get(path)
        assert response.status_code == 404 and "Omgeving" not in html(response)
    assert desk.post(CREATE, {"name": "Sluip", "code": "sluip"}).status_code == 403
    assert (
        desk.post(reverse("backoffice:manage_team_active", args=[wegen.uuid]), {"active": "0"}).status_code
        == 403
    )
    assert _state() == before
