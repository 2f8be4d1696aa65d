"""The 360° view of an organisation shows what the KBO open data says, with the licence's credit line."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from balie.authentic_sources.kbo.importer import import_kbo
from balie.authentic_sources.kbo.layout import format_number
from balie.authentic_sources.models import KboActivity, KboAddress, KboEnterprise, KboEstablishment
from balie.parties.actions import register_party

from .kbo_helpers import full_zip

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _plain_site(settings) -> None:
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def page(user, party) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("backoffice:party", args=[party.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def company_number() -> str:
    with_units = set(KboEstablishment.objects.values_list("enterprise_number", flat=True))
    for number in KboEnterprise.objects.filter(type_of_enterprise="2").values_list(
        "enterprise_number", flat=True
    ):
        if (
            number in with_units
            and KboAddress.objects.filter(entity_number=number, type_of_address="REGO").exists()
        ):
            return number
    raise AssertionError("the generated set has such a company")


def test_the_card_shows_the_kbo_record_and_the_credit_line(tmp_path, front_desk):
    import_kbo(full_zip(tmp_path))
    number = company_number()
    row = KboEnterprise.objects.get(enterprise_number=number)
    party, _ = register_party(
        kind="organisation", name="Bakkerij Test", enterprise_number=format_number(number), by=front_desk
    )

    html = page(front_desk, party)

    assert "KBO Open Data" in html
    assert "Bron: KBO/BCE, FOD Economie. Data update: 03/10/2025" in html
    assert "Actief" in html
    assert row.start_date.strftime("%d/%m/%Y") in html
    seat = KboAddress.objects.get(entity_number=number, type_of_address="REGO")
    assert seat.street_nl.replace("'", "&#x27;") in html and "Zetel" in html
    main = KboActivity.objects.filter(
        entity_number=number, nace_version="2025", classification="MAIN"
    ).first()
    assert f"NACE 2025 {main.nace_code[:2]}.{main.nace_code[2:]}" in html
    assert "Hoofdactiviteit" in html
    units = KboEstablishment.objects.filter(enterprise_number=number).count()
    assert f"<dt>Vestigingseenheden</dt>\n      <dd>{units}" in html


def test_a_number_the_open_data_does_not_have(tmp_path, front_desk):
    import_kbo(full_zip(tmp_path, scale="tiny"))
    party, _ = register_party(
        kind="organisation", name="Gestopt BV", enterprise_number="0884303369", by=front_desk
    )

    html = page(front_desk, party)

    assert "0884.303.369 staat niet in de KBO Open Data" in html
    assert "Bron: KBO/BCE, FOD Economie. Data update: 03/10/2025" in html


def test_no_card_without_imported_data_or_for_a_person(front_desk):
    organisation, _ = register_party(
        kind="organisation", name="Gestopt BV", enterprise_number="0884303369", by=front_desk
    )
    person, _ = register_party(kind="person", family_name="Peeters", given_name="Jan", by=front_desk)

    assert "KBO Open Data" not in page(front_desk, organisation)
    assert "KBO Open Data" not in page(front_desk, person)
