"""Reading the KBO open data: an enterprise or establishment by number, a name search, the record of
an organisation party, and the extract's date for the licence's credit line.

Only who acts for the municipality reads it (the open data names natural persons too); anyone else
gets nothing. Codes come with their Dutch and French descriptions from the code table.

The name search folds the query as the names were folded (lower case, no accents; on PostgreSQL by
the database's own `kbo_fold`, so both sides follow unaccent's rules) and looks for names that start
with it and for names holding each of its words; on PostgreSQL both are answered by the trigram
index on the folded names, on SQLite by LIKE. At most a few hundred candidates are read and ranked:
a name equal to the query first, then names that start with it, names with a word that starts
with it, the rest; legal names before commercial names and abbreviations; shorter before longer.
A name of an establishment or branch finds its enterprise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language

from balie.accounts.permissions import acts_for_municipality, can_manage_catalogue

from ..models.kbo import (
    KboActivity,
    KboAddress,
    KboBranch,
    KboCode,
    KboContact,
    KboDenomination,
    KboEnterprise,
    KboEstablishment,
    KboImport,
    KboMeta,
)
from .layout import (
    ABBREVIATION,
    COMMERCIAL_NAME,
    NAME,
    SEAT,
    fold,
    format_number,
    parse_date,
    words,
)

CANDIDATES = 300  # denominations read per search, at most
ESTABLISHMENTS_SHOWN = 5
ACTIVITIES_SHOWN = 12
# Which name of an entity to show: the legal name first, in the user's language when there is one.
NAME_ORDER = {NAME: 0, COMMERCIAL_NAME: 1, "004": 2, ABBREVIATION: 3}
LANGUAGE_CODE = {"nl": "2", "fr": "1", "de": "3", "en": "4"}
CLASSIFICATION_ORDER = {"MAIN": 0, "SECO": 1, "ANCI": 2}


@dataclass(frozen=True)
class CodeText:
    """A KBO code with its descriptions: str() gives the one in the page's language."""

    code: str
    nl: str = ""
    fr: str = ""

    def __str__(self) -> str:
        if get_language() == "fr" and self.fr:
            return self.fr
        return self.nl or self.fr or self.code

    def __bool__(self) -> bool:
        return bool(self.code)


@dataclass(frozen=True)
class Name:
    text: str
    language: str  # "0".."4"
    kind: CodeText  # TypeOfDenomination


@dataclass(frozen=True)
class Address:
    kind: CodeText  # TypeOfAddress
    entity_number: str
    line_nl: str
    line_fr: str
    struck_off: dt.date | None

    def __str__(self) -> str:
        return self.line_fr if get_language() == "fr" and self.line_fr else self.line_nl


@dataclass(frozen=True)
class Activity:
    version: str  # 2003, 2008, 2025
    code: str
    description: CodeText
    classification: CodeText  # MAIN, SECO, ANCI
    groups: tuple[str, ...]  # ActivityGroup codes it is registered under

    @property
    def code_display(self) -> str:
        return f"{self.code[:2]}.{self.code[2:]}" if len(self.code) > 2 else self.code


@dataclass(frozen=True)
class Contact:
    kind: CodeText  # TEL, EMAIL, WEB, FAX
    value: str


@dataclass
class Establishment:
    number: str
    start_date: dt.date | None
    enterprise_number: str
    names: list[Name] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)

    @property
    def number_display(self) -> str:
        return format_number(self.number)

    @property
    def name(self) -> str:
        return self.names[0].text if self.names else ""

    @property
    def address(self) -> Address | None:
        return self.addresses[0] if self.addresses else None


@dataclass
class Enterprise:
    """What the KBO open data says about one enterprise."""

    number: str
    status: CodeText
    juridical_situation: CodeText
    type_of_enterprise: CodeText
    legal_form: CodeText
    legal_form_cac: CodeText
    start_date: dt.date | None
    names: list[Name] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    establishments_count: int = 0
    establishments: list[Establishment] = field(default_factory=list)  # the first few, with address
    branches: list[str] = field(default_factory=list)

    @property
    def number_display(self) -> str:
        return format_number(self.number)

    @property
    def name(self) -> str:
        return self.names[0].text if self.names else ""

    @property
    def is_natural_person(self) -> bool:
        return self.type_of_enterprise.code == "1"

    @property
    def seat(self) -> Address | None:
        return next((a for a in self.addresses if a.kind.code == SEAT), None)

    @property
    def main_activities(self) -> list[Activity]:
        return [a for a in self.activities if a.classification.code == "MAIN"]


