"""The back-office pages of the authentic sources: fetch from the Rijksregister / the KBO (purpose,
differences, apply), read-only fields with their source, the privacy officer's consultation log,
and the legal purposes under Beheer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.authentic_sources.magda.demo import fictional_enterprise, fictional_person
from balie.authentic_sources.models import Consultation, LegalPurpose, SourcedFields
from balie.parties.models import Party

from .conftest import client_for, html

pytestmark = pytest.mark.django_db


def _fetch(client, party, purpose):
    return client.post(reverse("backoffice:party_fetch", args=[party.uuid]), {"purpose": str(purpose.uuid)})


def _token(response) -> str:
    match = re.search(r'name="antwoord" value="([^"]+)"', html(response))
    assert match, "no answer to apply on the page"
    return match.group(1)


def test_the_party_page_offers_to_fetch_from_the_rijksregister(desk, jan):
    page = html(desk.get(reverse("backoffice:party", args=[jan.uuid])))

    assert "Ophalen uit het Rijksregister" in page
    assert reverse("backoffice:party_fetch", args=[jan.uuid]) in page
    assert "Nog niet opgehaald uit het Rijksregister." in page


def test_the_purpose_is_asked_first_from_the_active_ones(desk, jan, purpose):
    LegalPurpose.objects.create(capacity_code="9999", description="Oud doel", active=False)

    page = html(desk.get(reverse("backoffice:party_fetch", args=[jan.uuid])))

    assert "Doel van de raadpleging" in page
    assert "Burgerzaken: dossier van de burger (1300)" in page
    assert "Oud doel" not in page


def test_without_a_purpose_nothing_is_asked(desk, jan, purpose, magda):
    response = desk.post(reverse("backoffice:party_fetch", args=[jan.uuid]), {"purpose": ""})

    assert "zonder doel geen opvraging" in html(response)
    assert magda.behaviour.received == []
    assert not Consultation.objects.exists()


def test_the_differences_are_shown_before_anything_changes(desk, jan, purpose, magda, front_desk):
    expected = fictional_person(jan.national_number)

    response = _fetch(desk, jan, purpose)

    page = html(response)
    assert response.status_code == 200
    assert "Verschillen" in page and "Volgens het Rijksregister" in page
    assert "<del>Peeters</del>" in page and f"<strong>{expected['family_name']}</strong>" in page
    assert "Toepassen" in page
    jan.refresh_from_db()
    assert jan.family_name == "Peeters"
    assert list(
        Consultation.objects.order_by("at", "id").values_list("service", "actor_uuid", "purpose_code")
    ) == [
        ("RegistreerInschrijving", front_desk.uuid, "1300"),
        ("GeefPersoon", front_desk.uuid, "1300"),
    ]
    read = PersonalDataAccess.objects.get(channel="source")
    assert (read.subject_uuid, read.purpose) == (jan.uuid, "Burgerzaken: dossier van de burger (1300)")


def test_applying_fills_the_party_and_marks_the_source(desk, jan, purpose, magda):
    expected = fictional_person(jan.national_number)
    token = _token(_fetch(desk, jan, purpose))

    response = desk.post(reverse("backoffice:party_fetch_apply", args=[jan.uuid]), {"antwoord": token})

    assert response.status_code == 302
    jan.refresh_from_db()
    assert jan.family_name == expected["family_name"]
    page = html(desk.get(reverse("backoffice:party", args=[jan.uuid])))
    fetched_on = SourcedFields.objects.get(party=jan).fetched_at
    assert f"bron: Rijksregister, {fetched_on.astimezone().strftime('%d/%m/%Y')}" in page
    assert expected["nationality"][1] in page and expected["civil_state"][1] in page


def test_fields_from_the_rijksregister_are_read_only_on_the_edit_form(desk, jan, purpose, magda):
    desk.post(
        reverse("backoffice:party_fetch_apply", args=[jan.uuid]),
        {"antwoord": _token(_fetch(desk, jan, purpose))},
    )
    jan.refresh_from_db()
    name = jan.family_name

    form = html(desk.get(reverse("backoffice:party_edit", args=[jan.uuid])))
    assert re.search(r'<input[^>]*name="family_name"[^>]*disabled', form)
    assert "bron: Rijksregister" in form

    response = desk.post(
        reverse("backoffice:party_edit", args=[jan.uuid]),
        {
            "family_name": "Anders",
            "given_name": "Iemand",
            "gender": "F",
            "national_number": jan.national_number_display,
            "note": "Belt terug",
        },
    )

    assert response.status_code == 302
    jan.refresh_from_db()
    assert (jan.family_name, jan.gender, jan.note) == (name, "M", "Belt terug")


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        ("invalid", "Het Rijksregister weigert dit rijksregisternummer: het is ongeldig (code 20002)."),
        ("unknown", "Het Rijksregister kent geen persoon met dit rijksregisternummer (code 30101)."),
        ("slow", "MAGDA antwoordde niet binnen 0.3 seconden."),
        ("fault", "MAGDA meldt een technische fout (SOAP-fout)."),
    ],
)
def test_a_failure_is_explained_and_the_party_stays_as_it_was(
    desk, jan, purpose, magda, settings, arrange, message
):
    if arrange == "invalid":
        Party.objects.filter(pk=jan.pk).update(national_number="85073003329")
    elif arrange == "unknown":
        base = "850730997"
        Party.objects.filter(pk=jan.pk).update(national_number=f"{base}{97 - int(base) % 97:02d}")
    elif arrange == "slow":
        settings.BALIE_MAGDA_TIMEOUT = 0.3
        magda.behaviour.delay = 1.0
    else:
        magda.behaviour.fault = True

    page = html(_fetch(desk, jan, purpose))

    assert "Het ophalen is niet gelukt." in page
    assert message.lower() in page.lower()
    assert "De gegevens van de klant zijn niet gewijzigd." in page
    jan.refresh_from_db()
    assert jan.family_name == "Peeters"
    assert not SourcedFields.objects.exists()


def test_an_organisation_is_fetched_from_the_kbo(desk, bakkerij, purpose, magda):
    expected = fictional_enterprise(bakkerij.enterprise_number)

    response = _fetch(desk, bakkerij, purpose)
    assert "Volgens de KBO" in html(response)
    desk.post(reverse("backoffice:party_fetch_apply", args=[bakkerij.uuid]), {"antwoord": _token(response)})

    bakkerij.refresh_from_db()
    assert bakkerij.name == expected["name"]
    assert "bron: KBO" in html(desk.get(reverse("backoffice:party", args=[bakkerij.uuid])))


def test_an_altered_answer_is_not_applied(desk, jan, purpose, magda):
    token = _token(_fetch(desk, jan, purpose))

    response = desk.post(reverse("backoffice:party_fetch_apply", args=[jan.uuid]), {"antwoord": token + "x"})

    assert response.status_code == 302
    jan.refresh_from_db()
    assert jan.family_name == "Peeters"


def test_an_outsider_cannot_fetch_or_apply(citizen, jan, purpose, magda):
    outsider = client_for(citizen)

    assert outsider.get(reverse("backoffice:party_fetch", args=[jan.uuid])).status_code == 404
    assert (
        outsider.post(
            reverse("backoffice:party_fetch", args=[jan.uuid]), {"purpose": str(purpose.uuid)}
        ).status_code
        == 404
    )
    assert (
        outsider.post(reverse("backoffice:party_fetch_apply", args=[jan.uuid]), {"antwoord": "x"}).status_code
        == 404
    )
    assert magda.behaviour.received == []


def test_a_person_without_a_national_number_has_nothing_to_fetch(desk, front_desk):
    from balie.parties.actions import register_party

    party, _created = register_party(kind="person", family_name="Zonder", by=front_desk)

    assert desk.get(reverse("backoffice:party_fetch", args=[party.uuid])).status_code == 404
    assert "Ophalen uit het Rijksregister" not in html(
        desk.get(reverse("backoffice:party", args=[party.uuid]))
    )


# -- the privacy officer ---------------------------------------------------------------------------


@pytest.fixture
def consulted(desk, jan, purpose, magda) -> Party:
    _fetch(desk, jan, purpose)
    magda.behaviour.fault = True
    _fetch(desk, jan, purpose)
    return jan


def test_the_privacy_officer_searches_the_consultation_log(privacy_officer, consulted, front_desk):
    client = client_for(privacy_officer)
    url = reverse("backoffice:consultation_log")

    page = html(client.get(url))
    assert page.count("<tr>") == 1 + 3  # header + registration, answer, fault
    assert "Olga Onthaal" in page and "Peeters Jan" in page and "SOAP-fout" in page

    only_answers = html(client.get(url, {"service": "GeefPersoon", "purpose": "1300"}))
    assert only_answers.count("<tr>") == 1 + 2
    by_person = html(client.get(url, {"person_id": str(consulted.uuid), "employee": str(front_desk.uuid)}))
    assert by_person.count("<tr>") == 1 + 3
    nobody = html(client.get(url, {"service": "GeefOnderneming"}))
    assert "Geen raadplegingen gevonden." in nobody


def test_the_consultation_log_exports_as_csv_without_personal_data(privacy_officer, consulted):
    response = client_for(privacy_officer).get(
        reverse("backoffice:consultation_log_csv"), {"service": "GeefPersoon"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("tijdstip;toepassing;medewerker")
    assert len(lines) == 1 + 2
    assert "Balie" in lines[1] and "1300" in lines[1] and str(consulted.uuid) in lines[1]
    assert consulted.national_number not in text and "Peeters" not in text


def test_only_the_privacy_officer_reads_the_consultation_log(desk, citizen, consulted):
    assert desk.get(reverse("backoffice:consultation_log")).status_code == 403
    assert desk.get(reverse("backoffice:consultation_log_csv")).status_code == 403
    assert client_for(citizen).get(reverse("backoffice:consultation_log")).status_code == 404
    assert client_for(citizen).get(reverse("backoffice:consultation_log_csv")).status_code == 404


# -- Beheer: legal purposes ------------------------------------------------------------------------------


def test_the_functional_administrator_keeps_the_purposes(admin_client, purpose):
    response = admin_client.post(
        reverse("backoffice:manage_purpose_create"),
        {"capacity_code": "1301", "description": "Sociale dienst: onderzoek", "legal_basis": "OCMW-wet"},
    )
    assert response.status_code == 302
    added = LegalPurpose.objects.get(capacity_code="1301")

    admin_client.post(reverse("backoffice:manage_purpose_active", args=[purpose.uuid]), {"active": "0"})

    purpose.refresh_from_db()
    assert not purpose.active and added.active
    page = html(admin_client.get(reverse("backoffice:manage_purposes")))
    assert "Sociale dienst: onderzoek" in page and "niet in gebruik" in page


def test_a_purpose_twice_is_refused(admin_client, purpose):
    response = admin_client.post(
        reverse("backoffice:manage_purpose_create"),
        {"capacity_code": "1300", "description": purpose.description, "legal_basis": ""},
    )

    assert response.status_code == 200
    assert LegalPurpose.objects.count() == 1


def test_others_do_not_keep_the_purposes(desk, citizen, purpose):
    assert desk.get(reverse("backoffice:manage_purposes")).status_code == 403
    assert (
        desk.post(
            reverse("backoffice:manage_purpose_active", args=[purpose.uuid]), {"active": "0"}
        ).status_code
        == 403
    )
    assert client_for(citizen).get(reverse("backoffice:manage_purposes")).status_code == 404
    purpose.refresh_from_db()
    assert purpose.active


def test_a_purpose_is_changed_and_past_consultations_keep_their_words(
    admin_client, purpose, desk, jan, magda
):
    _fetch(desk, jan, purpose)

    response = admin_client.post(
        reverse("backoffice:manage_purpose", args=[purpose.uuid]),
        {"capacity_code": "1300", "description": "Burgerzaken: bevolkingsregister", "legal_basis": ""},
    )

    assert response.status_code == 302
    purpose.refresh_from_db()
    assert purpose.description == "Burgerzaken: bevolkingsregister"
    assert set(Consultation.objects.values_list("purpose_label", flat=True)) == {
        "Burgerzaken: dossier van de burger"
    }


def test_the_log_is_searched_by_enterprise_too(privacy_officer, desk, bakkerij, purpose, magda):
    _fetch(desk, bakkerij, purpose)

    page = html(
        client_for(privacy_officer).get(reverse("backoffice:consultation_log"), {"person": "0403.019.261"})
    )

    assert page.count("<tr>") == 1 + 1
    assert "GeefOnderneming" in page and "Bakkerij De Zon" in page
