"""The interactive documentation at /api/docs, served from Balie's own static files."""

from __future__ import annotations

from django.test import Client


def test_it_shows_the_interactive_documentation() -> None:
    # when
    response = Client().get("/api/docs")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert '"url": "/api/v1/openapi.json"' in page
    assert "cdn." not in page
