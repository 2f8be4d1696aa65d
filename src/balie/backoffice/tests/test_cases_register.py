"""Registering a case: pick the case type, fill in its attributes (errors per attribute), a
customer as applicant (prefilled from the 360° view); "Maak er een zaak van" from a contact; the
customer's cases on their 360° view."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from balie.cases import catalogue
from balie.cases.actions import register_case
from balie.cases.models import Case, CaseRole
from balie.contact_moments.actions import register_contact_moment

from .conftest import client_for, html

NEW = reverse("backoffice:case_register")


def field_error(response, name: str) -> str:
    page = html(response)
    match = re.search(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', page, re.S)
    assert match, f"no error shown next to {name}"
    return match.group(1).strip()


@pytest.fixture
def rich_version(admin, omgeving):
    """A case type with every kind of attribute."""
    draft = catalogue.create_case_type(code="evenement", name="Evenement", department=omgeving, by=admin)
    catalogue.add_status_type(version=draft, by=admin, name="Ontvangen")
    catalogue.add_status_type(version=draft, by=admin, name="Afgehandeld")
    catalogue.add_role_type(version=draft, by=admin, kind="initiator", name="Organisator")
    for code, label, kind, extra in [
        ("naam", "Naam evenement", "text", {"required": True}),
        ("bezoekers", "Verwachte bezoekers", "number", {"min_value": 1}),
        ("datum", "Datum", "date", {}),
        ("soort", "Soort", "choice", {"choices": ["markt", "concert"]}),
        ("contact", "Contactpersoon", "party", {}),
        ("plaats", "Plaats", "address", {}),
    ]:
        catalogue.add_attribute(version=draft, by=admin, code=code, label=label, kind=kind, **extra)
    catalogue.add_result_type(
        version=draft, by=admin, name="Toegestaan", archival_nomination="destroy", retention_years=5
    )
    return catalogue.publish_version(version=draft, by=admin)


def test_step_one_lists_the_case_types_in_use(handler, permit_type, rich_version):
    page = html(client_for(handler).get(NEW))

    assert "<h1" in page and "Nieuwe zaak" in page
    assert f'value="{permit_type.uuid}"' in page and f'value="{rich_version.case_type.uuid}"' in page
    assert 'name="subject"' not in page


def test_step_two_renders_the_attributes_by_kind(handler, rich_version):
    page = html(client_for(handler).get(f"{NEW}?zaaktype={rich_version.case_type.uuid}"))

    assert (
        'name="kenmerk-naam"' in page and 'name="kenmerk-bezoekers"' in page and 'inputmode="decimal"' in page
    )
    assert 'type="date" name="kenmerk-datum"' in page
    assert '<option value="markt">markt</option>' in page
    assert 'name="kenmerk-contact-zoek"' in page  # a party: found by search
    for part in ["street", "house_number", "box", "postcode", "municipality"]:
        assert f'name="kenmerk-plaats_{part}"' in page
    assert ">Straat</label>" in page and ">Postcode</label>" in page


def test_register_with_attributes_and_applicant(handler, rich_version, jan, bakkerij):
    client = client_for(handler)
    response = client.post(
        NEW,
        {
            "case_type": str(rich_version.case_type.uuid),
            "subject": "Jaarmarkt",
            "description": "Op het dorpsplein",
            "initiator": str(jan.uuid),
            "kenmerk-naam": "Jaarmarkt 2026",
            "kenmerk-bezoekers": "1500",
            "kenmerk-datum": "2026-09-12",
            "kenmerk-soort": "markt",
            "kenmerk-contact": str(bakkerij.uuid),
            "kenmerk-plaats_street": "Dorpsplein",
            "kenmerk-plaats_house_number": "1",
            "kenmerk-plaats_postcode": "2640",
            "kenmerk-plaats_municipality": "Mortsel",
        },
    )

    case = Case.objects.get(subject="Jaarmarkt")
    assert response["Location"] == reverse("backoffice:case", args=[case.uuid])
    assert case.attributes == {
        "naam": "Jaarmarkt 2026",
        "bezoekers": 1500,
        "datum": "2026-09-12",
        "soort": "markt",
        "contact": str(bakkerij.uuid),
        "plaats": {
            "street": "Dorpsplein",
            "house_number": "1",
            "box": "",
            "postcode": "2640",
            "municipality": "Mortsel",
        },
    }
    assert CaseRole.objects.get(case=case).party == jan
    page = html(client.get(response["Location"]))
    assert f"Zaak {case.number} is geregistreerd." in page
    assert "Bakkerij De Zon" in page and "Dorpsplein 1, 2640 Mortsel" in page and "12/09/2026" in page


def test_wrong_attributes_are_shown_at_their_fields_and_nothing_is_registered(handler, rich_version):
    response = client_for(handler).post(
        NEW,
        {
            "case_type": str(rich_version.case_type.uuid),
            "subject": "Jaarmarkt",
            "kenmerk-naam": "",
            "kenmerk-bezoekers": "veel",
            "kenmerk-plaats_street": "Dorpsplein",
            "kenmerk-plaats_postcode": "26400",
            "kenmerk-plaats_municipality": "Mortsel",
        },
    )

    assert response.status_code == 200
    assert field_error(response, "kenmerk-bezoekers") == "Vul een getal in."
    assert field_error(response, "kenmerk-plaats") == "Een Belgische postcode heeft vier cijfers."
    assert "verplicht" in field_error(response, "kenmerk-naam")
    assert 'value="Jaarmarkt"' in html(response)  # what was typed stays
    assert not Case.objects.exists()


def test_a_subject_is_required(handler, permit_type):
    response = client_for(handler).post(
        NEW, {"case_type": str(permit_type.uuid), "subject": "", "kenmerk-soort": "bouwen"}
    )

    assert field_error(response, "subject")
    assert not Case.objects.exists()


def test_the_applicant_is_prefilled_from_the_360_view(handler, permit_type, jan):
    client = client_for(handler)
    party_page = html(client.get(reverse("backoffice:party", args=[jan.uuid])))
    assert f'href="{NEW}?klant={jan.uuid}"' in party_page

    chooser = html(client.get(f"{NEW}?klant={jan.uuid}"))
    assert f'<input type="hidden" name="klant" value="{jan.uuid}">' in chooser
    form = html(client.get(f"{NEW}?klant={jan.uuid}&zaaktype={permit_type.uuid}"))

    assert f'name="initiator" value="{jan.uuid}" checked' in form and "Peeters Jan" in form


def test_the_applicant_picker_searches_without_javascript(handler, permit_type, jan):
    response = client_for(handler).post(
        NEW,
        {
            "case_type": str(permit_type.uuid),
            "subject": "Verbouwing",
            "initiator-zoek": "peeters",
            "zoek": "initiator",
        },
    )

    page = html(response)
    assert f'name="initiator" value="{jan.uuid}"' in page and 'value="Verbouwing"' in page
    assert 'class="field__error"' not in page
    assert not Case.objects.exists()


def test_words_in_a_search_box_with_nobody_chosen_search_instead_of_registering(handler, permit_type, jan):
    # Enter in the applicant's search box sends the form: the employee meant to search.
    response = client_for(handler).post(
        NEW,
        {
            "case_type": str(permit_type.uuid),
            "subject": "Verbouwing",
            "kenmerk-soort": "bouwen",
            "initiator-zoek": "jan",
        },
    )

    assert response.status_code == 200 and f'name="initiator" value="{jan.uuid}"' in html(response)
    assert not Case.objects.exists()


def test_a_sub_case(handler, permit_type):
    parent = register_case(case_type=permit_type, by=handler, subject="Hoofd", attributes={"soort": "bouwen"})
    client = client_for(handler)

    form = html(client.get(f"{NEW}?hoofdzaak={parent.uuid}&zaaktype={permit_type.uuid}"))
    assert f"Deelzaak van {parent.number}" in form
    client.post(
        NEW,
        {
            "case_type": str(permit_type.uuid),
            "parent": str(parent.uuid),
            "subject": "Advies",
            "kenmerk-soort": "bouwen",
        },
    )

    assert Case.objects.get(subject="Advies").parent == parent


def test_make_a_case_of_a_contact_moment(front_desk, handler, permit_type, jan):
    moment = register_contact_moment(
        by=front_desk, channel="phone", summary="Wil een carport bouwen", party=jan
    )
    client = client_for(handler)
    detail = html(client.get(reverse("backoffice:contact_moment", args=[moment.uuid])))
    start = reverse("backoffice:case_from_contact_moment", args=[moment.uuid])
    assert f'href="{start}">Maak er een zaak van</a>' in detail

    form = html(client.get(f"{start}?zaaktype={permit_type.uuid}"))
    assert "als aanvrager" in form and 'name="initiator"' not in form
    assert 'value="Wil een carport bouwen"' in form  # the summary starts the subject

    response = client.post(
        start,
        {
            "case_type": str(permit_type.uuid),
            "subject": "Carport",
            "description": "",
            "kenmerk-soort": "bouwen",
        },
    )

    moment.refresh_from_db()
    case = moment.case
    assert case is not None and response["Location"] == reverse("backoffice:case", args=[case.uuid])
    assert case.origin == "contact_moment" and case.roles.get().party == jan
    assert "Wil een carport bouwen" in html(client.get(response["Location"]))  # the linked contact
    # once linked, the button leads to the case
    again = client.get(start)
    assert again["Location"] == reverse("backoffice:case", args=[case.uuid])


def test_a_contact_case_with_a_wrong_attribute_is_refused_and_the_contact_stays_unlinked(
    front_desk, handler, permit_type, jan
):
    moment = register_contact_moment(by=front_desk, channel="phone", summary="Vraag", party=jan)

    response = client_for(handler).post(
        reverse("backoffice:case_from_contact_moment", args=[moment.uuid]),
        {"case_type": str(permit_type.uuid), "subject": "Carport", "kenmerk-soort": "slopen"},
    )

    assert field_error(response, "kenmerk-soort")
    moment.refresh_from_db()
    assert moment.case is None and not Case.objects.exists()


def test_the_360_view_shows_the_customers_cases(handler, permit_type, jan):
    case = register_case(
        case_type=permit_type,
        by=handler,
        subject="Dakkapel",
        parties=[(jan, "initiator")],
        attributes={"soort": "bouwen"},
    )
    client = client_for(handler)

    page = html(client.get(reverse("backoffice:party", args=[jan.uuid])))
    only_cases = html(
        client.get(
            reverse("backoffice:party", args=[jan.uuid]) + "?soort=zaken",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="timeline",
        )
    )

    card = page[page.index('id="party-cases-title"') : page.index('id="identity-title"')]
    assert case.number in card and "Dakkapel" in card and "op tijd" in card
    assert "timeline__entry--case" in page and f"{case.number} · Omgevingsvergunning" in page
    assert f"{case.number} · Omgevingsvergunning" in only_cases


def test_a_confidential_case_of_another_department_stays_off_the_360_view(
    front_desk, handler, permit_type, jan
):
    register_case(
        case_type=permit_type,
        by=handler,
        subject="Geheim",
        parties=[(jan, "initiator")],
        attributes={"soort": "bouwen"},
        confidential=True,
    )

    page = html(client_for(front_desk).get(reverse("backoffice:party", args=[jan.uuid])))

    assert "Geheim" not in page
