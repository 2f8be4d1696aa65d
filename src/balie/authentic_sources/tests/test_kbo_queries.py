"""Looking things up in the imported KBO open data: by number, by name (accents or not), for a party."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from balie.authentic_sources.kbo.importer import import_kbo
from balie.authentic_sources.kbo.layout import format_number
from balie.authentic_sources.kbo.queries import (
    get_kbo_enterprise,
    get_kbo_establishment,
    kbo_extract,
    kbo_record_for,
    search_kbo,
)
from balie.authentic_sources.models import (
    KboActivity,
    KboAddress,
    KboDenomination,
    KboEnterprise,
    KboEstablishment,
)
from balie.parties.actions import register_party

from .kbo_helpers import full_zip

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kbo(tmp_path):
    import_kbo(full_zip(tmp_path))


def company() -> KboEnterprise:
    """A legal person with a seat, activities and an establishment."""
    with_units = set(KboEstablishment.objects.values_list("enterprise_number", flat=True))
    for enterprise in KboEnterprise.objects.filter(type_of_enterprise="2").order_by("enterprise_number"):
        number = enterprise.enterprise_number
        if (
            number in with_units
            and KboAddress.objects.filter(entity_number=number, type_of_address="REGO").exists()
            and KboActivity.objects.filter(entity_number=number).exists()
        ):
            return enterprise
    raise AssertionError("the generated set has such a company")


def test_an_enterprise_by_its_number_written_any_way(kbo, front_desk):
    row = company()
    number = row.enterprise_number

    found = [
        get_kbo_enterprise(front_desk, text)
        for text in (number, format_number(number), f"BE {format_number(number)}", f"BE{number[1:]}")
    ]

    assert {e.number for e in found} == {number}
    enterprise = found[0]
    assert enterprise.number_display == format_number(number)
    assert enterprise.legal_form.code == row.juridical_form
    assert (
        enterprise.legal_form.nl
        and enterprise.legal_form.fr
        and enterprise.legal_form.nl != enterprise.legal_form.fr
    )
    assert (enterprise.status.code, enterprise.status.nl, enterprise.status.fr) == ("AC", "Actief", "Actif")
    assert enterprise.type_of_enterprise.nl == "Rechtspersoon"
    assert enterprise.start_date == row.start_date
    assert enterprise.name == (
        KboDenomination.objects.filter(entity_number=number, type_of_denomination="001").first().denomination
    )
    seat = KboAddress.objects.get(entity_number=number, type_of_address="REGO")
    assert enterprise.seat is not None and enterprise.seat.kind.nl == "Zetel"
    assert seat.street_nl in enterprise.seat.line_nl and seat.zipcode in enterprise.seat.line_nl
    assert (
        enterprise.establishments_count == KboEstablishment.objects.filter(enterprise_number=number).count()
    )
    assert enterprise.establishments and enterprise.establishments[0].address is not None
    # Activities of the newest NACE version, each code once, the main one first, with descriptions.
    activities = enterprise.activities
    assert activities and activities[0].classification.code == "MAIN"
    assert {a.version for a in activities} == {"2025"}
    assert len({a.code for a in activities}) == len(activities)
    assert activities[0].description.nl and activities[0].description.code == activities[0].code
    assert activities[0].classification.nl == "Hoofdactiviteit"


def test_descriptions_follow_the_page_language(kbo, front_desk):
    enterprise = get_kbo_enterprise(front_desk, company().enterprise_number)

    with translation.override("fr"):
        assert str(enterprise.status) == "Actif"
    with translation.override("nl"):
        assert str(enterprise.status) == "Actief"


def test_an_establishment_by_its_number(kbo, front_desk):
    row = KboEstablishment.objects.order_by("establishment_number").first()

    establishment = get_kbo_establishment(front_desk, format_number(row.establishment_number))

    assert establishment is not None
    assert establishment.enterprise_number == row.enterprise_number
    assert establishment.start_date == row.start_date
    assert establishment.address is not None and establishment.address.kind.code == "BAET"


def test_an_unknown_number_finds_nothing(kbo, front_desk):
    assert get_kbo_enterprise(front_desk, "0884.303.369") is None
    assert get_kbo_establishment(front_desk, "2.297.964.444") is None


def test_a_name_is_found_by_its_start_a_word_and_without_accents(kbo, front_desk):
    accented = KboDenomination.objects.filter(
        denomination__contains="é", entity_number__lt="2", type_of_denomination="001"
    ).first()
    assert accented is not None, "the generated set has names with accents"
    number = accented.entity_number
    word = next(w for w in accented.denomination.replace(",", " ").split() if "é" in w)

    for query in (
        accented.denomination,  # as written
        accented.denomination.upper(),  # in capitals
        word.replace("é", "e"),  # a word, without its accent
        word.replace("é", "E").upper(),
        accented.denomination[:5],  # the start
    ):
        hits = search_kbo(front_desk, query, limit=50)
        assert number in [h.enterprise_number for h in hits], query

    hit = next(h for h in search_kbo(front_desk, accented.denomination) if h.enterprise_number == number)
    assert hit.name == accented.denomination
    assert hit.legal_form.code == KboEnterprise.objects.get(enterprise_number=number).juridical_form
    assert hit.status.nl == "Actief"
    assert hit.number_display == format_number(number)


def test_an_accent_in_the_query_is_not_needed_in_the_name(kbo, front_desk):
    plain = KboDenomination.objects.filter(denomination__startswith="Peeters", entity_number__lt="2").first()
    assert plain is not None

    hits = search_kbo(front_desk, "Péeters", limit=100)

    assert plain.entity_number in [h.enterprise_number for h in hits]


def test_an_establishments_name_finds_its_enterprise(kbo, front_desk):
    unit_name = KboDenomination.objects.filter(entity_number__gte="2", type_of_denomination="003").first()
    owner = KboEstablishment.objects.get(establishment_number=unit_name.entity_number).enterprise_number

    hits = search_kbo(front_desk, unit_name.denomination, limit=100)

    via = [h for h in hits if h.via_establishment == unit_name.entity_number]
    assert via and via[0].enterprise_number == owner
    assert via[0].matched_name == unit_name.denomination


def test_the_seat_is_the_main_address_and_a_natural_person_shows_its_establishment(kbo, front_desk):
    row = company()
    hit = search_kbo(front_desk, format_number(row.enterprise_number))[0]
    seat = KboAddress.objects.get(entity_number=row.enterprise_number, type_of_address="REGO")
    assert hit.main_address.startswith(seat.street_nl)

    with_unit = set(KboEstablishment.objects.values_list("enterprise_number", flat=True))
    person = KboEnterprise.objects.filter(type_of_enterprise="1", enterprise_number__in=with_unit).first()
    hit = search_kbo(front_desk, person.enterprise_number)[0]
    assert hit.type_of_enterprise.nl == "Natuurlijk persoon"
    assert hit.main_address  # where the natural person works: no seat in the open data


def test_a_search_without_letters_or_digits_finds_nothing(kbo, front_desk):
    assert search_kbo(front_desk, " -- ") == []


def test_only_who_acts_for_the_municipality_reads_the_kbo(kbo, citizen):
    number = company().enterprise_number

    assert get_kbo_enterprise(citizen, number) is None
    assert search_kbo(citizen, number) == []


def test_the_record_of_an_organisation_party(kbo, front_desk):
    row = company()
    party, _ = register_party(
        kind="organisation",
        name="Testbedrijf",
        enterprise_number=format_number(row.enterprise_number),
        by=front_desk,
    )
    other, _ = register_party(
        kind="organisation", name="Niet in de KBO", enterprise_number="0884303369", by=front_desk
    )

    assert kbo_record_for(front_desk, party).number == row.enterprise_number
    assert kbo_record_for(front_desk, other) is None


def test_the_extract_date_for_the_credit_line(kbo):
    extract = kbo_extract()

    assert extract is not None
    assert (extract.snapshot_date, extract.extract_number, extract.extract_type) == (
        dt.date(2025, 10, 3),
        "140",
        "full",
    )


def test_no_extract_before_the_first_import(db):
    assert kbo_extract() is None
