"""A client of the Flemish address register (Adressenregister, Basisregisters Vlaanderen).

`GET {BALIE_ADDRESS_REGISTER_URL}/v2/adressen?gemeentenaam=&straatnaam=&huisnummer=&busnummer=&postcode=`
answers `{"adressen": [...], "volgende": ...}`; each address has `identificator` {id, naamruimte,
objectId, versieId}, `detail`, `huisnummer`, `busnummer`, `volledigAdres.geografischeNaam`
{spelling, taal} ("Kerkstraat 12 bus 3, 2645 Zonnedaal") and `adresStatus` (voorgesteld, inGebruik,
gehistoreerd, afgekeurd). The register matches names exactly, without accents; the street, the
postcode and the municipality of an answer are read from `volledigAdres`, or from `straatnaam`,
`postinfo` and `gemeentenaam` where an answer carries them (the detail form does).

An empty BALIE_ADDRESS_REGISTER_URL means the demo service on this machine (`demo.py`, port
BALIE_ADDRESS_REGISTER_DEMO_PORT), which `balie demo` starts; "off" means no register at all. The
register holds Flemish addresses only; what it says is advice: a register that does not answer
never stops an address from being saved (`RegisterUnavailable` carries the message to show instead).

The address register is public reference data about places, not about persons: a look-up is not a
consultation of personal data and is not logged as one.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

LIVE_STATUSES = ("inGebruik", "voorgesteld")
MAX_SUGGESTIONS = 5


class RegisterUnavailable(Exception):
    """The register did not answer, or not usably: a timeout, no connection, an error status, or
    an answer that is not the expected JSON. `message` is the Dutch text for the employee."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RegisterAddress:
    object_id: str
    uri: str
    street: str
    house_number: str
    box: str
    postcode: str
    municipality: str
    full_address: str
    status: str
    version: str = ""

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


@dataclass(frozen=True)
class RegisterCheck:
    """What the register says of one address: found (`address`), or not, with nearby suggestions."""

    address: RegisterAddress | None
    suggestions: list[RegisterAddress] = field(default_factory=list)
    street_known: bool = True

    @property
    def found(self) -> bool:
        return self.address is not None and self.address.is_live


def register_enabled() -> bool:
    """False when BALIE_ADDRESS_REGISTER_URL is "off": addresses are then not checked at all."""
    return bool(settings.BALIE_ADDRESS_REGISTER_URL.strip().lower() != "off")


def register_url() -> str:
    url: str = settings.BALIE_ADDRESS_REGISTER_URL.strip()
    if not url:
        url = f"http://127.0.0.1:{settings.BALIE_ADDRESS_REGISTER_DEMO_PORT}"
    return url.rstrip("/")


def _timed_out(seconds: float) -> str:
    return gettext(
        "Het adressenregister antwoordde niet binnen %(seconds)s s; het adres is niet gecontroleerd."
    ) % {"seconds": f"{seconds:g}".replace(".", ",")}


