"""Every MAGDA call goes through `consult`: no call without a purpose, exactly one log row per
call with purpose and user (also when it fails), and nothing personal in the logs."""

from __future__ import annotations

import json
import logging
import socket

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from balie.authentic_sources.consultations import ConsultationError, consult
from balie.authentic_sources.magda.demo import fictional_person
from balie.authentic_sources.magda_actions import fetch_person
from balie.authentic_sources.models import Consultation, LegalPurpose, MagdaService
from balie.core.logging import JsonFormatter
from balie.parties.models import Party

from .magda_fixtures import insz, kbo

pytestmark = pytest.mark.django_db


def _only_row() -> Consultation:
    rows = list(Consultation.objects.all())
    assert len(rows) == 1, f"expected one consultation row, found {len(rows)}"
    return rows[0]


def test_a_call_leaves_one_row_with_purpose_user_subject_and_reference(magda, person, purpose, front_desk):
    consulted = consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    row = _only_row()
    assert consulted.answer.family_name == fictional_person(person.national_number)["family_name"]
    assert row.application == "Balie"
    assert (row.service, row.service_version) == ("GeefPersoon", "02.02.0000")
    assert (row.actor_uuid, row.actor_label) == (front_desk.uuid, front_desk.audit_label())
    assert (row.subject_uuid, row.subject_type) == (person.uuid, "person")
    assert (row.purpose_code, row.purpose_label) == ("1300", "Burgerzaken: dossier van de burger")
    assert row.outcome == "ok"
    assert row.duration_ms is not None
    received = magda.behaviour.received
    assert [(r["service"], r["reference"], r["capacity"], r["user"], r["sender"]) for r in received] == [
        ("GeefPersoon", str(row.reference), "1300", str(front_desk.uuid), "0212645081")
    ]


def test_the_row_holds_neither_the_number_nor_the_answer(magda, person, purpose, front_desk):
    consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    row = Consultation.objects.values().get()
    stored = json.dumps(row, default=str)
    assert person.national_number not in stored
    assert "Peeters" not in stored and "Kerkstraat" not in stored


def test_no_call_without_a_purpose(magda, person, front_desk):
    with pytest.raises(ValidationError) as refused:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=None, by=front_desk)

    assert "doel" in refused.value.message_dict["purpose"][0]
    assert magda.behaviour.received == []
    assert Consultation.objects.count() == 0


def test_no_call_for_an_inactive_purpose(magda, person, purpose, front_desk):
    LegalPurpose.objects.filter(pk=purpose.pk).update(active=False)
    purpose.refresh_from_db()

    with pytest.raises(ValidationError):
        fetch_person(party=person, purpose=purpose, by=front_desk)

    assert magda.behaviour.received == []
    assert Consultation.objects.count() == 0


def test_no_call_inside_a_business_transaction(magda, person, purpose, front_desk):
    """A call waits for the network: it may not hold a transaction open, and its log row must
    not be at the mercy of the caller's rollback."""
    with pytest.raises(RuntimeError), transaction.atomic():
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert magda.behaviour.received == []
    assert Consultation.objects.count() == 0


def _invalid_number(party: Party) -> None:
    """A number imported from an old system without its check (the form would refuse it)."""
    Party.objects.filter(pk=party.pk).update(national_number="85073003329")
    party.refresh_from_db()


def test_an_invalid_insz_is_refused_by_magda_with_20002_and_logged(magda, person, purpose, front_desk):
    _invalid_number(person)

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert "ongeldig" in failed.value.message and "20002" in failed.value.message
    row = _only_row()
    assert (row.outcome, row.exception_code) == ("exception", "20002")
    assert failed.value.reference == row.reference


def test_an_unknown_person_is_not_found_and_logged(magda, purpose, front_desk, person):
    Party.objects.filter(pk=person.pk).update(national_number=insz("850730", "997"))
    person.refresh_from_db()

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert failed.value.message.startswith("Het Rijksregister kent geen persoon")
    row = _only_row()
    assert (row.outcome, row.exception_code) == ("exception", "30101")


def test_a_time_out_is_logged_as_such(magda, person, purpose, front_desk, settings):
    settings.BALIE_MAGDA_TIMEOUT = 0.3
    magda.behaviour.delay = 1.0

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert "niet binnen 0.3 seconden" in failed.value.message
    row = _only_row()
    assert row.outcome == "timeout"
    assert row.duration_ms is not None and row.duration_ms >= 300


def test_a_soap_fault_is_logged_as_such(magda, person, purpose, front_desk):
    magda.behaviour.fault = True

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert "SOAP-fout" in failed.value.message
    row = _only_row()
    assert (row.outcome, row.exception_code) == ("fault", "soapenv:Server")


