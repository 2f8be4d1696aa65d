"""A functional administrator registers another system: an application, its system account in a
department, and a token shown once."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from balie.accounts.models import AccountKind, Department, User
from balie.api.actions import create_api_application, deactivate_api_application
from balie.api.models import ApiApplication
from balie.audit.models import ChangeRecord

from .conftest import ApiClient


def test_it_creates_an_application_acting_as_a_system_account_of_its_department(
    burgerzaken: Department, privacy_officer: User
) -> None:
    # when
    application, _token = create_api_application(
        name="Website",
        department=burgerzaken,
        scopes=["parties:read", "contact_moments:write", "parties:read"],
        purpose="Aanvragen via de website",
        by=privacy_officer,
    )
    # then
    assert (application.name, application.department, application.scopes, application.active) == (
        "Website",
        burgerzaken,
        ["contact_moments:write", "parties:read"],
        True,
    )
    account = application.user
    assert (account.username, account.kind, account.department, account.is_active) == (
        "api-website",
        AccountKind.SYSTEM,
        burgerzaken,
        True,
    )
    assert account.has_usable_password() is False
    creation = ChangeRecord.objects.get(object_uuid=application.uuid)
    assert (creation.action, creation.actor_uuid) == ("create", privacy_officer.uuid)


def test_it_keeps_only_a_hash_of_the_token(burgerzaken: Department) -> None:
    # when
    application, token = create_api_application(
        name="Website", department=burgerzaken, scopes=["parties:read"], by=None
    )
    # then
    assert token.startswith("balie_") and len(token) > 40
    application.refresh_from_db()
    assert application.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert application.token_prefix == token[:14]
    assert not ApiApplication.objects.filter(token_hash=token).exists()
    assert token not in str(list(ChangeRecord.objects.values_list("changes", flat=True)))


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [
        ("Website", ["parties:read", "everything"], "scopes"),
        ("Website", [], "scopes"),
        ("<script>", ["parties:read"], "name"),
        ("", ["parties:read"], "name"),
        ("!!!", ["parties:read"], "name"),
    ],
)
def test_it_refuses_bad_input_and_creates_nothing(
    burgerzaken: Department, name: str, scopes: list[str], field: str
) -> None:
    # given
    users, changes = User.objects.count(), ChangeRecord.objects.count()
    # when
    with pytest.raises(ValidationError) as refused:
        create_api_application(name=name, department=burgerzaken, scopes=scopes, by=None)
    # then
    assert list(refused.value.message_dict) == [field]
    assert (ApiApplication.objects.count(), User.objects.count(), ChangeRecord.objects.count()) == (
        0,
        users,
        changes,
    )


def test_it_refuses_a_second_application_with_the_same_name(burgerzaken: Department) -> None:
    # given
    create_api_application(name="Website", department=burgerzaken, scopes=["parties:read"], by=None)
    # when
    with pytest.raises(ValidationError) as refused:
        create_api_application(name="website", department=burgerzaken, scopes=["parties:read"], by=None)
    # then
    assert list(refused.value.message_dict) == ["name"]
    assert ApiApplication.objects.count() == 1


def test_deactivating_stops_the_application_and_its_account(burgerzaken: Department) -> None:
    # given
    application, token = create_api_application(
        name="Website", department=burgerzaken, scopes=["parties:read"], by=None
    )
    # when
    deactivate_api_application(application=application, by=None)
    # then
    application.refresh_from_db()
    application.user.refresh_from_db()
    assert (application.active, application.user.is_active) == (False, False)
    assert ApiClient(token=token).get("/api/v1/parties").status_code == 401


def test_the_command_prints_a_working_token_once(burgerzaken: Department) -> None:
    # given
    out, err = StringIO(), StringIO()
    # when
    call_command(
        "create_api_application",
        "--name=Meldingen",
        "--department=burgerzaken",
        "--scope=parties:read",
        "--scope=catalogue:read",
        "--purpose=Meldingen opvolgen",
        stdout=out,
        stderr=err,
    )
    # then
    token = out.getvalue().strip()
    application = ApiApplication.objects.get()
    assert (application.name, application.scopes, application.purpose) == (
        "Meldingen",
        ["catalogue:read", "parties:read"],
        "Meldingen opvolgen",
    )
    assert "Bewaar deze sleutel nu" in err.getvalue()
    assert ApiClient(token=token).get("/api/v1/topics").status_code == 200


def test_the_command_refuses_an_unknown_department(db: None) -> None:
    # when / then
    with pytest.raises(CommandError):
        call_command("create_api_application", "--name=X", "--department=nope", "--scope=parties:read")
    assert ApiApplication.objects.count() == 0
