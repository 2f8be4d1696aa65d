"""Belgian postcodes shipped with Balie: look-up, checking the municipality, filling it in."""

from __future__ import annotations

import csv

import pytest
from django.core.exceptions import ValidationError

from balie.authentic_sources.addresses.postcodes import (
    POSTCODES_FILE,
    all_postcodes,
    clean_belgian_address,
    complete_address,
    lookup_postcode,
    name_key,
)


def test_the_shipped_list_has_every_postcode_with_its_municipality_province_and_region(settings):
    settings.BALIE_FICTIONAL_POSTCODES = False
    with POSTCODES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    assert len({row["postcode"] for row in rows}) == len(all_postcodes()) == 1149
    assert len({row["municipality_nis"] for row in rows}) == 565  # the municipalities of 2025
    assert all(len(row["postcode"]) == 4 and row["postcode"].isdigit() for row in rows)
    assert all(row["municipality_nl"] and row["municipality_fr"] and row["region_nl"] for row in rows)
    assert {row["region_nl"] for row in rows} == {
        "Vlaams Gewest",
        "Waals Gewest",
        "Brussels Hoofdstedelijk Gewest",
    }


def test_a_postcode_gives_its_municipality_in_dutch_and_french_and_its_places():
    ghent = lookup_postcode("9052")

    assert ghent is not None
    assert ghent.municipality is not None
    assert (ghent.municipality.nis, ghent.municipality.name_nl, ghent.municipality.name_fr) == (
        "44021",
        "Gent",
        "Gand",
    )
    assert ghent.municipality.province_nl == "Provincie Oost-Vlaanderen"
    assert ghent.is_flemish
    assert [place.name for place in ghent.places] == ["Zwijnaarde"]
    assert ghent.names() == ["Gent", "Gand", "Zwijnaarde"]


def test_a_postcode_of_two_places_knows_both():
    aalst = lookup_postcode("9308")

    assert aalst is not None
    assert [place.name for place in aalst.places] == ["Gijzegem", "Hofstade"]
    assert aalst.match("hofstade") == "Hofstade"


def test_an_unknown_postcode_is_none_and_the_fictional_ones_only_when_on(settings):
    assert lookup_postcode("9999") is None
    settings.BALIE_FICTIONAL_POSTCODES = False
    assert lookup_postcode("2645") is None
    settings.BALIE_FICTIONAL_POSTCODES = True
    zonnedaal = lookup_postcode("2645")
    assert zonnedaal is not None and zonnedaal.fictional and zonnedaal.is_flemish
    assert complete_address(postcode="2646", municipality="heikant") == "Heikant"


@pytest.mark.parametrize(
    ("postcode", "written", "kept"),
    [
        ("9000", "Gent", "Gent"),
        ("9000", "GAND", "Gand"),  # French
        ("9052", "zwijnaarde", "Zwijnaarde"),  # a deelgemeente
        ("2600", "Berchem (Antwerpen)", "Berchem"),  # as bpost writes it
        ("9100", "sint niklaas", "Sint-Niklaas"),  # spaces for hyphens
        ("4000", "Liege", "Liège"),  # no accent
        ("3790", "Fourons", "Fourons"),  # Voeren in French
        ("1040", "Etterbeek", "Etterbeek"),  # a postcode of two municipalities
        ("1040", "Brussel", "Brussel"),
    ],
)
def test_a_municipality_that_goes_with_the_postcode_is_accepted_in_its_own_spelling(postcode, written, kept):
    assert complete_address(postcode=postcode, municipality=written) == kept


@pytest.mark.parametrize(
    ("postcode", "filled"),
    [("9052", "Gent"), ("2018", "Antwerpen"), ("3790", "Voeren"), ("7000", "Mons"), ("1000", "Brussel")],
)
def test_an_empty_municipality_is_filled_in_from_the_postcode(postcode, filled):
    # The municipality (hoofdgemeente), in the language of its region: French in Wallonia.
    assert complete_address(postcode=postcode, municipality="") == filled
    assert clean_belgian_address(postcode=f" {postcode} ", municipality="  ") == {
        "postcode": postcode,
        "municipality": filled,
    }


@pytest.mark.parametrize(
    ("postcode", "written", "field", "message"),
    [
        ("9000", "Antwerpen", "municipality", "Antwerpen hoort niet bij postcode 9000; wel: Gent, Gand."),
        ("9999", "", "postcode", "Postcode 9999 bestaat niet in België."),
        ("0999", "Gent", "postcode", "Postcode 0999 bestaat niet in België."),
        ("90000", "Gent", "postcode", "Een Belgische postcode heeft 4 cijfers."),
        (
            "1040",
            "",
            "municipality",
            "Postcode 1040 hoort bij meer gemeenten (Etterbeek, Brussel): vul de gemeente in.",
        ),
    ],
)
def test_a_wrong_or_unknown_combination_is_refused_with_a_dutch_message(postcode, written, field, message):
    with pytest.raises(ValidationError) as refused:
        complete_address(postcode=postcode, municipality=written)

    assert refused.value.message_dict == {field: [message]}


def test_an_address_abroad_is_left_as_written():
    assert clean_belgian_address(postcode="75001", municipality="Paris", country="fr") == {
        "postcode": "75001",
        "municipality": "Paris",
    }


def test_names_compare_without_case_accents_spaces_or_hyphens():
    assert name_key("Sint-Genesius-Rode") == name_key("sint genesius rode") == "sintgenesiusrode"
    assert name_key("Écaussinnes") == name_key("ECAUSSINNES")
