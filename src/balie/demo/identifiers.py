"""Fictional but valid Belgian identifiers and phone numbers, drawn from a seeded generator."""

from __future__ import annotations

import datetime as dt
import random

import phonenumbers


def national_number(rng: random.Random, *, birth_date: dt.date, male: bool) -> str:
    """An INSZ: yymmdd, a day counter (odd for men, even for women), a mod-97 check.

    For people born from 2000 on, the check is computed over '2' + the first nine digits.
    """
    while True:
        counter = rng.randrange(1, 998)
        if (counter % 2 == 1) == male:
            break
    base = f"{birth_date:%y%m%d}{counter:03d}"
    checked = int(("2" + base) if birth_date.year >= 2000 else base)
    return f"{base}{97 - checked % 97:02d}"


def _kbo_number(first: str, rng: random.Random) -> str:
    base = first + f"{rng.randrange(2_000_000, 10_000_000):07d}"
    return f"{base}{97 - int(base) % 97:02d}"


def enterprise_number(rng: random.Random) -> str:
    """A KBO enterprise number: 0, seven digits, a mod-97 check over the first eight."""
    return _kbo_number("0", rng)


def establishment_number(rng: random.Random) -> str:
    """A KBO establishment unit number: starts with 2 here, mod-97 check like above."""
    return _kbo_number("2", rng)


def mobile_number(rng: random.Random) -> str:
    while True:
        number = f"+324{rng.choice('789')}{rng.randrange(0, 10_000_000):07d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number, "BE")):
            return number


def landline_number(rng: random.Random) -> str:
    """A number in the Antwerp zone (03), where Zonnedaal lies."""
    while True:
        number = f"+323{rng.randrange(2_000_000, 10_000_000):07d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number, "BE")):
            return number
