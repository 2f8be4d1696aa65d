"""A functional administrator makes a case type an e-service; a citizen requests it in the
e-loket with a form built from its attributes, and follows the case in "Mijn gemeente"."""

import pytest
from django.test import Client
from django.urls import reverse

from balie.cases.models import Case, Origin

from .conftest import citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit_online(permit_version):
    permit_version.e_service = True
    permit_version.e_service_intro = "Vraag hier uw omgevingsvergunning aan."
    permit_version.save()
    return permit_version


def test_an_e_service_is_listed_and_its_form_asks_the_attributes(permit_online):
    code = permit_online.case_type.code

    home = Client().get(reverse("portal:home")).content.decode()
    client, _party = citizen("85073003328", "Jan", "Peeters")
    form = client.get(reverse("portal:e_service", args=[code])).content.decode()

    assert reverse("portal:e_service", args=[code]) in home
    assert "Oppervlakte (m²)" in form and "Datum beslissing" in form and ">verbouwen</option>" in form


def test_a_citizen_requests_an_e_service_and_gets_a_case(jan, permit_online):
    client, party = jan

    response = client.post(
        reverse("portal:e_service", args=[permit_online.case_type.code]),
        {"a_soort": "verbouwen", "a_oppervlakte": "42,5", "description": "Een veranda achteraan."},
    )

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:case", args=[case.uuid])
    assert (case.origin, case.subject, case.description) == (
        Origin.PORTAL,
        permit_online.name,
        "Een veranda achteraan.",
    )
    assert case.attributes == {"soort": "verbouwen", "oppervlakte": 42.5}
    assert list(case.roles.values_list("party", "kind")) == [(party.pk, "initiator")]
    assert case.number in client.get(reverse("portal:mine")).content.decode()


def test_a_form_with_bad_values_registers_nothing_and_says_why(jan, permit_online):
    client, _party = jan

    response = client.post(
        reverse("portal:e_service", args=[permit_online.case_type.code]),
        {"a_soort": "", "a_oppervlakte": "-3"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Minstens 0" in page and "Soort" in page
    assert not Case.objects.exists()


def test_a_case_type_that_is_not_an_e_service_is_not_found(jan, permit_version):
    client, _party = jan

    response = client.post(
        reverse("portal:e_service", args=[permit_version.case_type.code]), {"a_soort": "bouwen"}
    )

    assert response.status_code == 404
    assert not Case.objects.exists()