@dataclass(frozen=True)
class SearchHit:
    enterprise_number: str
    name: str  # the enterprise's name
    matched_name: str  # the name that matched (a commercial name, an establishment's name, …)
    legal_form: CodeText
    status: CodeText
    type_of_enterprise: CodeText
    main_address: str
    via_establishment: str = ""  # the establishment whose name matched

    @property
    def number_display(self) -> str:
        return format_number(self.enterprise_number)


@dataclass(frozen=True)
class Extract:
    snapshot_date: dt.date | None
    extract_number: str
    extract_type: str


# --- helpers --------------------------------------------------------------------------------------


def _number(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit()).rjust(10, "0")[-10:] if value else ""


def _codes(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], CodeText]:
    """Descriptions of (category, code) pairs, in one query."""
    if not pairs:
        return {}
    condition = Q()
    by_category: dict[str, set[str]] = {}
    for category, code in pairs:
        by_category.setdefault(category, set()).add(code)
    for category, codes in by_category.items():
        condition |= Q(category=category, code__in=codes)
    texts: dict[tuple[str, str], dict[str, str]] = {}
    for category, code, language, description in KboCode.objects.filter(
        condition, language__in=["NL", "FR"]
    ).values_list("category", "code", "language", "description"):
        texts.setdefault((category, code), {})[language] = description.strip()
    return {
        pair: CodeText(pair[1], texts.get(pair, {}).get("NL", ""), texts.get(pair, {}).get("FR", ""))
        for pair in pairs
    }


def _names(rows: list[tuple[str, str, str]], codes: dict[tuple[str, str], CodeText]) -> list[Name]:
    """(language, type, text) rows, the name to show first."""
    preferred = LANGUAGE_CODE.get((get_language() or "nl")[:2], "2")
    rows = sorted(
        rows, key=lambda r: (NAME_ORDER.get(r[1], 9), r[0] != preferred, r[0] not in ("1", "2"), r[2])
    )
    return [
        Name(text, language, codes.get(("TypeOfDenomination", kind), CodeText(kind)))
        for language, kind, text in rows
    ]


def _activities(
    rows: list[tuple[str, str, str, str]], codes: dict[tuple[str, str], CodeText]
) -> list[Activity]:
    """The activities in the newest NACE version the entity has, each code once (MAIN first)."""
    if not rows:
        return []
    newest = max(version for _, version, _, _ in rows)
    merged: dict[str, tuple[str, set[str]]] = {}
    for group, version, code, classification in rows:
        if version != newest:
            continue
        known = merged.get(code)
        best = classification
        if known and CLASSIFICATION_ORDER.get(known[0], 9) < CLASSIFICATION_ORDER.get(classification, 9):
            best = known[0]
        merged[code] = (best, (known[1] if known else set()) | {group})
    activities = [
        Activity(
            newest,
            code,
            codes.get((f"Nace{newest}", code), CodeText(code)),
            codes.get(("Classification", classification), CodeText(classification)),
            tuple(sorted(groups)),
        )
        for code, (classification, groups) in merged.items()
    ]
    activities.sort(key=lambda a: (CLASSIFICATION_ORDER.get(a.classification.code, 9), a.code))
    return activities


def _visible(user: Any) -> bool:
    return acts_for_municipality(user)


# --- lookups --------------------------------------------------------------------------------------


def kbo_extract() -> Extract | None:
    """The extract loaded last (meta.csv), for the credit line the licence asks for."""
    meta = dict(KboMeta.objects.values_list("variable", "value"))
    if not meta:
        return None
    try:
        snapshot = parse_date(meta.get("SnapshotDate", ""))
    except ValueError:
        snapshot = None
    return Extract(snapshot, meta.get("ExtractNumber", ""), meta.get("ExtractType", ""))


