"""The functional administrator manages employee accounts: data, roles, (de)activation, unlocking."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from balie.accounts.actions import create_team
from balie.accounts.models import RoleAssignment, User
from balie.audit.models import ChangeRecord

from .conftest import client_for, field_error, html

LIST = reverse("backoffice:manage_employees")
CREATE = reverse("backoffice:manage_employee_create")


def logs_in(username: str, password: str = "Balie-demo-2026") -> bool:  # noqa: S107 - test account
    client = Client()
    client.post(reverse("backoffice:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def edit_url(user: User) -> str:
    return reverse("backoffice:manage_employee", args=[user.uuid])


def fieldset_error(response, name: str) -> str:
    """The message shown in a group of checkboxes; the fieldset points to it."""
    page = html(response)
    match = re.search(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', page, re.S)
    assert match, f"no error shown next to {name}"
    assert re.search(rf'<fieldset [^>]*aria-describedby="[^"]*id_{name}_error"', page)
    return match.group(1).strip()


def error_at(response, name: str) -> str:
    return fieldset_error(response, name) if name == "roles" else field_error(response, name)


def _state() -> list[tuple]:
    users = User.objects.order_by("pk").values_list(
        "username", "first_name", "last_name", "email", "department", "team", "job_title", "is_active"
    )
    return [*users, *RoleAssignment.objects.order_by("user", "role").values_list("user", "role")]


def _data(user: User, **changes) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "department": user.department_id,
        "team": user.team_id or "",
        "job_title": user.job_title,
        "roles": sorted(user.roles),
    }
    data.update(changes)
    return data


def test_the_list_searches_by_name_and_filters_by_department(admin_client, front_desk, handler, omgeving):
    everyone = html(admin_client.get(LIST))
    by_name = html(admin_client.get(LIST, {"q": "olga"}))
    by_username = html(admin_client.get(LIST, {"q": "behandel"}))
    by_department = html(admin_client.get(LIST, {"department": omgeving.uuid}))

    assert "Olga Onthaal" in everyone and "Hans Handel" in everyone and "Onthaal" in everyone
    assert "Olga Onthaal" in by_name and "Hans Handel" not in by_name
    assert "Hans Handel" in by_username and "Olga Onthaal" not in by_username
    assert "Hans Handel" in by_department and "Olga Onthaal" not in by_department
    assert "Omgeving – Wegen" in by_department


def test_it_creates_an_employee_with_roles_and_a_first_password(admin_client, functional_admin, omgeving):
    team = omgeving.teams.create(name="Groen")

    response = admin_client.post(
        CREATE,
        {
            "username": "gert",
            "first_name": "Gert",
            "last_name": "Groen",
            "email": "gert@zonnedaal.be",
            "department": omgeving.pk,
            "team": team.pk,
            "job_title": "Deskundige groen",
            "roles": ["case_handler", "team_lead"],
            "password": "Een-lang-Wachtwoord-2026",
        },
    )

    gert = User.objects.get(username="gert")
    assert response["Location"] == edit_url(gert)
    assert (gert.department, gert.team, gert.job_title) == (omgeving, team, "Deskundige groen")
    assert gert.roles == {"case_handler", "team_lead"}
    assert gert.check_password("Een-lang-Wachtwoord-2026")
    assert ChangeRecord.objects.get(object_uuid=gert.uuid).actor_uuid == functional_admin.uuid


def test_without_a_password_the_account_cannot_log_in_yet(admin_client, burgerzaken):
    admin_client.post(
        CREATE,
        {
            "username": "nieuw",
            "first_name": "N",
            "last_name": "W",
            "email": "n@zonnedaal.be",
            "department": burgerzaken.pk,
        },
    )

    assert User.objects.get(username="nieuw").has_usable_password() is False


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_name": ""}, "last_name", "Dit veld is verplicht."),
        ({"first_name": "<script>alert(1)</script>"}, "first_name", "Gebruik geen HTML-tekens"),
        ({"email": "geen-adres"}, "email", "Voer een geldig e-mailadres in."),
        ({"team": "WEGEN"}, "team", "Dit team hoort niet bij de gekozen dienst."),
        ({"roles": ["koning"]}, "roles", "koning"),
    ],
)
def test_bad_employee_data_is_refused_and_changes_nothing(
    admin_client, front_desk, handler, changes, field, message
):
    if changes.get("team") == "WEGEN":
        changes = {"team": handler.team_id}  # front_desk is in Burgerzaken; Wegen is a team of Omgeving
    before = _state()
    records = ChangeRecord.objects.count()

    edited = admin_client.post(edit_url(front_desk), _data(front_desk, **changes))
    created = admin_client.post(CREATE, {**_data(front_desk, **changes), "username": "nieuw"})

    assert message in error_at(edited, field)
    assert message in error_at(created, field)
    assert _state() == before
    assert ChangeRecord.objects.count() == records


def test_it_changes_data_and_roles_with_history(admin_client, functional_admin, front_desk, omgeving):
    team = create_team(department=omgeving, name="Groen", by=None)

    response = admin_client.post(
        edit_url(front_desk),
        _data(
            front_desk,
            last_name="Onthaal-Peeters",
            department=omgeving.pk,
            team=team.pk,
            roles=["front_desk", "team_lead"],
        ),
    )

    assert response["Location"] == edit_url(front_desk)
    front_desk = User.objects.get(pk=front_desk.pk)
    assert (front_desk.last_name, front_desk.department, front_desk.team) == (
        "Onthaal-Peeters",
        omgeving,
        team,
    )
    assert front_desk.roles == {"front_desk", "team_lead"}
    changes = [
        r.changes
        for r in ChangeRecord.objects.filter(object_uuid=front_desk.uuid, action="update").order_by("id")
    ]
    assert changes[0]["last_name"] == ["Onthaal", "Onthaal-Peeters"]
    assert changes[0]["team"] == [None, str(team.uuid)]
    assert changes[1] == {"roles": [["front_desk"], ["front_desk", "team_lead"]]}
    assert "De gegevens van de medewerker zijn bewaard." in html(admin_client.get(edit_url(front_desk)))


def test_the_administrator_keeps_their_own_admin_role(admin_client, functional_admin):
    before = _state()

    response = admin_client.post(
        edit_url(functional_admin), _data(functional_admin, last_name="Anders", roles=["front_desk"])
    )

    assert "U kunt uw eigen rol van functioneel beheerder niet afnemen." in fieldset_error(response, "roles")
    assert _state() == before


def test_deactivating_blocks_login_and_reactivating_restores_it(admin_client, front_desk):
    url = reverse("backoffice:manage_employee_active", args=[front_desk.uuid])

    admin_client.post(url, {"active": "0"})
    front_desk.refresh_from_db()
    assert front_desk.is_active is False
    assert logs_in("onthaal") is False

    admin_client.post(url, {"active": "1"})
    front_desk.refresh_from_db()
    assert front_desk.is_active is True
    assert logs_in("onthaal")
    changes = [
        r.changes
        for r in ChangeRecord.objects.filter(object_uuid=front_desk.uuid, action="update").order_by("id")
    ]
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_the_administrator_cannot_deactivate_themselves(admin_client, functional_admin):
    response = admin_client.post(
        reverse("backoffice:manage_employee_active", args=[functional_admin.uuid]),
        {"active": "0"},
        follow=True,
    )

    assert "U kunt uw eigen account niet deactiveren." in html(response)
    functional_admin.refresh_from_db()
    assert functional_admin.is_active is True


def test_a_locked_out_employee_is_unlocked(admin_client, front_desk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        logs_in("onthaal", "fout")
    assert AccessAttempt.objects.filter(username="onthaal").exists()
    assert logs_in("onthaal") is False
    assert "geblokkeerd" in html(admin_client.get(LIST))

    response = admin_client.post(
        reverse("backoffice:manage_employee_unlock", args=[front_desk.uuid]), follow=True
    )

    assert "De blokkering is opgeheven" in html(response)
    assert not AccessAttempt.objects.filter(username="onthaal").exists()
    assert ChangeRecord.objects.get(object_uuid=front_desk.uuid, action="update").changes == {
        "locked_out": [True, False]
    }
    assert logs_in("onthaal")


def test_another_employee_gets_403_and_changes_nothing(desk, handler, front_desk):
    before = _state()
    client = client_for(handler)

    for path in (LIST, CREATE, edit_url(front_desk)):
        assert client.get(path).status_code == 403
    assert client.post(edit_url(front_desk), _data(front_desk, roles=["functional_admin"])).status_code == 403
    assert (
        client.post(
            reverse("backoffice:manage_employee_active", args=[front_desk.uuid]), {"active": "0"}
        ).status_code
        == 403
    )
    assert desk.post(reverse("backoffice:manage_employee_unlock", args=[front_desk.uuid])).status_code == 403
    assert _state() == before


def test_a_citizen_gets_not_found(citizen, front_desk):
    client = client_for(citizen)

    for path in (LIST, CREATE, edit_url(front_desk)):
        response = client.get(path)
        assert response.status_code == 404 and "Onthaal" not in html(response)
