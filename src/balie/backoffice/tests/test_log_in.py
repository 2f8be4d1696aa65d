"""Logging in to the back-office: employees only, and a guesser is stopped after five tries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import html

LOGIN = reverse("backoffice:login")


def test_an_employee_logs_in_and_lands_on_the_start_page(front_desk):
    client = Client()

    response = client.post(LOGIN, {"username": "onthaal", "password": "Balie-demo-2026"})

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:home")
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_the_login_page_is_in_dutch_with_labelled_fields(db):
    response = Client().get(LOGIN)

    page = html(response)
    assert '<label for="id_username">Gebruikersnaam' in page
    assert '<label for="id_password">Wachtwoord' in page
    assert 'lang="nl-be"' in page
    assert 'href="#inhoud"' in page  # skip link


def test_a_wrong_password_is_refused_with_a_message(front_desk):
    client = Client()

    response = client.post(LOGIN, {"username": "onthaal", "password": "fout"})

    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord is niet juist." in html(response)
    assert "_auth_user_id" not in client.session


def test_a_citizen_account_cannot_log_in_to_the_back_office(citizen):
    client = Client()

    response = client.post(LOGIN, {"username": "burger", "password": "Balie-demo-2026"})

    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord is niet juist." in html(response)
    assert "_auth_user_id" not in client.session


def test_it_locks_the_login_after_five_failures_even_for_the_right_password(front_desk):
    client = Client()
    for _ in range(4):
        response = client.post(LOGIN, {"username": "onthaal", "password": "fout"})
        assert response.status_code == 200

    fifth = client.post(LOGIN, {"username": "onthaal", "password": "fout"})
    right = client.post(LOGIN, {"username": "onthaal", "password": "Balie-demo-2026"})

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert "Aanmelden tijdelijk geblokkeerd" in html(right)
    assert "5 keer na elkaar een verkeerd wachtwoord" in html(right)
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(desk):
    response = desk.post(reverse("backoffice:logout"))

    assert response.status_code == 302
    assert desk.get(reverse("backoffice:home")).status_code == 302


@pytest.mark.parametrize("path", ["/", "/zoeken?q=peeters", "/taken/mijn"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(db, path):
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")