def _get(path: str, params: dict[str, str]) -> dict[str, Any]:
    query = urllib.parse.urlencode({key: value for key, value in params.items() if value})
    url = f"{register_url()}{path}?{query}"
    if not url.startswith(("http://", "https://")):
        raise RegisterUnavailable(gettext("Het adres van het adressenregister is geen http(s)-adres."))
    headers = {"Accept": "application/json, application/ld+json;q=0.9", "User-Agent": "Balie"}
    if settings.BALIE_ADDRESS_REGISTER_API_KEY:
        headers["x-api-key"] = settings.BALIE_ADDRESS_REGISTER_API_KEY
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) checked above
    timeout = float(settings.BALIE_ADDRESS_REGISTER_TIMEOUT)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(2_000_000)
    except urllib.error.HTTPError as error:
        logger.warning("address register answered HTTP %s for %s", error.code, path)
        raise RegisterUnavailable(
            gettext("Het adressenregister gaf een fout (HTTP %(status)s); het adres is niet gecontroleerd.")
            % {"status": error.code}
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            logger.warning("address register timed out after %s s", timeout)
            raise RegisterUnavailable(_timed_out(timeout)) from None
        logger.warning("address register unreachable: %s", reason)
        raise RegisterUnavailable(
            gettext("Het adressenregister is niet bereikbaar; het adres is niet gecontroleerd.")
        ) from None
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        logger.warning("address register answered something that is not a JSON object")
        raise RegisterUnavailable(
            gettext("Het adressenregister gaf een onverwacht antwoord; het adres is niet gecontroleerd.")
        )
    return data


def _spelling(value: Any) -> str:
    """'x', {"geografischeNaam": {"spelling": "x"}}, or {"straatnaam": {"geografischeNaam": …}} -> 'x'."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "spelling" in value:
            return str(value["spelling"] or "")
        for key in ("geografischeNaam", "straatnaam", "gemeentenaam"):
            if key in value:
                return _spelling(value[key])
    return ""


def _parse(item: dict[str, Any]) -> RegisterAddress:
    identificator = item.get("identificator") or {}
    house_number = str(item.get("huisnummer") or "")
    box = str(item.get("busnummer") or "")
    full = _spelling(item.get("volledigAdres"))
    street = _spelling(item.get("straatnaam"))
    municipality = _spelling(item.get("gemeentenaam")) or _spelling(item.get("gemeente"))
    postinfo = item.get("postinfo")
    postcode = str(postinfo.get("objectId") or "") if isinstance(postinfo, dict) else str(postinfo or "")
    if full and not (street and municipality and postcode):
        # "Kerkstraat 12 bus 3, 2645 Zonnedaal": the street before the number, the place after the comma.
        left, _sep, right = full.rpartition(", ")
        suffix = f" {house_number}" + (f" bus {box}" if box else "")
        if left.endswith(suffix):
            street = street or left[: -len(suffix)]
        match = re.match(r"(\d{4}) (.+)$", right)
        if match:
            postcode = postcode or match.group(1)
            municipality = municipality or match.group(2)
    return RegisterAddress(
        object_id=str(identificator.get("objectId") or ""),
        uri=str(identificator.get("id") or ""),
        version=str(identificator.get("versieId") or ""),
        street=street,
        house_number=house_number,
        box=box,
        postcode=postcode,
        municipality=municipality,
        full_address=full,
        status=str(item.get("adresStatus") or ""),
    )


def find_addresses(
    *,
    municipality: str = "",
    street: str = "",
    house_number: str = "",
    box: str = "",
    postcode: str = "",
    limit: int = 100,
) -> list[RegisterAddress]:
    """The register's addresses matching every filter given (one page, at most `limit`)."""
    data = _get(
        "/v2/adressen",
        {
            "gemeentenaam": municipality.strip(),
            "straatnaam": street.strip(),
            "huisnummer": house_number.strip(),
            "busnummer": box.strip(),
            "postcode": postcode.strip(),
            "limit": str(limit),
        },
    )
    items = data.get("adressen")
    if not isinstance(items, list):
        raise RegisterUnavailable(
            gettext("Het adressenregister gaf een onverwacht antwoord; het adres is niet gecontroleerd.")
        )
    return [_parse(item) for item in items if isinstance(item, dict)]


def _number_distance(wanted: str, other: RegisterAddress) -> tuple[int, str, str]:
    def number(value: str) -> int:
        digits = re.match(r"\d+", value)
        return int(digits.group()) if digits else 10**6

    return (abs(number(wanted) - number(other.house_number)), other.house_number, other.box)


def check_address(
    *, street: str, house_number: str, postcode: str, municipality: str = "", box: str = ""
) -> RegisterCheck:
    """Does the register know this address? If not, the nearest numbers in the same street.

    Raises RegisterUnavailable when the register cannot say.
    """
    exact = find_addresses(street=street, house_number=house_number, box=box, postcode=postcode)
    if exact:
        # Without a box number the register also answers the boxes of that house number.
        exact.sort(key=lambda a: (not a.is_live, a.box != box.strip()))
        return RegisterCheck(address=exact[0])
    in_street = [a for a in find_addresses(street=street, postcode=postcode, limit=500) if a.is_live]
    if not in_street and municipality:
        # The street may lie in the municipality under another postcode.
        in_street = [
            a for a in find_addresses(street=street, municipality=municipality, limit=500) if a.is_live
        ]
    suggestions = sorted(in_street, key=lambda a: _number_distance(house_number, a))[:MAX_SUGGESTIONS]
    return RegisterCheck(address=None, suggestions=suggestions, street_known=bool(in_street))


@dataclass(frozen=True)
class RegisterAdvice:
    """What to tell the employee about an address before it is saved.

    `confirm`: the register does not know the address (or only as retired): ask before saving.
    Otherwise the address is saved; `message` (if any) is a warning shown after saving, e.g. that
    the register could not be reached.
    """

    message: str = ""
    confirm: bool = False
    suggestions: list[RegisterAddress] = field(default_factory=list)
    found: RegisterAddress | None = None


def advise_on_address(
    *,
    street: str,
    house_number: str,
    postcode: str,
    municipality: str = "",
    box: str = "",
    country: str = "BE",
) -> RegisterAdvice | None:
    """Ask the register about a Flemish address; None when the register has nothing to say (an
    address abroad or outside Flanders, or a postcode that does not exist)."""
    from .postcodes import lookup_postcode

    known = lookup_postcode(postcode) if country.strip().upper() == "BE" else None
    if known is None or not known.is_flemish or not register_enabled():
        return None
    try:
        check = check_address(
            street=street, house_number=house_number, box=box, postcode=postcode, municipality=municipality
        )
    except RegisterUnavailable as error:
        return RegisterAdvice(message=error.message)
    if check.found:
        return RegisterAdvice(found=check.address)
    if check.address is not None:
        return RegisterAdvice(
            message=gettext(
                "Het adressenregister kent dit adres alleen als %(status)s: het bestaat niet meer."
            )
            % {"status": check.address.status},
            confirm=True,
        )
    address = f"{street} {house_number}" + (f" bus {box}" if box else "")
    if not check.street_known:
        return RegisterAdvice(
            message=gettext("Het adressenregister kent geen %(street)s in %(postcode)s %(municipality)s.")
            % {"street": street, "postcode": postcode, "municipality": municipality},
            confirm=True,
        )
    return RegisterAdvice(
        message=gettext("Het adressenregister kent %(address)s niet in %(postcode)s %(municipality)s.")
        % {"address": address, "postcode": postcode, "municipality": municipality},
        confirm=True,
        suggestions=check.suggestions,
    )
