"""Changing employees, roles, departments and teams: validated, audited, refused changes change nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.accounts.actions import (
    create_employee,
    create_team,
    set_employee_active,
    set_roles,
    update_department,
    update_employee,
    update_team,
)
from balie.accounts.models import Role, User
from balie.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(burgerzaken) -> User:
    return create_employee(
        username="beheerder",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password=None,
        department=burgerzaken,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


def updates(obj) -> list[dict]:
    return [
        r.changes for r in ChangeRecord.objects.filter(object_uuid=obj.uuid, action="update").order_by("id")
    ]


def test_update_employee_records_old_and_new(front_desk, admin):
    update_employee(employee=front_desk, job_title="Baliemedewerker", email="olga.o@zonnedaal.be", by=admin)

    front_desk.refresh_from_db()
    assert front_desk.job_title == "Baliemedewerker"
    assert updates(front_desk) == [
        {"email": ["olga@zonnedaal.be", "olga.o@zonnedaal.be"], "job_title": ["", "Baliemedewerker"]}
    ]
    assert ChangeRecord.objects.get(object_uuid=front_desk.uuid, action="update").actor_uuid == admin.uuid


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "geen-adres"}, "email"),
        ({"last_name": "<script>x</script>"}, "last_name"),
        ({"username": "ander"}, "username"),
    ],
)
def test_bad_employee_changes_are_refused(front_desk, data, field):
    with pytest.raises(ValidationError) as error:
        update_employee(employee=front_desk, by=None, **data)

    assert field in error.value.message_dict
    assert User.objects.get(pk=front_desk.pk).email == "olga@zonnedaal.be"
    assert updates(front_desk) == []


def test_a_team_of_another_department_is_refused(front_desk, handler, omgeving):
    with pytest.raises(ValidationError) as error:
        update_employee(employee=front_desk, team=handler.team, by=None)
    assert error.value.message_dict == {"team": ["Dit team hoort niet bij de gekozen dienst."]}

    with pytest.raises(ValidationError):
        create_employee(
            username="x", first_name="X", last_name="Y", email="x@zonnedaal.be", password=None,
            department=front_desk.department, team=handler.team, by=None,
        )  # fmt: skip
    assert User.objects.filter(username="x").exists() is False
    assert User.objects.get(pk=front_desk.pk).team is None


def test_changing_department_and_team_together(front_desk, omgeving):
    team = create_team(department=omgeving, name="Groen", by=None)

    update_employee(employee=front_desk, department=omgeving, team=team, by=None)

    front_desk.refresh_from_db()
    assert (front_desk.department, front_desk.team) == (omgeving, team)


def test_set_roles_records_sorted_lists(front_desk, admin):
    set_roles(employee=front_desk, roles=[Role.TEAM_LEAD, Role.FRONT_DESK, Role.CASHIER], by=admin)
    set_roles(
        employee=front_desk, roles=[Role.FRONT_DESK, Role.CASHIER, Role.TEAM_LEAD], by=admin
    )  # no change

    assert User.objects.get(pk=front_desk.pk).roles == {"front_desk", "team_lead", "cashier"}
    assert updates(front_desk) == [{"roles": [["front_desk"], ["cashier", "front_desk", "team_lead"]]}]


def test_unknown_roles_are_refused(front_desk):
    with pytest.raises(ValidationError):
        set_roles(employee=front_desk, roles=["koning"], by=None)
    assert User.objects.get(pk=front_desk.pk).roles == {"front_desk"}


def test_an_admin_keeps_their_own_admin_role_and_account(admin):
    with pytest.raises(ValidationError) as error:
        set_roles(employee=admin, roles=[Role.FRONT_DESK], by=admin)
    assert "roles" in error.value.message_dict
    with pytest.raises(ValidationError):
        set_employee_active(employee=admin, active=False, by=admin)

    admin = User.objects.get(pk=admin.pk)
    assert admin.roles == {"functional_admin"} and admin.is_active
    # Adding a role to oneself is fine.
    set_roles(employee=admin, roles=[Role.FUNCTIONAL_ADMIN, Role.FRONT_DESK], by=admin)
    assert User.objects.get(pk=admin.pk).roles == {"functional_admin", "front_desk"}


def test_deactivation_is_recorded_once(front_desk, admin):
    set_employee_active(employee=front_desk, active=False, by=admin)
    set_employee_active(employee=front_desk, active=False, by=admin)

    assert User.objects.get(pk=front_desk.pk).is_active is False
    assert updates(front_desk) == [{"is_active": [True, False]}]


def test_update_department_and_team(omgeving, burgerzaken):
    team = create_team(department=omgeving, name="Wegen", by=None)

    update_department(department=omgeving, name="Omgeving en Wonen", active=False, by=None)
    update_team(team=team, name="Wegen en Riolering", by=None)

    assert updates(omgeving) == [{"name": ["Omgeving", "Omgeving en Wonen"], "active": [True, False]}]
    assert updates(team) == [{"name": ["Wegen", "Wegen en Riolering"]}]
    with pytest.raises(ValidationError):
        update_department(department=omgeving, name="Burgerzaken", by=None)
    with pytest.raises(ValidationError):
        update_team(team=team, department=burgerzaken, by=None)
    team.refresh_from_db()
    assert (team.department, team.name) == (omgeving, "Wegen en Riolering")


def test_data_and_roles_change_together_or_not_at_all(admin):
    # when an administrator renames themselves and drops their own administrator role
    with pytest.raises(ValidationError):
        update_employee(employee=admin, by=admin, last_name="Anders", roles=["front_desk"])
    # then neither the name nor the roles changed
    admin = User.objects.get(pk=admin.pk)
    assert admin.last_name != "Anders"
    assert "functional_admin" in admin.roles
