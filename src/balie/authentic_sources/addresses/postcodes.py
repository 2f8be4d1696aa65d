"""Belgian postcodes and their municipalities, from the file shipped in `authentic_sources/data/`.

The list is read once into memory (about 2 800 rows, well under a megabyte) and answers without a
query. `complete_address` checks a postcode with the municipality written beside it and fills the
municipality in when it is empty; `check_address` does the same for an address about to be saved
(parties calls it through `parties.registries.address_checkers`).

Names are compared without case, accents, spaces, hyphens or apostrophes: `sint niklaas`,
`Sint-Niklaas` and `SINT-NIKLAAS` are one name; so are `Liege` and `Liège`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
POSTCODES_FILE = DATA_DIR / "postcodes.csv"
FICTIONAL_POSTCODES_FILE = DATA_DIR / "postcodes-fictional.csv"

FLEMISH_REGION = "Vlaams Gewest"
WALLOON_REGION = "Waals Gewest"

_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")  # "Berchem (Antwerpen)" -> "Berchem"


def name_key(name: str) -> str:
    """The form two names are compared in: 'Sint-Niklaas' -> 'sintniklaas', 'Liège' -> 'liege'."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed.casefold() if c.isalnum())


@dataclass(frozen=True)
class Municipality:
    """A municipality (hoofdgemeente) as Statbel names it."""

    nis: str
    name_nl: str
    name_fr: str
    province_nl: str
    province_fr: str
    region_nl: str
    region_fr: str

    @property
    def name(self) -> str:
        """Its name as written on a letter: French in Wallonia, Dutch elsewhere."""
        return self.name_fr if self.region_nl == WALLOON_REGION else self.name_nl

    @property
    def is_flemish(self) -> bool:
        return self.region_nl == FLEMISH_REGION


@dataclass(frozen=True)
class Place:
    """A place (deelgemeente) a postcode serves, in the municipality it belongs to."""

    name: str
    municipality: Municipality


@dataclass(frozen=True)
class Postcode:
    code: str
    municipalities: tuple[Municipality, ...]
    places: tuple[Place, ...]
    fictional: bool = False

    @property
    def is_flemish(self) -> bool:
        return all(m.is_flemish for m in self.municipalities)

    @property
    def municipality(self) -> Municipality | None:
        """The one municipality of this postcode; None when it has more (1040: Brussel, Etterbeek)."""
        return self.municipalities[0] if len(self.municipalities) == 1 else None

    def names(self) -> list[str]:
        """Every name accepted with this postcode, municipalities first, each once."""
        seen: dict[str, str] = {}
        for municipality in self.municipalities:
            for name in (municipality.name, municipality.name_nl, municipality.name_fr):
                seen.setdefault(name_key(name), name)
        for place in self.places:
            seen.setdefault(name_key(place.name), place.name)
        return list(seen.values())

    def match(self, name: str) -> str | None:
        """The accepted spelling of `name` for this postcode ('gent' -> 'Gent'), or None."""
        for candidate in (name, _QUALIFIER.sub("", name)):
            key = name_key(candidate)
            if not key:
                continue
            for known in self.names():
                if name_key(known) == key:
                    return known
        return None


def _read(path: Path, *, fictional: bool) -> dict[str, Postcode]:
    municipalities: dict[tuple[str, ...], Municipality] = {}
    rows: dict[str, tuple[list[Municipality], list[Place]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            fields = (
                row["municipality_nis"],
                row["municipality_nl"],
                row["municipality_fr"],
                row["province_nl"],
                row["province_fr"],
                row["region_nl"],
                row["region_fr"],
            )
            municipality = municipalities.setdefault(fields, Municipality(*fields))
            found, places = rows.setdefault(row["postcode"], ([], []))
            if municipality not in found:
                found.append(municipality)
            if row["place"]:
                places.append(Place(row["place"], municipality))
    return {
        code: Postcode(code, tuple(found), tuple(places), fictional) for code, (found, places) in rows.items()
    }


@cache
def _postcodes() -> dict[str, Postcode]:
    return _read(POSTCODES_FILE, fictional=False)


@cache
def _fictional_postcodes() -> dict[str, Postcode]:
    return _read(FICTIONAL_POSTCODES_FILE, fictional=True)


def lookup_postcode(postcode: str) -> Postcode | None:
    """The postcode with its municipalities and places; None when Belgium has no such postcode."""
    code = postcode.strip()
    found = _postcodes().get(code)
    if found is None and settings.BALIE_FICTIONAL_POSTCODES:
        found = _fictional_postcodes().get(code)
    return found


def all_postcodes() -> list[Postcode]:
    """Every postcode known (with the fictional ones when they are on), in order."""
    known = dict(_postcodes())
    if settings.BALIE_FICTIONAL_POSTCODES:
        known.update(_fictional_postcodes())
    return [known[code] for code in sorted(known)]


def _names_text(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (" …" if len(names) > limit else "")


def complete_address(*, postcode: str, municipality: str = "") -> str:
    """The municipality to write with this Belgian postcode.

    Empty: the postcode's municipality, filled in. Given: its accepted spelling, when it is the
    municipality or one of its places, in Dutch or French. Refused (ValidationError with a message
    per field, in Dutch) when the postcode does not exist, when the name does not go with it, or
    when it is empty and the postcode belongs to more than one municipality.
    """
    code = postcode.strip()
    if not (len(code) == 4 and code.isdigit()):
        raise ValidationError({"postcode": _("Een Belgische postcode heeft 4 cijfers.")})
    found = lookup_postcode(code)
    if found is None:
        raise ValidationError(
            {"postcode": gettext("Postcode %(postcode)s bestaat niet in België.") % {"postcode": code}}
        )
    given = municipality.strip()
    if not given:
        only = found.municipality
        if only is None:
            raise ValidationError(
                {
                    "municipality": gettext(
                        "Postcode %(postcode)s hoort bij meer gemeenten (%(names)s): vul de gemeente in."
                    )
                    % {"postcode": code, "names": ", ".join(m.name for m in found.municipalities)}
                }
            )
        return only.name
    spelling = found.match(given)
    if spelling is None:
        raise ValidationError(
            {
                "municipality": gettext(
                    "%(municipality)s hoort niet bij postcode %(postcode)s; wel: %(names)s."
                )
                % {"municipality": given, "postcode": code, "names": _names_text(found.names())}
            }
        )
    return spelling


def clean_belgian_address(*, postcode: str, municipality: str = "", country: str = "BE") -> dict[str, str]:
    """The postcode and municipality of an address, checked and completed when it is Belgian."""
    if country.strip().upper() != "BE":
        return {"postcode": postcode.strip(), "municipality": municipality.strip()}
    return {
        "postcode": postcode.strip(),
        "municipality": complete_address(postcode=postcode, municipality=municipality),
    }


def check_address(address: Any) -> None:
    """An address checker for parties (`parties.registries.address_checkers`): a Belgian address's
    postcode must exist and its municipality go with it; an empty municipality is filled in."""
    if (address.country or "").upper() != "BE":
        return
    address.municipality = complete_address(
        postcode=address.postcode or "", municipality=address.municipality or ""
    )
