import pytest
from django.core.exceptions import ValidationError

from balie.accounts.actions import create_department, create_employee, create_team
from balie.accounts.models import Department, Role, User
from balie.accounts.permissions import can_merge_parties, can_read_audit, is_employee

pytestmark = pytest.mark.django_db


def test_an_employee_has_a_department_team_and_roles(omgeving):
    team = create_team(department=omgeving, name="Groen", by=None)
    user = create_employee(
        username="tl",
        first_name="Tine",
        last_name="Lead",
        email="tine@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        team=team,
        roles=[Role.TEAM_LEAD, Role.CASE_HANDLER],
        by=None,
    )
    assert user.roles == {"team_lead", "case_handler"}
    assert user.has_role(Role.TEAM_LEAD) and not user.has_role(Role.PRIVACY_OFFICER)
    assert is_employee(user) and can_merge_parties(user) and not can_read_audit(user)
    assert user.check_password("Balie-demo-2026")


def test_roles_decide_rights(privacy_officer, front_desk, citizen):
    assert can_read_audit(privacy_officer) and not can_read_audit(front_desk)
    assert can_merge_parties(front_desk) and not can_merge_parties(privacy_officer)
    assert not is_employee(citizen) and not can_read_audit(citizen)


def test_bad_department_data_is_refused(burgerzaken):
    with pytest.raises(ValidationError):
        create_department(name="Burgerzaken", code="andere", by=None)
    with pytest.raises(ValidationError):
        create_department(name="<script>x</script>", code="x", by=None)
    assert Department.objects.count() == 1


def test_a_bad_e_mail_address_refuses_the_employee(burgerzaken):
    with pytest.raises(ValidationError):
        create_employee(
            username="x",
            first_name="X",
            last_name="Y",
            email="not-an-email",
            password=None,
            department=burgerzaken,
            by=None,
        )
    assert User.objects.count() == 0
