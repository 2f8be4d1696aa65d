"""The KBO open-data layout: files, their exact headers, and how each column is stored.

One definition serves the importer (header checks, parsing, COPY column lists), the generator
(headers in the same order) and the tests. Source: the KBO Open Data cookbook, summarised in
shared/standards/belgium-flanders.md section 2.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Column kinds: how a value in the file becomes a value in the table.
NUMBER = "number"  # "0200.065.765" / "2.000.000.339" -> "0200065765" (compact digits)
TEXT = "text"  # as written; an empty value is "" (never NULL)
DATE = "date"  # dd-mm-yyyy, unquoted; empty -> NULL


@dataclass(frozen=True)
class Column:
    header: str  # as in the file's header row
    field: str  # the model field (and column) it is stored in
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    name: str  # the file's stem: enterprise -> enterprise.csv, enterprise_insert.csv, enterprise_delete.csv
    model: str  # model name in authentic_sources
    columns: tuple[Column, ...]
    key: str  # header of the column `<name>_delete.csv` holds
    # Derived columns the importer fills (not in the file): field -> source field.
    folded: tuple[tuple[str, str], ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns) + tuple(f for f, _ in self.folded)

    @property
    def key_field(self) -> str:
        return next(c.field for c in self.columns if c.header == self.key)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


META_HEADERS = ("Variable", "Value")

CODE = Table(
    "code",
    "KboCode",
    (
        Column("Category", "category"),
        Column("Code", "code"),
        Column("Language", "language"),
        Column("Description", "description"),
    ),
    key="Category",
)
ENTERPRISE = Table(
    "enterprise",
    "KboEnterprise",
    (
        Column("EnterpriseNumber", "enterprise_number", NUMBER),
        Column("Status", "status"),
        Column("JuridicalSituation", "juridical_situation"),
        Column("TypeOfEnterprise", "type_of_enterprise"),
        Column("JuridicalForm", "juridical_form"),
        Column("JuridicalFormCAC", "juridical_form_cac"),
        Column("StartDate", "start_date", DATE),
    ),
    key="EnterpriseNumber",
)
ESTABLISHMENT = Table(
    "establishment",
    "KboEstablishment",
    (
        Column("EstablishmentNumber", "establishment_number", NUMBER),
        Column("StartDate", "start_date", DATE),
        Column("EnterpriseNumber", "enterprise_number", NUMBER),
    ),
    key="EstablishmentNumber",
)
DENOMINATION = Table(
    "denomination",
    "KboDenomination",
    (
        Column("EntityNumber", "entity_number", NUMBER),
        Column("Language", "language"),
        Column("TypeOfDenomination", "type_of_denomination"),
        Column("Denomination", "denomination"),
    ),
    key="EntityNumber",
    folded=(("search_name", "denomination"),),
)
ADDRESS = Table(
    "address",
    "KboAddress",
    (
        Column("EntityNumber", "entity_number", NUMBER),
        Column("TypeOfAddress", "type_of_address"),
        Column("CountryNL", "country_nl"),
        Column("CountryFR", "country_fr"),
        Column("Zipcode", "zipcode"),
        Column("MunicipalityNL", "municipality_nl"),
        Column("MunicipalityFR", "municipality_fr"),
        Column("StreetNL", "street_nl"),
        Column("StreetFR", "street_fr"),
        Column("HouseNumber", "house_number"),
        Column("Box", "box"),
        Column("ExtraAddressInfo", "extra_address_info"),
        Column("DateStrikingOff", "date_striking_off", DATE),
    ),
    key="EntityNumber",
)
CONTACT = Table(
    "contact",
    "KboContact",
    (
        Column("EntityNumber", "entity_number", NUMBER),
        Column("EntityContact", "entity_contact"),
        Column("ContactType", "contact_type"),
        Column("Value", "value"),
    ),
    key="EntityNumber",
)
ACTIVITY = Table(
    "activity",
    "KboActivity",
    (
        Column("EntityNumber", "entity_number", NUMBER),
        Column("ActivityGroup", "activity_group"),
        Column("NaceVersion", "nace_version"),
        Column("NaceCode", "nace_code"),
        Column("Classification", "classification"),
    ),
    key="EntityNumber",
)
BRANCH = Table(
    "branch",
    "KboBranch",
    (
        Column("Id", "id", NUMBER),
        Column("StartDate", "start_date", DATE),
        Column("EnterpriseNumber", "enterprise_number", NUMBER),
    ),
    key="Id",
)

# In the order they are loaded (and applied in an update): the code table first, the big one last.
TABLES: tuple[Table, ...] = (
    CODE,
    ENTERPRISE,
    ESTABLISHMENT,
    BRANCH,
    DENOMINATION,
    ADDRESS,
    CONTACT,
    ACTIVITY,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}

# Types of denomination and address, languages (the code table has their descriptions).
NAME = "001"
ABBREVIATION = "002"
COMMERCIAL_NAME = "003"
BRANCH_NAME = "004"
SEAT = "REGO"
ESTABLISHMENT_ADDRESS = "BAET"
BRANCH_ADDRESS = "ABBR"
LANGUAGE_CODES = {"0": "", "1": "fr", "2": "nl", "3": "de", "4": "en"}

_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})\Z")


def parse_date(value: str) -> dt.date | None:
    """'09-08-1960' -> date(1960, 8, 9); '' -> None. Raises ValueError for anything else."""
    if not value:
        return None
    match = _DATE.match(value)
    if not match:
        raise ValueError(f"geen datum in de vorm dd-mm-jjjj: {value!r}")
    day, month, year = (int(g) for g in match.groups())
    return dt.date(year, month, day)


def parse_timestamp(value: str) -> dt.datetime:
    """meta.csv's ExtractTimestamp: '01-06-2025 07:07:49'."""
    return dt.datetime.strptime(value, "%d-%m-%Y %H:%M:%S")


