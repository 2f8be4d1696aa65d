"""The values a letter is merged with, built only from the catalogue (fields.py).

Callers pass what they have in their own terms: the party and the employee as objects, the case
and the post item as plain dicts with English keys (documents sits below cases and
correspondence, so it cannot import them). A key that is not known is refused at once; that is a
programming error, not something a user can fix. Dates are written out in the template's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from balie.parties.models import Address, AddressKind, Party, PartyKind

from . import fields as catalogue

# What callers pass for a case and a post item, and the field each key fills.
CASE_KEYS = {
    "number": "nummer",
    "type": "type",
    "subject": "onderwerp",
    "registered_on": "datum",
    "deadline": "termijn",
    "department": "dienst",
    "handler": "behandelaar",
}
ITEM_KEYS = {"register_number": "nummer", "date": "datum", "subject": "onderwerp"}
LETTER_ADDRESS_ORDER: list[str] = [AddressKind.POSTAL, AddressKind.RESIDENCE, AddressKind.REGISTERED_OFFICE]

SALUTATIONS = {
    # language: (man, woman, a person otherwise, an organisation)
    "nl": (
        "Geachte heer {family}",
        "Geachte mevrouw {family}",
        "Geachte {name}",
        "Geachte mevrouw, geachte heer",
    ),
    "fr": ("Monsieur", "Madame", "Madame, Monsieur", "Madame, Monsieur"),
    "en": ("Dear Mr {family}", "Dear Ms {family}", "Dear {name}", "Dear Sir or Madam"),
}
KIND_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        PartyKind.PERSON: "persoon",
        PartyKind.ORGANISATION: "onderneming",
        PartyKind.ASSOCIATION: "vereniging",
    },
    "fr": {
        PartyKind.PERSON: "personne",
        PartyKind.ORGANISATION: "entreprise",
        PartyKind.ASSOCIATION: "association",
    },
    "en": {
        PartyKind.PERSON: "person",
        PartyKind.ORGANISATION: "company",
        PartyKind.ASSOCIATION: "association",
    },
}


class LetterContextError(ValueError):
    """A caller passed something the catalogue does not know."""


@dataclass
class LetterContext:
    """The text values of every group (empty groups for what was not given), and what the
    renderer turns into images: the QR code's payload and whether the municipality has a logo."""

    values: dict[str, dict[str, Any]]
    qr_payload: str
    language: str
    given: set[str] = field(default_factory=set)

    def value(self, name: str) -> Any:
        group, _dot, attribute = name.partition(".")
        return self.values.get(group, {}).get(attribute)

    def empty_fields(self, names: list[str]) -> list[str]:
        """Of the text fields a template uses, those that have no value for this letter."""
        empty = []
        for name in names:
            known = catalogue.FIELDS.get(name)
            if known is None or known.kind not in (catalogue.Kind.TEXT, catalogue.Kind.LIST):
                continue
            if name.startswith(f"{catalogue.CASE}.") and catalogue.CASE not in self.given:
                continue  # {% if zaak %} decides; no case is not an empty field
            if not self.value(name):
                empty.append(name)
        return empty


def _date(value: Any, language: str) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        raise LetterContextError(f"a date was expected, not {type(value).__name__}")
    with translation.override(language):
        return str(date_format(value, "j F Y"))


def _lines(address: Address | None) -> list[str]:
    if address is None:
        return []
    box = f" bus {address.box}" if address.box else ""
    lines = [
        f"{address.street} {address.house_number}{box}".strip(),
        f"{address.postcode} {address.municipality}",
    ]
    if address.country and address.country != "BE":
        lines.append(address.country)
    return [line for line in lines if line.strip()]


def letter_address(party: Party) -> Address | None:
    """Where a letter goes: the postal address, else the residence, else the registered office."""
    current = [a for a in party.addresses.all() if a.valid_until is None]
    current.sort(key=lambda a: LETTER_ADDRESS_ORDER.index(a.kind) if a.kind in LETTER_ADDRESS_ORDER else 9)
    return current[0] if current else None


def salutation(party: Party, language: str) -> str:
    man, woman, person, organisation = SALUTATIONS.get(language, SALUTATIONS["nl"])
    if party.kind != PartyKind.PERSON:
        return organisation
    pattern = {"M": man, "F": woman}.get(party.gender, person)
    return pattern.format(family=party.family_name, name=f"{party.given_name} {party.family_name}").strip()


