"""The structured communication: mod 97, 97 for a remainder of 0; a wrong check digit is refused
in Dutch."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.payments.ogm import check_digits, find_ogm, format_ogm, make_ogm, validate_ogm


def test_the_check_is_mod_97_and_97_for_zero() -> None:
    assert check_digits("1234567890") == "02"  # 1234567890 % 97 == 2
    assert check_digits("0000000097") == "97"
    assert make_ogm(97) == "000000009797"
    assert format_ogm("123456789002") == "+++123/4567/89002+++"


def test_a_typed_ogm_is_read_in_its_usual_forms() -> None:
    assert validate_ogm("+++123/4567/89002+++") == "123456789002"
    assert validate_ogm("***123/4567/89002***") == "123456789002"
    assert validate_ogm("123 4567 89002") == "123456789002"


def test_a_wrong_check_digit_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_ogm("+++123/4567/89003+++")
    assert refused.value.messages == [
        "De gestructureerde mededeling +++123/4567/89003+++ klopt niet: het controlegetal is fout."
    ]
    with pytest.raises(ValidationError, match="geen gestructureerde mededeling"):
        validate_ogm("12345")


def test_an_ogm_is_found_in_free_text_only_when_its_check_is_right() -> None:
    assert find_ogm("Betaling zaal +++123/4567/89002+++ dank") == "123456789002"
    assert find_ogm("Betaling zaal 123/4567/89003") is None
