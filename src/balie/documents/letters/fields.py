"""The merge-field catalogue: every field a letter template may use, with what it means and an
example (the preview's sample data). Templates name fields in Dutch, as the functional
administrator who writes them in Word reads them: {{ klant.naam }}, {{ zaak.nummer }}.

A template that names a field not in here is refused when it is uploaded (checks.py), and a
context is built only from here (context.py), so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    TEXT = "text"
    LIST = "list"  # lines, used in a loop: {%p for regel in klant.adresregels %}
    IMAGE = "image"  # an image put where the field stands: {{ qr }}, {{ gemeente.logo }}
    BLOCK = "block"  # a reusable block: {{ blok.briefhoofd }}


@dataclass(frozen=True)
class Field:
    name: str  # dotted, as written in the template
    description: str | Promise
    example: str | list[str]
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Group:
    name: str
    title: str | Promise
    description: str | Promise
    fields: tuple[Field, ...]


def _group(name: str, title: Promise, description: Promise, *fields: tuple[Any, ...]) -> Group:
    """A group from (attribute, meaning, example[, kind]) rows; a list example makes a list field."""
    made = []
    for attribute, meaning, example, *rest in fields:
        kind = rest[0] if rest else Kind.LIST if isinstance(example, list) else Kind.TEXT
        made.append(Field(f"{name}.{attribute}", meaning, example, kind))
    return Group(name, title, description, tuple(made))


PARTY = "klant"
CASE = "zaak"
EMPLOYEE = "medewerker"
MUNICIPALITY = "gemeente"
ITEM = "poststuk"
QR = "qr"
BLOCK = "blok"

GROUPS: tuple[Group, ...] = (
    _group(
        PARTY,
        _("De geadresseerde"),
        _("De persoon, onderneming of vereniging aan wie de brief gericht is."),
        ("naam", _("de naam (voornaam en familienaam, of de naam van de organisatie)"), "An Peeters"),
        ("voornaam", _("de voornaam (leeg voor een organisatie)"), "An"),
        ("familienaam", _("de familienaam (leeg voor een organisatie)"), "Peeters"),
        (
            "aanspreking",
            _("de aanspreking in de taal van het sjabloon, zonder komma"),
            "Geachte mevrouw Peeters",
        ),
        (
            "adresregels",
            _("de regels van het adres, elk op een eigen regel met een lus „for regel in klant.adresregels”"),
            ["Kerkstraat 12 bus 3", "2645 Zonnedaal"],
        ),
        ("adres", _("het adres op één regel"), "Kerkstraat 12 bus 3, 2645 Zonnedaal"),
        ("straat", _("de straat"), "Kerkstraat"),
        ("huisnummer", _("het huisnummer"), "12"),
        ("bus", _("het busnummer (leeg als er geen is)"), "3"),
        ("postcode", _("de postcode"), "2645"),
        ("gemeente", _("de gemeente"), "Zonnedaal"),
        ("land", _("het land (leeg in België)"), ""),
        ("taal", _("de voorkeurstaal: nl, fr of en"), "nl"),
        ("soort", _("persoon, onderneming of vereniging"), "persoon"),
        ("ondernemingsnummer", _("het ondernemingsnummer (organisaties)"), ""),
    ),
    _group(
        CASE,
        _("De zaak"),
        _("De zaak waarover de brief gaat; leeg als de brief bij geen zaak hoort (test met „if zaak”)."),
        ("nummer", _("het zaaknummer"), "C2026-000123"),
        ("type", _("het zaaktype"), "Omgevingsvergunning"),
        ("onderwerp", _("het onderwerp"), "Verbouwing woning Kerkstraat 12"),
        ("datum", _("de datum waarop de zaak begon"), "3 maart 2026"),
        ("termijn", _("de uiterste datum"), "2 april 2026"),
        ("dienst", _("de dienst die de zaak behandelt"), "Omgeving"),
        ("behandelaar", _("de behandelaar"), "Hans Handel"),
    ),
    _group(
        EMPLOYEE,
        _("De medewerker"),
        _("Wie de brief schrijft (en meestal ondertekent)."),
        ("naam", _("voornaam en familienaam"), "Hans Handel"),
        ("voornaam", _("de voornaam"), "Hans"),
        ("familienaam", _("de familienaam"), "Handel"),
        ("functie", _("de functie"), "Deskundige omgeving"),
        ("dienst", _("de dienst"), "Omgeving"),
        ("telefoon", _("het telefoonnummer (nu het algemene nummer van de gemeente)"), "03 123 45 67"),
        ("email", _("het e-mailadres"), "hans.handel@zonnedaal.be"),
    ),
    _group(
        MUNICIPALITY,
        _("De gemeente"),
        _("Uit de instellingen van Balie."),
        ("naam", _("de naam"), "Gemeente Zonnedaal"),
        ("adresregels", _("de regels van het adres, voor een lus"), ["Gemeenteplein 1", "2645 Zonnedaal"]),
        ("adres", _("het adres op één regel"), "Gemeenteplein 1, 2645 Zonnedaal"),
        ("website", _("de website"), "www.zonnedaal.be"),
        ("telefoon", _("het algemene telefoonnummer"), "03 123 45 67"),
        ("email", _("het algemene e-mailadres"), "info@zonnedaal.be"),
        ("logo", _("het logo, als afbeelding van 3 cm breed"), "", Kind.IMAGE),
    ),
    _group(
        ITEM,
        _("Het poststuk"),
        _("De uitgaande brief in het postregister."),
        ("nummer", _("het registratienummer"), "OUT-2026-000123"),
        ("datum", _("de datum van de brief (vandaag als er geen is)"), "3 maart 2026"),
        ("onderwerp", _("het onderwerp van de brief"), "Ontvangstmelding van uw aanvraag"),
    ),
)

QR_FIELD = Field(
    QR,
    _(
        "de QR-code van de brief (2,5 cm), waarmee een ondertekend exemplaar op papier na het scannen "
        "terug bij de brief komt; staat hij niet in het sjabloon, dan komt hij rechtsonder op de "
        "eerste bladzijde van de PDF"
    ),
    "BALIE:OUT-2026-000123",
    Kind.IMAGE,
)

FIELDS: dict[str, Field] = {field.name: field for group in GROUPS for field in group.fields}
FIELDS[QR] = QR_FIELD
GROUP_NAMES = frozenset(group.name for group in GROUPS)
ROOT_NAMES = GROUP_NAMES | {QR, BLOCK}
# Names a template may use besides the catalogue: Jinja's own loop variable and range().
JINJA_NAMES = frozenset({"loop", "range"})


def field_names(group: str) -> list[str]:
    """The attributes of a group: ["naam", "voornaam", …]."""
    return [name.split(".", 1)[1] for name in FIELDS if name.startswith(f"{group}.")]


def sample_values() -> dict[str, dict[str, object]]:
    """Every group's example values (text and lists; images are made by the renderer)."""
    values: dict[str, dict[str, object]] = {group.name: {} for group in GROUPS}
    for group in GROUPS:
        for field in group.fields:
            if field.kind in (Kind.TEXT, Kind.LIST):
                values[group.name][field.name.split(".", 1)[1]] = (
                    list(field.example) if isinstance(field.example, list) else str(field.example)
                )
    return values
