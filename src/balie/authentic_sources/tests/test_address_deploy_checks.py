"""`balie check --deploy` warns of the demo's postcodes and of the demo address register."""

from __future__ import annotations

from balie.authentic_sources.addresses.checks import check_addresses


def test_production_settings_raise_no_warning(settings):
    settings.BALIE_FICTIONAL_POSTCODES = False
    settings.BALIE_ADDRESS_REGISTER_URL = "https://api.basisregisters.vlaanderen.be"
    assert check_addresses() == []
    settings.BALIE_ADDRESS_REGISTER_URL = "off"
    assert check_addresses() == []


def test_the_demos_postcodes_and_register_are_warned_of(settings):
    settings.BALIE_FICTIONAL_POSTCODES = True
    settings.BALIE_ADDRESS_REGISTER_URL = ""

    assert [warning.id for warning in check_addresses()] == ["balie.W111", "balie.W112"]