def compact_number(value: str) -> str:
    """'0200.065.765' -> '0200065765'; '2.000.000.339' -> '2000000339'. Raises ValueError."""
    number = value.replace(".", "")
    if len(number) != 10 or not number.isdigit():
        raise ValueError(f"geen KBO-nummer van 10 cijfers: {value!r}")
    return number


def format_number(number: str) -> str:
    """'0200065765' -> '0200.065.765'; establishment and branch numbers '2.000.000.339'."""
    if len(number) != 10:
        return number
    if number[0] in "01":
        return f"{number[:4]}.{number[4:7]}.{number[7:]}"
    return f"{number[:1]}.{number[1:4]}.{number[4:7]}.{number[7:]}"


# Accent folding for name search: lower case, accents off, ligatures spelled out (æ -> ae); the
# punctuation stays (the search matches words; pg_trgm ignores punctuation anyway). The importer folds
# every name into KboDenomination.search_name while it streams the file, and the search folds the
# query with the same function, on every database.
def _fold_table() -> dict[int, str]:
    """Latin letters with accents (U+00C0-U+024F) to their base letters."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    ligatures = {
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
        "Ø": "O",
        "ø": "o",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Þ": "TH",
        "þ": "th",
        "ı": "i",
    }
    for char, plain in ligatures.items():
        table[ord(char)] = plain
    return table


_FOLD_TABLE = _fold_table()
_WORD = re.compile(r"[^\W_]+")

# Migration 0002 made search_name a generated column with these 25 pairs on SQLite (its parser
# allows no more nested REPLACEs); 0005 replaced it by the importer's fold. Kept for 0002.
SQLITE_FOLD_PAIRS = [
    ("é", "e"), ("è", "e"), ("ê", "e"), ("ë", "e"), ("à", "a"), ("â", "a"), ("ä", "a"), ("ç", "c"),
    ("ï", "i"), ("î", "i"), ("ô", "o"), ("ö", "o"), ("ü", "u"), ("û", "u"), ("ù", "u"), ("ÿ", "y"),
    ("ñ", "n"), ("œ", "oe"), ("æ", "ae"), ("ß", "ss"), ("É", "E"), ("È", "E"), ("Ê", "E"), ("À", "A"),
    ("Ç", "C"),
]  # fmt: skip


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_char(match: re.Match[str]) -> str:
    char = match.group()
    return _FOLD_TABLE.get(ord(char), char)


def fold(value: str) -> str:
    """'Bakkerij Dé Smet-Ööms BV' -> 'bakkerij de smet-ooms bv'; 'Œuvre' -> 'oeuvre'. Quotes, commas
    and line ends stay, so a whole chunk of a CSV file folds at once, its lines still lines."""
    if value.isascii():  # most names: 0.1 µs instead of 1.8
        return value.lower()
    return _NON_ASCII.sub(_fold_char, value).lower()


def words(folded: str) -> list[str]:
    """The words of a folded text: "'t hoekske, n.v." -> ['t', 'hoekske', 'n', 'v']."""
    return _WORD.findall(folded)
