"""Error pages speak Dutch and leak nothing."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import Client

from .conftest import html


def test_a_missing_page_is_explained_in_dutch(desk):
    response = desk.get("/bestaat-niet")

    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in html(response)
    assert "Naar de startpagina" in html(response)


def test_a_missing_page_for_an_anonymous_visitor_shows_no_menu(db):
    response = Client().get("/bestaat-niet")

    assert response.status_code == 404
    assert "Hoofdmenu" not in html(response)


def test_the_server_error_page_renders_without_a_request_in_dutch():
    page = render_to_string("500.html")

    assert "Er ging iets mis" in page
    assert 'lang="nl-BE"' in page


def test_a_forbidden_page_is_explained_in_dutch():
    page = render_to_string("403.html")

    assert "U hebt hier geen toegang toe" in page