def get_kbo_enterprise(
    user: Any, number: str, *, establishments: int = ESTABLISHMENTS_SHOWN
) -> Enterprise | None:
    """An enterprise by its number (any writing: 0200.065.765, BE0200065765, 200065765)."""
    if not _visible(user):
        return None
    number = _number(number)
    row = KboEnterprise.objects.filter(enterprise_number=number).first()
    if row is None:
        return None
    names = list(
        KboDenomination.objects.filter(entity_number=number).values_list(
            "language", "type_of_denomination", "denomination"
        )
    )
    addresses = list(KboAddress.objects.filter(entity_number=number))
    contacts = list(KboContact.objects.filter(entity_number=number).values_list("contact_type", "value"))
    activity_rows = list(
        KboActivity.objects.filter(entity_number=number).values_list(
            "activity_group", "nace_version", "nace_code", "classification"
        )
    )
    units = KboEstablishment.objects.filter(enterprise_number=number)
    count = units.count()
    first_units = list(units.order_by("establishment_number")[:establishments]) if establishments else []
    unit_numbers = [u.establishment_number for u in first_units]
    unit_names: dict[str, list[tuple[str, str, str]]] = {}
    for entity, language, kind, text in KboDenomination.objects.filter(
        entity_number__in=unit_numbers
    ).values_list("entity_number", "language", "type_of_denomination", "denomination"):
        unit_names.setdefault(entity, []).append((language, kind, text))
    unit_addresses: dict[str, list[KboAddress]] = {}
    for address in KboAddress.objects.filter(entity_number__in=unit_numbers):
        unit_addresses.setdefault(address.entity_number, []).append(address)
    branches = list(KboBranch.objects.filter(enterprise_number=number).values_list("id", flat=True))

    pairs = {
        ("Status", row.status),
        ("JuridicalSituation", row.juridical_situation),
        ("TypeOfEnterprise", row.type_of_enterprise),
        ("JuridicalForm", row.juridical_form),
        ("JuridicalForm", row.juridical_form_cac),
        *{("TypeOfDenomination", kind) for _, kind, _ in names},
        *{("TypeOfDenomination", kind) for rows in unit_names.values() for _, kind, _ in rows},
        *{("TypeOfAddress", a.type_of_address) for a in addresses},
        ("TypeOfAddress", "BAET"),
        *{("ContactType", kind) for kind, _ in contacts},
        *{(f"Nace{version}", code) for _, version, code, _ in activity_rows},
        *{("Classification", c) for *_, c in activity_rows},
    }
    codes = _codes(pairs)

    def as_address(a: KboAddress) -> Address:
        kind = codes.get(("TypeOfAddress", a.type_of_address), CodeText(a.type_of_address))
        return Address(kind, a.entity_number, a.one_line("nl"), a.one_line("fr"), a.date_striking_off)

    current = sorted(addresses, key=lambda a: (a.date_striking_off is not None, a.type_of_address != SEAT))
    return Enterprise(
        number=number,
        status=codes[("Status", row.status)],
        juridical_situation=codes[("JuridicalSituation", row.juridical_situation)],
        type_of_enterprise=codes[("TypeOfEnterprise", row.type_of_enterprise)],
        legal_form=codes[("JuridicalForm", row.juridical_form)],
        legal_form_cac=codes[("JuridicalForm", row.juridical_form_cac)],
        start_date=row.start_date,
        names=_names(names, codes),
        addresses=[as_address(a) for a in current],
        contacts=[Contact(codes.get(("ContactType", k), CodeText(k)), v) for k, v in contacts],
        activities=_activities(activity_rows, codes),
        establishments_count=count,
        establishments=[
            Establishment(
                u.establishment_number,
                u.start_date,
                number,
                names=_names(unit_names.get(u.establishment_number, []), codes),
                addresses=[as_address(a) for a in unit_addresses.get(u.establishment_number, [])],
            )
            for u in first_units
        ],
        branches=branches,
    )