def party_values(party: Party | None, language: str) -> dict[str, Any]:
    if party is None:
        return {}
    address = letter_address(party)
    lines = _lines(address)
    person = party.kind == PartyKind.PERSON
    return {
        "naam": f"{party.given_name} {party.family_name}".strip() if person else party.display_name,
        "voornaam": party.given_name if person else "",
        "familienaam": party.family_name if person else "",
        "aanspreking": salutation(party, language),
        "adresregels": lines,
        "adres": ", ".join(lines),
        "straat": address.street if address else "",
        "huisnummer": address.house_number if address else "",
        "bus": address.box if address else "",
        "postcode": address.postcode if address else "",
        "gemeente": address.municipality if address else "",
        "land": address.country if address and address.country != "BE" else "",
        "taal": party.preferred_language,
        "soort": KIND_WORDS.get(language, KIND_WORDS["nl"]).get(party.kind, ""),
        "ondernemingsnummer": party.enterprise_number_display,
    }


def employee_values(employee: Any) -> dict[str, Any]:
    if employee is None:
        return {}
    department = getattr(employee, "department", None)
    return {
        "naam": employee.get_full_name() or employee.username,
        "voornaam": employee.first_name,
        "familienaam": employee.last_name,
        "functie": getattr(employee, "job_title", ""),
        "dienst": department.name if department is not None else "",
        # Employees have no phone number of their own in Balie yet: the municipality's.
        "telefoon": getattr(employee, "phone", "") or settings.BALIE_MUNICIPALITY_PHONE,
        "email": employee.email,
    }


def municipality_values() -> dict[str, Any]:
    lines = [line.strip() for line in settings.BALIE_MUNICIPALITY_ADDRESS.split("|") if line.strip()]
    return {
        "naam": settings.BALIE_MUNICIPALITY_NAME,
        "adresregels": lines,
        "adres": ", ".join(lines),
        "website": settings.BALIE_MUNICIPALITY_WEBSITE,
        "telefoon": settings.BALIE_MUNICIPALITY_PHONE,
        "email": settings.BALIE_MUNICIPALITY_EMAIL,
    }


def _mapped(data: Mapping[str, Any] | None, keys: dict[str, str], what: str, language: str) -> dict[str, Any]:
    if data is None:
        return {}
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise LetterContextError(f"unknown {what} field(s) {', '.join(unknown)}; known: {', '.join(keys)}")
    values = {}
    for key, attribute in keys.items():
        value = data.get(key)
        if key in ("registered_on", "deadline", "date"):
            values[attribute] = _date(value, language)
        elif value is None:
            values[attribute] = ""
        elif isinstance(value, str | int):
            values[attribute] = str(value)
        else:
            raise LetterContextError(f"{what} field {key} must be text, not {type(value).__name__}")
    return values


def build_context(
    *,
    language: str,
    qr_payload: str,
    party: Party | None = None,
    case: Mapping[str, Any] | None = None,
    employee: Any = None,
    item: Mapping[str, Any] | None = None,
) -> LetterContext:
    """The merge values for one letter. `case` and `item` use the keys of CASE_KEYS and ITEM_KEYS;
    the item's date defaults to today."""
    item_values = _mapped(item, ITEM_KEYS, "item", language)
    if not item_values.get("datum"):
        item_values = {**dict.fromkeys(ITEM_KEYS.values(), ""), **item_values}
        item_values["datum"] = _date(timezone.localdate(), language)
    values = {
        catalogue.PARTY: party_values(party, language),
        catalogue.CASE: _mapped(case, CASE_KEYS, "case", language),
        catalogue.EMPLOYEE: employee_values(employee),
        catalogue.MUNICIPALITY: municipality_values(),
        catalogue.ITEM: item_values,
    }
    given = {name for name, group in values.items() if group}
    return LetterContext(values=values, qr_payload=qr_payload, language=language, given=given)


def sample_context(*, language: str, qr_payload: str) -> LetterContext:
    """The catalogue's examples, for a preview."""
    values = catalogue.sample_values()
    values[catalogue.MUNICIPALITY] = municipality_values()
    return LetterContext(values=values, qr_payload=qr_payload, language=language, given=set(values))
