"""Who may call the API at all: a valid token of an active application, or an employee's session
(with CSRF for changes). Without credentials 401; a citizen's session 403."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from balie.accounts.models import User
from balie.api.actions import deactivate_api_application, record_api_use, rotate_api_token
from balie.api.models import ApiApplication
from balie.audit.models import PersonalDataAccess
from balie.parties.models import Party

from .conftest import ApiClient, row_counts

URL = "/api/v1/parties"
PERSON = {"kind": "person", "family_name": "Claes"}


def test_it_asks_for_credentials_without_any(db: None) -> None:
    # when
    response = ApiClient().get(URL)
    # then
    assert (response.status_code, response.json()) == (401, {"detail": "Meld u aan met een sleutel."})
    assert response.headers["WWW-Authenticate"] == 'Token realm="balie"'


def test_it_refuses_an_unknown_token_and_changes_nothing(db: None) -> None:
    # given
    before = row_counts()
    # when
    response = ApiClient(token="balie_" + "x" * 43).post(URL, PERSON)
    # then
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Deze sleutel is onbekend of ingetrokken."},
    )
    assert row_counts() == before


def test_it_accepts_the_token_as_a_bearer_token(website_with_token: tuple[ApiApplication, str]) -> None:
    # when
    response = ApiClient(token=website_with_token[1], scheme="Bearer").get(URL)
    # then
    assert response.status_code == 200


def test_it_refuses_the_token_of_a_deactivated_application(
    website_with_token: tuple[ApiApplication, str], api: ApiClient
) -> None:
    # given
    website, _token = website_with_token
    deactivate_api_application(application=website, by=None)
    # when
    response = api.get(URL)
    # then
    assert response.status_code == 401
    website.user.refresh_from_db()
    assert website.user.is_active is False


def test_a_rotated_token_replaces_the_old_one(website: ApiApplication, api: ApiClient) -> None:
    # given
    _application, new_token = rotate_api_token(application=website, by=None)
    # when
    old, new = api.get(URL), ApiClient(token=new_token).get(URL)
    # then
    assert (old.status_code, new.status_code) == (401, 200)


def test_it_notes_when_the_application_was_last_used(website: ApiApplication, api: ApiClient) -> None:
    # given
    assert website.last_used_at is None
    # when
    api.get(URL)
    # then
    website.refresh_from_db()
    assert website.last_used_at is not None
    assert timezone.now() - website.last_used_at < dt.timedelta(minutes=1)


def test_it_writes_last_used_at_at_most_once_a_minute(website: ApiApplication) -> None:
    # given
    start = timezone.now()
    record_api_use(application=website, now=start)
    # when
    record_api_use(application=website, now=start + dt.timedelta(seconds=30))
    # then
    website.refresh_from_db()
    assert website.last_used_at == start


def _logged_in(user: User, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_an_employee_reads_with_the_session(front_desk: User, jan: Party) -> None:
    # when
    response = _logged_in(front_desk).get(f"{URL}/{jan.uuid}")
    # then
    assert response.status_code == 200
    access = PersonalDataAccess.objects.get()
    assert (access.actor_uuid, access.application, access.channel) == (front_desk.uuid, "", "api")


def test_an_employee_cannot_change_without_the_csrf_token(front_desk: User) -> None:
    # given
    before = row_counts()
    # when
    response = _logged_in(front_desk, csrf=True).post(URL, PERSON, content_type="application/json")
    # then
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "De CSRF-controle is mislukt; laad de pagina opnieuw."},
    )
    assert row_counts() == before


def test_an_employee_changes_with_the_csrf_token(front_desk: User) -> None:
    # given
    client = _logged_in(front_desk, csrf=True)
    client.get("/api/docs")  # a page hands out the CSRF cookie
    token = client.cookies["csrftoken"].value
    # when
    response = client.post(URL, PERSON, content_type="application/json", headers={"X-CSRFToken": token})
    # then
    assert response.status_code == 201
    assert Party.objects.get().family_name == "Claes"


def test_a_citizen_is_refused_and_changes_nothing(citizen: User, jan: Party) -> None:
    # given
    client = _logged_in(citizen)
    before = row_counts()
    # when
    responses = [
        client.get(URL),
        client.get(f"{URL}/{jan.uuid}"),
        client.post(URL, PERSON, content_type="application/json"),
        client.get("/api/v1/contact-moments"),
    ]
    # then
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert responses[0].json() == {"detail": "Alleen medewerkers kunnen dit opvragen."}
    assert row_counts() == before


def test_a_system_account_cannot_log_in_to_the_pages(website: ApiApplication) -> None:
    # then: it has no password to log in with
    assert website.user.has_usable_password() is False
