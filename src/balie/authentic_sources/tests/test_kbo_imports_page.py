"""Beheer › KBO-imports shows the functional administrator what was imported and what failed where."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.authentic_sources.kbo.importer import KboImportError, import_kbo

from .kbo_helpers import full_zip, replace_line, rewrite

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _plain_site(settings) -> None:
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def administrator(omgeving):
    return create_employee(
        username="beheer",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


def get(user):
    client = Client()
    client.force_login(user)
    return client.get(reverse("backoffice:manage_kbo_imports"))


def test_the_administrator_sees_the_imports_and_where_one_failed(tmp_path, administrator):
    import_kbo(full_zip(tmp_path, scale="tiny"))
    broken = rewrite(
        full_zip(tmp_path, scale="tiny", seed=3),
        tmp_path / "KboOpenData_0150_2025_11_05_Full.zip",
        {
            "meta.csv": lambda data: data.replace(b'"140"', b'"150"'),
            "enterprise.csv": replace_line(4, lambda line: line.rsplit(",", 1)[0] + ",31-02-2020"),
        },
    )
    with pytest.raises(KboImportError):
        import_kbo(broken)

    response = get(administrator)

    assert response.status_code == 200
    html = response.content.decode()
    assert "KBO-imports" in html
    assert "03/10/2025" in html  # the data loaded: the first extract's date
    assert "KboOpenData_0150_2025_11_05_Full.zip" in html and "mislukt" in html
    assert "enterprise.csv, regel 4" in html
    assert "voltooid" in html


def test_only_the_functional_administrator(front_desk):
    assert get(front_desk).status_code == 403