def get_kbo_establishment(user: Any, number: str) -> Establishment | None:
    """An establishment unit by its number (2.000.000.339 or 2000000339)."""
    if not _visible(user):
        return None
    number = _number(number)
    row = KboEstablishment.objects.filter(establishment_number=number).first()
    if row is None:
        return None
    names = list(
        KboDenomination.objects.filter(entity_number=number).values_list(
            "language", "type_of_denomination", "denomination"
        )
    )
    addresses = list(KboAddress.objects.filter(entity_number=number))
    contacts = list(KboContact.objects.filter(entity_number=number).values_list("contact_type", "value"))
    activity_rows = list(
        KboActivity.objects.filter(entity_number=number).values_list(
            "activity_group", "nace_version", "nace_code", "classification"
        )
    )
    codes = _codes(
        {
            *{("TypeOfDenomination", kind) for _, kind, _ in names},
            *{("TypeOfAddress", a.type_of_address) for a in addresses},
            *{("ContactType", kind) for kind, _ in contacts},
            *{(f"Nace{version}", code) for _, version, code, _ in activity_rows},
            *{("Classification", c) for *_, c in activity_rows},
        }
    )
    return Establishment(
        number,
        row.start_date,
        row.enterprise_number,
        names=_names(names, codes),
        addresses=[
            Address(
                codes.get(("TypeOfAddress", a.type_of_address), CodeText(a.type_of_address)),
                a.entity_number,
                a.one_line("nl"),
                a.one_line("fr"),
                a.date_striking_off,
            )
            for a in addresses
        ],
        contacts=[Contact(codes.get(("ContactType", k), CodeText(k)), v) for k, v in contacts],
        activities=_activities(activity_rows, codes),
    )


def kbo_imports(user: Any, *, limit: int = 50) -> list[KboImport]:
    """The latest imports, newest first, each with its files' progress (`files` prefetched): for
    the functional administrator, who sees what was loaded, what is running and what failed where."""
    if not can_manage_catalogue(user):
        return []
    return list(KboImport.objects.select_related("started_by").prefetch_related("files")[:limit])


def kbo_record_for(user: Any, party: Any) -> Enterprise | None:
    """The KBO record of an organisation party, by its enterprise number (no foreign key: a full
    import replaces the tables)."""
    number = getattr(party, "enterprise_number", None)
    if not number:
        return None
    return get_kbo_enterprise(user, number)


# --- search ---------------------------------------------------------------------------------------


def fold_query(text: str) -> str:
    """The query folded as the names are."""
    return fold(" ".join(text.split())[:200])


def _candidates(folded: str, terms: list[str]) -> list[tuple[str, str, str, str, str]]:
    """Denominations that start with the query, and those that hold each of its words."""
    columns = ("entity_number", "type_of_denomination", "language", "denomination", "search_name")
    found: dict[tuple[str, str], tuple[str, str, str, str, str]] = {}
    prefix = KboDenomination.objects.filter(search_name__startswith=folded).values_list(*columns)
    for row in prefix[: CANDIDATES // 3]:
        found[(row[0], row[3])] = row
    # Words of one or two letters (initials, "bv") cannot use the trigram index: a name holding
    # them is found by its start only, or when the query also has a longer word.
    long_terms = [t for t in terms if len(t) >= 3]
    if long_terms and len(found) < CANDIDATES:
        condition = Q()
        for term in long_terms:
            condition &= Q(search_name__contains=term)
        for row in KboDenomination.objects.filter(condition).values_list(*columns)[:CANDIDATES]:
            found.setdefault((row[0], row[3]), row)
    return list(found.values())


def _rank(folded: str, terms: list[str], row: tuple[str, str, str, str, str]) -> tuple[Any, ...]:
    _entity, kind, _language, text, name = row
    name_words = words(name)
    if name == folded:
        closeness = 0
    elif name.startswith(folded):
        closeness = 1
    elif terms and all(any(w.startswith(t) for w in name_words) for t in terms):
        closeness = 2
    else:
        closeness = 3
    return (closeness, NAME_ORDER.get(kind, 9), len(name), name, text)


def search_kbo(user: Any, text: str, *, limit: int = 20) -> list[SearchHit]:
    """Enterprises whose name (or an establishment's or branch's name) matches the text, best first."""
    if not _visible(user):
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) in (9, 10) and not any(ch.isalpha() for ch in text.upper().removeprefix("BE")):
        return _hits_for_numbers([(_number(digits), "", "")])
    folded = fold_query(text)
    terms = [t for t in words(folded) if t]
    if not terms:
        return []
    rows = _candidates(folded, terms)
    rows.sort(key=lambda row: _rank(folded, terms, row))
    # The entities, best first; establishments and branches lead to their enterprise.
    order: list[tuple[str, str]] = []
    seen: set[str] = set()
    for entity, _kind, _language, denomination, _name in rows:
        if entity not in seen:
            seen.add(entity)
            order.append((entity, denomination))
    owners = _owners([e for e, _ in order if e[0] not in "01"])
    picked: list[tuple[str, str, str]] = []
    enterprises: set[str] = set()
    for entity, denomination in order:
        enterprise = entity if entity[0] in "01" else owners.get(entity, "")
        if not enterprise or enterprise in enterprises:
            continue
        enterprises.add(enterprise)
        picked.append((enterprise, denomination, "" if enterprise == entity else entity))
        if len(picked) >= limit:
            break
    return _hits_for_numbers(picked)