def test_an_unreachable_magda_is_logged_as_a_connection_error(person, purpose, front_desk, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.BALIE_MAGDA_URL = f"http://127.0.0.1:{port}"

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert "niet bereikbaar" in failed.value.message
    assert _only_row().outcome == "error"


def test_an_answer_about_another_number_is_not_accepted(magda, person, purpose, front_desk, monkeypatch):
    from balie.authentic_sources.magda import demo

    real = demo.fictional_person
    monkeypatch.setattr(
        demo, "fictional_person", lambda number, known=None: {**real(number, known), "insz": "85073003427"}
    )

    with pytest.raises(ConsultationError):
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert _only_row().outcome == "error"


def test_test_numbers_are_refused_unless_the_setting_allows_them(magda, purpose, front_desk, settings):
    settings.BALIE_ACCEPT_TEST_NUMBERS = True
    test_person = Party.objects.create(kind="person", family_name="Test", national_number="00630300159")

    consulted = consult(service=MagdaService.GEEF_PERSOON, party=test_person, purpose=purpose, by=front_desk)
    assert consulted.answer.insz == "00630300159"

    settings.BALIE_ACCEPT_TEST_NUMBERS = False
    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_PERSOON, party=test_person, purpose=purpose, by=front_desk)
    assert "20002" in failed.value.message
    assert list(Consultation.objects.order_by("at", "id").values_list("outcome", "exception_code")) == [
        ("ok", ""),
        ("exception", "20002"),
    ]


def test_fetching_a_person_registers_once_then_asks(magda, person, purpose, front_desk):
    fetch_person(party=person, purpose=purpose, by=front_desk)
    fetch_person(party=person, purpose=purpose, by=front_desk)

    services = list(Consultation.objects.order_by("at", "id").values_list("service", flat=True))
    assert services == ["RegistreerInschrijving", "GeefPersoon", "GeefPersoon"]
    assert magda.behaviour.registrations == {(person.national_number, "1300")}
    assert all(r.outcome == "ok" and r.actor_uuid == front_desk.uuid for r in Consultation.objects.all())


def test_an_enterprise_call_is_logged_like_a_person_call(magda, organisation, purpose, front_desk):
    consulted = consult(
        service=MagdaService.GEEF_ONDERNEMING, party=organisation, purpose=purpose, by=front_desk
    )

    assert consulted.answer.enterprise_number == organisation.enterprise_number
    row = _only_row()
    assert (row.service, row.subject_uuid, row.subject_type, row.outcome) == (
        "GeefOnderneming",
        organisation.uuid,
        "organisation",
        "ok",
    )


def test_an_unknown_enterprise_is_not_found(magda, organisation, purpose, front_desk):
    Party.objects.filter(pk=organisation.pk).update(enterprise_number=kbo("04031999"))  # x.x99.9xx: unknown
    organisation.refresh_from_db()

    with pytest.raises(ConsultationError) as failed:
        consult(service=MagdaService.GEEF_ONDERNEMING, party=organisation, purpose=purpose, by=front_desk)

    assert failed.value.message.startswith("De KBO kent geen onderneming")
    assert (_only_row().outcome, _only_row().exception_code) == ("exception", "30001")


def test_a_call_logs_no_national_number_and_no_name(magda, person, purpose, front_desk, caplog):
    caplog.set_level(logging.DEBUG)

    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    magda.behaviour.fault = True
    with pytest.raises(ConsultationError):
        consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)

    assert [r.getMessage() for r in caplog.records].count("magda call") == 3
    answered = fetched.answer
    secrets = [person.national_number, person.national_number_display, "Peeters", "Kerkstraat"]
    secrets += [answered.family_name, *answered.given_names.split(), answered.address.street]
    formatter = JsonFormatter()
    for record in caplog.records:
        everything = " ".join(
            [record.getMessage(), json.dumps(vars(record), default=str), formatter.format(record)]
        )
        for secret in secrets:
            assert secret not in everything, f"{secret!r} logged by {record.name}"


@pytest.mark.django_db(transaction=True)
def test_the_row_survives_when_the_business_transaction_after_the_call_rolls_back(
    magda, person, purpose, front_desk
):
    class Refused(Exception):
        pass

    consulted = consult(service=MagdaService.GEEF_PERSOON, party=person, purpose=purpose, by=front_desk)
    with pytest.raises(Refused), transaction.atomic():
        Party.objects.filter(pk=person.pk).update(family_name=consulted.answer.family_name + "x")
        raise Refused

    assert Consultation.objects.filter(reference=consulted.consultation.reference, outcome="ok").exists()
    person.refresh_from_db()
    assert person.family_name == "Peeters"


@pytest.mark.django_db(transaction=True)
def test_a_failed_call_is_logged_even_when_nothing_else_is_saved(magda, person, purpose, front_desk):
    magda.behaviour.fault = True

    with pytest.raises(ConsultationError):
        fetch_person(party=person, purpose=purpose, by=front_desk)

    rows = list(Consultation.objects.values_list("service", "outcome"))
    assert rows == [("RegistreerInschrijving", "fault")]
