"""Filling a party from the Rijksregister / the KBO: the differences first, then apply; the
fields that came from the source are read-only in Balie afterwards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.audit.actions import snapshot
from balie.audit.models import ChangeRecord
from balie.authentic_sources.consultations import ConsultationError, purge_expired_consultations
from balie.authentic_sources.magda.demo import fictional_enterprise, fictional_person
from balie.authentic_sources.magda_actions import (
    apply_enterprise_data,
    apply_person_data,
    apply_sealed,
    fetch_enterprise,
    fetch_person,
    refresh_persons,
    refresh_scopes,
    seal,
)
from balie.authentic_sources.models import Consultation, SourcedFields
from balie.parties.actions import add_address, merge_parties, register_party, update_party
from balie.parties.models import Address, Party
from balie.parties.registries import locked_fields

from .magda_fixtures import insz

pytestmark = pytest.mark.django_db

PERSON_FIELDS = ["family_name", "given_name", "birth_date", "gender", "national_number", "note"]


def _state(party: Party) -> tuple[dict, list]:
    party.refresh_from_db()
    addresses = list(Address.objects.filter(party=party).order_by("id").values_list("street", "valid_until"))
    return snapshot(party, PERSON_FIELDS), addresses


def test_fetching_shows_the_differences_and_changes_nothing(magda, person, purpose, front_desk):
    before = _state(person)
    expected = fictional_person(person.national_number)

    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)

    rows = {d.field: d for d in fetched.differences}
    assert (rows["family_name"].current, rows["family_name"].source) == ("Peeters", expected["family_name"])
    assert rows["birth_date"].current == rows["birth_date"].source == "30/07/1985"
    assert not rows["birth_date"].changed and not rows["gender"].changed
    assert rows["address.residence"].current == "Kerkstraat 12, 2640 Mortsel"
    assert rows["nationality"].current == "—" and rows["nationality"].source == expected["nationality"][1]
    assert rows["civil_state"].source == expected["civil_state"][1]
    assert _state(person) == before
    assert not SourcedFields.objects.exists()


def test_applying_fills_the_person_and_remembers_the_source(magda, person, purpose, front_desk):
    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    answer = fetched.answer

    apply_person_data(party=person, answer=answer, by=front_desk, reference=fetched.reference)

    person.refresh_from_db()
    assert (person.family_name, person.given_name) == (answer.family_name, answer.given_names)
    residence = Address.objects.get(party=person, kind="residence", valid_until__isnull=True)
    assert residence.one_line == answer.address.one_line
    old = Address.objects.get(party=person, street="Kerkstraat")
    assert old.valid_until == residence.valid_from - dt.timedelta(days=1)
    sourced = SourcedFields.objects.get(party=person)
    assert sourced.source == "rijksregister"
    assert set(sourced.fields) == {"family_name", "given_name", "birth_date", "gender", "address.residence"}
    assert sourced.data["nationalities"][0]["description"] == answer.nationalities[0].description
    assert sourced.data["civil_state"]["description"] == answer.civil_state.description
    assert str(sourced.reference) == fetched.reference
    change = ChangeRecord.objects.filter(
        object_uuid=person.uuid, action="update", changes__has_key="family_name"
    ).get()
    assert change.actor_uuid == front_desk.uuid
    assert change.changes["family_name"] == ["Peeters", answer.family_name]


def test_fields_from_the_source_are_read_only_in_balie(magda, person, purpose, front_desk):
    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    apply_person_data(party=person, answer=fetched.answer, by=front_desk)
    person.refresh_from_db()
    before = _state(person)

    with pytest.raises(ValidationError) as refused:
        update_party(party=person, by=front_desk, family_name="Anders", given_name=person.given_name)
    with pytest.raises(ValidationError) as moved:
        add_address(
            party=person, kind="residence", street="Markt", house_number="1", postcode="2645",
            municipality="Zonnedaal", by=front_desk,
        )  # fmt: skip

    assert refused.value.message_dict == {
        "family_name": [
            "Dit gegeven komt uit een authentieke bron (Rijksregister) en kan hier niet gewijzigd worden."
        ]
    }
    assert "Rijksregister" in moved.value.message_dict["kind"][0]
    assert _state(person) == before
    locks = locked_fields(person)
    assert locks["family_name"].source_label == "Rijksregister"
    assert locks["address.residence"].since == SourcedFields.objects.get(party=person).fetched_at


def test_unlocked_fields_and_the_same_values_can_still_be_saved(magda, person, purpose, front_desk):
    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    apply_person_data(party=person, answer=fetched.answer, by=front_desk)
    person.refresh_from_db()

    update_party(party=person, by=front_desk, family_name=person.family_name, note="Komt op dinsdag")
    add_address(
        party=person, kind="postal", street="Markt", house_number="1", postcode="2645",
        municipality="Zonnedaal", by=front_desk,
    )  # fmt: skip

    person.refresh_from_db()
    assert person.note == "Komt op dinsdag"
    assert Address.objects.filter(party=person, kind="postal").count() == 1


def test_a_second_fetch_finds_nothing_new_once_applied(magda, person, purpose, front_desk):
    first = fetch_person(party=person, purpose=purpose, by=front_desk)
    apply_person_data(party=person, answer=first.answer, by=front_desk)

    again = fetch_person(party=person, purpose=purpose, by=front_desk)

    assert again.changed == []


@pytest.mark.parametrize(
    ("arrange", "outcome"),
    [
        ("invalid", "exception"),
        ("unknown", "exception"),
        ("slow", "timeout"),
        ("fault", "fault"),
    ],
)
def test_a_failed_fetch_leaves_the_party_unchanged(
    magda, person, purpose, front_desk, settings, arrange, outcome
):
    if arrange == "invalid":
        Party.objects.filter(pk=person.pk).update(national_number="85073003329")
    elif arrange == "unknown":
        Party.objects.filter(pk=person.pk).update(national_number=insz("850730", "997"))
    elif arrange == "slow":
        settings.BALIE_MAGDA_TIMEOUT = 0.3
        magda.behaviour.delay = 1.0
    else:
        magda.behaviour.fault = True
    person.refresh_from_db()
    before = _state(person)

    with pytest.raises(ConsultationError) as failed:
        fetch_person(party=person, purpose=purpose, by=front_desk)

    assert failed.value.outcome == outcome
    assert _state(person) == before
    assert not SourcedFields.objects.exists()
    assert Consultation.objects.order_by("at", "id").last().outcome == outcome


def test_a_sealed_answer_applies_only_to_its_own_party_and_unaltered(magda, person, purpose, front_desk):
    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    token = seal(fetched)
    other, _created = register_party(kind="person", family_name="Andere", by=front_desk)

    with pytest.raises(ValidationError):
        apply_sealed(party=person, token=token[:-3] + "abc", by=front_desk)
    with pytest.raises(ValidationError):
        apply_sealed(party=other, token=token, by=front_desk)
    assert not SourcedFields.objects.exists()

    apply_sealed(party=person, token=token, by=front_desk)
    person.refresh_from_db()
    assert person.family_name == fetched.answer.family_name


def test_an_answer_about_another_number_is_not_applied(magda, person, purpose, front_desk):
    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    Party.objects.filter(pk=person.pk).update(national_number=insz("850730", "035"))

    with pytest.raises(ValidationError):
        apply_person_data(party=person, answer=fetched.answer, by=front_desk)

    person.refresh_from_db()
    assert person.family_name == "Peeters"


def test_an_organisation_is_filled_from_the_kbo(magda, organisation, purpose, front_desk):
    expected = fictional_enterprise(organisation.enterprise_number)

    fetched = fetch_enterprise(party=organisation, purpose=purpose, by=front_desk)
    rows = {d.field: d for d in fetched.differences}
    assert (rows["name"].current, rows["name"].source) == ("Bakkerij De Zon", expected["name"])
    apply_enterprise_data(
        party=organisation, answer=fetched.answer, by=front_desk, reference=fetched.reference
    )

    organisation.refresh_from_db()
    assert organisation.name == expected["name"]
    assert organisation.legal_form == expected["form"][2]
    office = Address.objects.get(party=organisation, kind="registered_office", valid_until__isnull=True)
    assert office.street == expected["address"].street
    assert set(SourcedFields.objects.get(party=organisation, source="kbo").fields) == {
        "name",
        "legal_form",
        "address.registered_office",
    }
    with pytest.raises(ValidationError) as refused:
        update_party(party=organisation, by=front_desk, name="Iets anders")
    assert "KBO" in refused.value.message_dict["name"][0]


def _fetched_long_ago(party: Party, days: int = 10) -> None:
    SourcedFields.objects.filter(party=party).update(fetched_at=timezone.now() - dt.timedelta(days=days))


def test_the_weekly_refresh_updates_persons_fetched_more_than_a_week_ago(
    magda, person, purpose, front_desk, settings, monkeypatch
):
    monkeypatch.setattr(refresh_scopes, "_items", {})  # every person once fetched is a candidate
    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    apply_person_data(party=person, answer=fetched.answer, by=front_desk)
    _fetched_long_ago(person)
    Consultation.objects.all().delete()
    settings.BALIE_MAGDA_REFRESH_CAPACITY = "1300"

    assert refresh_persons() == 1
    assert refresh_persons() == 0  # done for this week

    row = Consultation.objects.get()
    assert (row.service, row.actor_uuid, row.actor_label, row.purpose_code) == (
        "GeefPersoon",
        None,
        "systeem",
        "1300",
    )
    assert SourcedFields.objects.get(party=person).fetched_at > timezone.now() - dt.timedelta(minutes=1)


def test_the_refresh_needs_a_configured_purpose(magda, person, purpose, front_desk, settings):
    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    apply_person_data(party=person, answer=fetched.answer, by=front_desk)
    _fetched_long_ago(person)
    Consultation.objects.all().delete()

    settings.BALIE_MAGDA_REFRESH_CAPACITY = ""
    assert refresh_persons() == 0
    settings.BALIE_MAGDA_REFRESH_CAPACITY = "9999"  # no purpose with this capacity
    assert refresh_persons() == 0
    assert not Consultation.objects.exists()


def test_the_refresh_keeps_to_active_persons_and_its_limit(
    magda, person, purpose, front_desk, settings, monkeypatch
):
    other, _created = register_party(
        kind="person", family_name="Maes", national_number=insz("900101", "002"), by=front_desk
    )
    for party in (person, other):
        fetched = fetch_person(party=party, purpose=purpose, by=front_desk)
        apply_person_data(party=party, answer=fetched.answer, by=front_desk)
        _fetched_long_ago(party)
    settings.BALIE_MAGDA_REFRESH_CAPACITY = "1300"

    monkeypatch.setattr(
        refresh_scopes, "_items", {"test.nobody": lambda since: Party.objects.none().values("id")}
    )
    assert refresh_persons() == 0
    monkeypatch.setattr(
        refresh_scopes, "_items", {"test.one": lambda since: Party.objects.filter(pk=other.pk).values("id")}
    )
    assert refresh_persons() == 1
    assert SourcedFields.objects.get(party=person).attempted_at is None
    monkeypatch.setattr(refresh_scopes, "_items", {})
    assert refresh_persons(limit=1) == 1


def test_a_merge_keeps_the_sources_record(magda, person, purpose, front_desk):
    fetched = fetch_person(party=person, purpose=purpose, by=front_desk)
    apply_person_data(party=person, answer=fetched.answer, by=front_desk)
    survivor, _created = register_party(kind="person", family_name="Peeters", given_name="J.", by=front_desk)

    merge_parties(survivor=survivor, duplicate=person, by=front_desk)

    assert SourcedFields.objects.get().party == survivor
    assert "family_name" in locked_fields(survivor)


def test_consultations_are_kept_ten_years(magda, person, purpose, front_desk):
    fetch_person(party=person, purpose=purpose, by=front_desk)
    now = timezone.now()
    old = Consultation.objects.order_by("id").first()
    Consultation.objects.filter(pk=old.pk).update(at=now.replace(year=now.year - 10) - dt.timedelta(days=1))

    assert purge_expired_consultations(now=now) == 1
    assert Consultation.objects.count() == 1
