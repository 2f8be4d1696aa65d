"""GET /health: for load balancers and monitoring, over plain http, without logging in."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_answers_and_is_migrated(client: Client) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_answers_over_plain_http_where_every_other_page_redirects_to_https(client: Client) -> None:
    health = client.get("/health")
    page = client.get("/")

    assert health.status_code == 200
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/"
