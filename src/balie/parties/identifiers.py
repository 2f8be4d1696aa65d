"""Belgian identifiers: INSZ (national number or BIS), enterprise and establishment numbers.

Numbers are stored compact (digits only) and shown formatted. python-stdnum does the checksums;
the rules it leaves out (first digit of KBO numbers, MAGDA test numbers) are added here.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.be import nn, ssn


def compact_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _is_magda_test_number(number: str) -> bool:
    """MAGDA's test numbers: a valid mod-97 national number with the month raised by 60."""
    if len(number) != 11 or not 61 <= int(number[2:4]) <= 72:
        return False
    base, check = int(number[:9]), int(number[9:])
    return check in (97 - base % 97, 97 - int("2" + number[:9]) % 97)


def clean_insz(value: str) -> str:
    """Validate a national number or BIS number; return it compact. Raises ValidationError."""
    number = compact_digits(value)
    if len(number) != 11 or number != value.replace(".", "").replace("-", "").replace(" ", ""):
        raise ValidationError(
            _("Een rijksregisternummer heeft 11 cijfers, bv. 85.07.30-033.28."), code="format"
        )
    if settings.BALIE_ACCEPT_TEST_NUMBERS and _is_magda_test_number(number):
        return number
    try:
        ssn.validate(number)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("Dit rijksregister- of BIS-nummer is ongeldig (controlegetal klopt niet)."),
            code="checksum",
        ) from None
    return number


def format_insz(number: str) -> str:
    return nn.format(number) if len(number) == 11 else number


def _clean_kbo(value: str) -> str:
    raw = value.strip().upper().removeprefix("BE").strip()
    number = compact_digits(raw)
    if any(ch not in "0123456789 .-/" for ch in raw) or len(number) not in (9, 10):
        raise ValidationError(_("Een ondernemingsnummer heeft 10 cijfers, bv. 0403.019.261."), code="format")
    if len(number) == 9:
        number = "0" + number
    # The KBO's mod-97 rule; stdnum.be.vat would also refuse establishment numbers (2-8).
    check = int(number[8:])
    if int(number) == 0 or check == 0 or (int(number[:8]) + check) % 97:
        raise ValidationError(_("Dit nummer is ongeldig (controlegetal klopt niet)."), code="checksum")
    return number


def clean_enterprise_number(value: str) -> str:
    number = _clean_kbo(value)
    if number[0] not in "01":
        raise ValidationError(_("Een ondernemingsnummer begint met 0 of 1."), code="first_digit")
    return number


def clean_establishment_number(value: str) -> str:
    number = _clean_kbo(value)
    if number[0] not in "2345678":
        raise ValidationError(_("Een vestigingseenheidsnummer begint met 2 tot 8."), code="first_digit")
    return number


def format_enterprise_number(number: str) -> str:
    if number and number[0] in "01":
        return f"{number[:4]}.{number[4:7]}.{number[7:]}"
    return f"{number[:1]}.{number[1:4]}.{number[4:7]}.{number[7:]}"


def clean_phone(value: str) -> str:
    """A phone number in E.164 (+3235551234); Belgian numbers may be written nationally."""
    try:
        parsed = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Dit is geen geldig telefoonnummer."), code="phone") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("Dit is geen geldig telefoonnummer."), code="phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    try:
        parsed = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        return value
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 32
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)