def _owners(entities: list[str]) -> dict[str, str]:
    if not entities:
        return {}
    owners = dict(
        KboEstablishment.objects.filter(establishment_number__in=entities).values_list(
            "establishment_number", "enterprise_number"
        )
    )
    owners.update(KboBranch.objects.filter(id__in=entities).values_list("id", "enterprise_number"))
    return owners


def _hits_for_numbers(picked: list[tuple[str, str, str]]) -> list[SearchHit]:
    """(enterprise number, the name that matched, the establishment it came from) -> search hits."""
    numbers = [p[0] for p in picked]
    enterprises = {
        e.enterprise_number: e for e in KboEnterprise.objects.filter(enterprise_number__in=numbers)
    }
    if not enterprises:
        return []
    names: dict[str, list[tuple[str, str, str]]] = {}
    for entity, language, kind, text in KboDenomination.objects.filter(
        entity_number__in=list(enterprises), type_of_denomination=NAME
    ).values_list("entity_number", "language", "type_of_denomination", "denomination"):
        names.setdefault(entity, []).append((language, kind, text))
    seats: dict[str, KboAddress] = {}
    for address in KboAddress.objects.filter(entity_number__in=list(enterprises)).order_by("type_of_address"):
        if address.date_striking_off is None and (
            address.entity_number not in seats or address.type_of_address == SEAT
        ):
            seats[address.entity_number] = address
    # Natural persons have no seat in the open data: show where they work (their first establishment).
    missing = [n for n in enterprises if n not in seats]
    via_unit: dict[str, str] = {}
    if missing:
        for unit, owner in (
            KboEstablishment.objects.filter(enterprise_number__in=missing)
            .order_by("establishment_number")
            .values_list("establishment_number", "enterprise_number")
        ):
            via_unit.setdefault(owner, unit)
        for address in KboAddress.objects.filter(entity_number__in=list(via_unit.values())):
            owner = next(o for o, u in via_unit.items() if u == address.entity_number)
            seats.setdefault(owner, address)
    codes = _codes(
        {("JuridicalForm", e.juridical_form) for e in enterprises.values()}
        | {("Status", e.status) for e in enterprises.values()}
        | {("TypeOfEnterprise", e.type_of_enterprise) for e in enterprises.values()}
    )
    language = "fr" if get_language() == "fr" else "nl"
    hits = []
    for number, matched, unit in picked:
        row = enterprises.get(number)
        if row is None:
            continue
        shown = _names(names.get(number, []), {})
        seat = seats.get(number)
        hits.append(
            SearchHit(
                enterprise_number=number,
                name=shown[0].text if shown else matched,
                matched_name=matched,
                legal_form=codes[("JuridicalForm", row.juridical_form)],
                status=codes[("Status", row.status)],
                type_of_enterprise=codes[("TypeOfEnterprise", row.type_of_enterprise)],
                main_address=seat.one_line(language) if seat else "",
                via_establishment=unit,
            )
        )
    return hits


__all__ = [
    "Activity",
    "Address",
    "CodeText",
    "Contact",
    "Enterprise",
    "Establishment",
    "Extract",
    "Name",
    "SearchHit",
    "get_kbo_enterprise",
    "get_kbo_establishment",
    "kbo_extract",
    "kbo_imports",
    "kbo_record_for",
    "search_kbo",
]
