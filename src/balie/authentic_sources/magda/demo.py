"""A demo MAGDA service: a real HTTP server on loopback that reads MAGDA's SOAP requests and
answers GeefPersoon, RegistreerInschrijving and GeefOnderneming with fictional persons and
enterprises, so the client Balie uses in production is exercised line for line.

What it answers (deterministic: the same number always gives the same answer):

- GeefPersoon: an INSZ whose mod-97 check fails → Uitzondering 20002 (invalid INSZ). MAGDA's test
  numbers (month 61–72) → a person only when BALIE_ACCEPT_TEST_NUMBERS is on, else 20002. A valid
  number whose day counter is 997 or 998 → 30101 (no such person). Any other valid number → a
  fictional person whose birth date and gender follow from the number. With a *directory* (see
  `balie_directory`, used by `balie demo`), a person Balie already knows is answered with Balie's
  own names and address, now and then with a second given name or a newer address, as the
  register would.
- GeefOnderneming: a number whose mod-97 check fails, or whose digits 6–8 are 999 → Uitzondering
  30001 (no data found); else a fictional enterprise (or, with the directory, Balie's own name).
- RegistreerInschrijving: remembers (INSZ, capacity) and confirms.
- A request without the sender's identification or capacity → Uitzondering 13001.

Signatures (WS-Security, see `signing`): given trusted certificates, it verifies every request
and answers a SOAP Fault (wsse:InvalidSecurity, FailedCheck, FailedAuthentication,
MessageExpired) for one that is unsigned, tampered with, signed by a stranger or expired; given
a signer, it signs its answers as MAGDA does. `balie demo` does both, with key pairs it generates
in the data directory (`start_balie_demo_service`); the service a test process starts on its
own (`ensure_demo_service`) does neither.

Tests can make it slow (`behaviour.delay`, for the time-out) or answer a SOAP Fault
(`behaviour.fault`). It never logs a national number or a name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import ssl
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from balie.core.loopback import LoopbackServer

from .messages import (
    BRUSSELS,
    SERVICES,
    SOAP_NS,
    MessageError,
    child,
    parse_xml,
    text,
)
from .signing import (
    SignatureError,
    Signer,
    SigningConfigurationError,
    is_signed,
    load_certificates,
    load_signer,
    security_fault,
    verify_envelope,
)

logger = logging.getLogger("balie.magda.demo")

MAX_REQUEST_BYTES = 1024 * 1024

Directory = Callable[[str], dict[str, Any] | None]
"""directory(number) -> what Balie knows of that person or enterprise, or None."""


@dataclass
class Behaviour:
    """Knobs for tests: answer late, or answer with a SOAP Fault."""

    delay: float = 0.0
    fault: bool = False
    received: list[dict[str, str]] = field(default_factory=list)
    registrations: set[tuple[str, str]] = field(default_factory=set)
    generation: int = 0  # counts resets: a late request from before one is not recorded after it

    def reset(self) -> None:
        self.delay = 0.0
        self.fault = False
        self.received.clear()
        self.registrations.clear()
        self.generation += 1


# -- fictional people and enterprises ------------------------------------------------------------

_MALE = ["Jan", "Pieter", "Luc", "Bart", "Wouter", "Tom", "Koen", "Stijn", "Jonas", "Arne", "Noah", "Lucas"]
_FEMALE = ["An", "Els", "Sofie", "Lotte", "Marie", "Emma", "Lien", "Hanne", "Nele", "Julie", "Ellen", "Fien"]
_FAMILY = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Hermans",
    "Aerts",
    "Van den Broeck",
    "Vermeulen",
    "De Vos",
]
_STREETS = ["Kerkstraat", "Dorpsstraat", "Molenstraat", "Zonnelaan", "Lindenlaan", "Heikantstraat", "Markt"]
_PLACES = [("2645", "Zonnedaal"), ("2646", "Heikant"), ("2640", "Mortsel"), ("2000", "Antwerpen")]
_BIRTH_PLACES = ["Antwerpen", "Mortsel", "Zonnedaal", "Mechelen", "Gent", "Leuven", "Lier"]
_NATIONALITIES = [("150", "Belg")] * 17 + [("129", "Nederlander"), ("111", "Fransman"), ("103", "Duitser")]
_CIVIL = [
    ("10", "Ongehuwd"),
    ("20", "Gehuwd"),
    ("20", "Gehuwd"),
    ("30", "Weduwe/weduwnaar"),
    ("40", "Gescheiden"),
]
_TRADES = ["Bakkerij", "Garage", "Schrijnwerkerij", "Dakwerken", "Apotheek", "Drukkerij", "Tuinaanleg"]
_FORMS = [
    ("610", "Besloten vennootschap", "BV"),
    ("014", "Naamloze vennootschap", "NV"),
    ("017", "Vereniging zonder winstoogmerk", "VZW"),
]
_FORM_BY_ABBREVIATION = {
    abbreviation.upper(): (code, name, abbreviation) for code, name, abbreviation in _FORMS
}


def _mod97(base: str) -> int:
    return 97 - int(base) % 97


def insz_century(number: str) -> int | None:
    """1900 or 2000 by the check digits, None when neither matches."""
    if len(number) != 11 or not number.isdigit():
        return None
    check = int(number[9:])
    if check == _mod97(number[:9]):
        return 1900
    if check == _mod97("2" + number[:9]):
        return 2000
    return None


def check_insz(number: str, *, accept_test_numbers: bool) -> bool:
    """MAGDA's own check: mod 97 and a month that can be real (1–12, BIS +20/+40, or 0).
    Test numbers (month + 60) only in a test environment."""
    century = insz_century(number)
    if century is None:
        return False
    month = int(number[2:4])
    if 61 <= month <= 72:
        return accept_test_numbers
    return month % 20 <= 12 and month <= 52


def _birth_date(number: str) -> tuple[str, dt.date | None]:
    """(the RR's date text, the date if complete) from an INSZ."""
    century = insz_century(number) or 1900
    year = century + int(number[:2])
    month = int(number[2:4]) % 20 if int(number[2:4]) < 60 else int(number[2:4]) - 60
    day = int(number[4:6])
    try:
        return f"{year:04d}-{month:02d}-{day:02d}", dt.date(year, month, day)
    except ValueError:
        return f"{year:04d}-{month:02d}-{day:02d}", None


def _fictional_insz(rng: random.Random) -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
    base = f"{birth:%y%m%d}{rng.randrange(1, 997):03d}"
    return base + f"{_mod97(('2' + base) if birth.year >= 2000 else base):02d}"


@dataclass(frozen=True)
class FictionalAddress:
    street: str
    house_number: str
    box: str
    postcode: str
    municipality: str
    since: str


def _address(rng: random.Random, earliest: dt.date) -> FictionalAddress:
    postcode, municipality = rng.choice(_PLACES)
    since = max(earliest, dt.date(1995, 1, 1)) + dt.timedelta(days=rng.randrange(3000))
    since = min(since, dt.date.today() - dt.timedelta(days=30))
    return FictionalAddress(
        street=rng.choice(_STREETS),
        house_number=str(rng.randint(1, 180)),
        box=str(rng.randint(1, 8)) if rng.random() < 0.1 else "",
        postcode=postcode,
        municipality=municipality,
        since=since.isoformat(),
    )


def fictional_person(number: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    """The demo register's person for a valid INSZ. Every random draw happens in the same order
    whatever `known` holds, so the answer for a number never changes once Balie applied it."""
    rng = random.Random(int(number))  # noqa: S311 - fictional data, not secrets
    date_text, birth = _birth_date(number)
    male = int(number[6:9]) % 2 == 1
    given = rng.choice(_MALE if male else _FEMALE)
    second = rng.choice(_MALE if male else _FEMALE)
    extra_given_name = rng.random() < 0.35
    family = rng.choice(_FAMILY)
    address = _address(rng, birth or dt.date(1995, 1, 1))
    moved = rng.random() < 0.15
    nationality = rng.choice(_NATIONALITIES)
    age = (dt.date.today() - birth).days // 365 if birth else 40
    civil = ("10", "Ongehuwd") if age < 24 else rng.choice(_CIVIL)
    birth_place = rng.choice(_BIRTH_PLACES)
    household = rng.random()
    partner_insz = _fictional_insz(rng)
    partner_family = rng.choice(_FAMILY)
    partner_given = rng.choice(_FEMALE if male else _MALE)
    if known:
        family = known.get("family_name") or family
        own = (known.get("given_name") or "").strip()
        if own:
            given = own if (" " in own or not extra_given_name or second == own) else f"{own} {second}"
        elif extra_given_name:
            given = f"{given} {second}"
        current = known.get("address")
        if current and not moved:
            address = FictionalAddress(
                street=current["street"],
                house_number=current["house_number"],
                box=current.get("box", ""),
                postcode=current["postcode"],
                municipality=current["municipality"],
                since=current.get("valid_from") or address.since,
            )
    elif extra_given_name:
        given = f"{given} {second}"
    if household < 0.55 or age < 18:
        reference = {
            "insz": number,
            "family": family,
            "given": given,
            "birth": date_text,
            "position": ("01", "Referentiepersoon"),
        }
    else:
        reference = {
            "insz": partner_insz,
            "family": partner_family,
            "given": partner_given,
            "birth": _birth_date(partner_insz)[0],
            "position": ("02", "Echtgeno(o)t(e)") if civil[0] == "20" else ("05", "Partner"),
        }
    return {
        "insz": number,
        "family_name": family,
        "given_names": given.split(),
        "gender": ("1", "Mannelijk") if male else ("2", "Vrouwelijk"),
        "birth": date_text,
        "birth_place": birth_place,
        "nationality": nationality,
        "civil_state": civil,
        "address": address,
        "reference": reference,
    }


def fictional_enterprise(number: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    rng = random.Random(int(number) + 7)  # noqa: S311 - fictional data
    name = f"{rng.choice(_TRADES)} {rng.choice(_FAMILY)}"
    form = rng.choice(_FORMS)
    start = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(18000))
    address = _address(rng, start)
    moved = rng.random() < 0.15
    if known:
        name = known.get("name") or name
        form = _FORM_BY_ABBREVIATION.get((known.get("legal_form") or "").upper(), form)
        current = known.get("address")
        if current and not moved:
            address = FictionalAddress(
                street=current["street"],
                house_number=current["house_number"],
                box=current.get("box", ""),
                postcode=current["postcode"],
                municipality=current["municipality"],
                since=current.get("valid_from") or address.since,
            )
    return {"number": number, "name": name, "form": form, "start": start.isoformat(), "address": address}


# -- answers -------------------------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, value: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if value is not None:
        element.text = value
    return element


@dataclass(frozen=True)
class Question:
    service: str
    version: str
    sender: str
    reference: str
    capacity: str
    user: str
    question_reference: str
    content: ET.Element | None


def _response(question: Question, namespace: str) -> tuple[ET.Element, ET.Element]:
    """The answer envelope up to Antwoorden/Antwoord; returns (envelope, Antwoord)."""
    envelope = ET.Element(f"{{{SOAP_NS}}}Envelope")
    body = _sub(envelope, f"{{{SOAP_NS}}}Body")
    response = _sub(body, f"{{{namespace}}}{question.service}Response")
    reply = _sub(response, "Repliek")
    context = _sub(reply, "Context")
    _sub(context, "Naam", question.service)
    _sub(context, "Versie", question.version)
    message = _sub(context, "Bericht")
    _sub(message, "Type", "ANTWOORD")
    now = dt.datetime.now(BRUSSELS)
    moment = _sub(message, "Tijdstip")
    _sub(moment, "Datum", now.strftime("%Y-%m-%d"))
    _sub(moment, "Tijd", now.strftime("%H:%M:%S.") + f"{now.microsecond // 1000:03d}")
    sender = _sub(message, "Afzender")
    _sub(sender, "Identificatie", "vip.vlaanderen.be")
    _sub(sender, "Naam", "MagdaGateway (demo)")
    _sub(sender, "Referte", str(uuid.uuid4()))
    receiver = _sub(message, "Ontvanger")
    _sub(receiver, "Identificatie", question.sender)
    _sub(receiver, "Referte", question.reference)
    _sub(receiver, "Hoedanigheid", question.capacity)
    if question.user:
        _sub(receiver, "Gebruiker", question.user)
    answer = _sub(_sub(reply, "Antwoorden"), "Antwoord")
    _sub(answer, "Referte", question.question_reference)
    return envelope, answer


def _exception(container: ET.Element, code: str, diagnosis: str, kind: str = "FOUT") -> None:
    item = _sub(_sub(container, "Uitzonderingen"), "Uitzondering")
    _sub(item, "Identificatie", code)
    _sub(item, "Oorsprong", "MAGDA")
    _sub(item, "Type", kind)
    now = dt.datetime.now(BRUSSELS)
    moment = _sub(item, "Tijdstip")
    _sub(moment, "Datum", now.strftime("%Y-%m-%d"))
    _sub(moment, "Tijd", now.strftime("%H:%M:%S.000"))
    _sub(item, "Diagnose", diagnosis)


def _names(parent: ET.Element, family: str, given: list[str]) -> None:
    name = _sub(parent, "Naam")
    _sub(_sub(name, "Achternamen"), "Achternaam", family)
    given_names = _sub(name, "Voornamen")
    for one in given:
        _sub(given_names, "Voornaam", one)


def _person_xml(parent: ET.Element, person: dict[str, Any]) -> None:
    element = _sub(parent, "Persoon", Bron="RR")
    _sub(element, "INSZ", person["insz"])
    _names(element, person["family_name"], person["given_names"])
    gender = _sub(element, "Geslacht")
    _sub(gender, "Code", person["gender"][0])
    _sub(gender, "Omschrijving", person["gender"][1])
    nationalities = _sub(element, "Nationaliteiten")
    nationality = _sub(nationalities, "Nationaliteit", DatumBegin=person["birth"])
    _sub(nationality, "Code", person["nationality"][0])
    _sub(nationality, "Omschrijving", person["nationality"][1])
    birth = _sub(element, "Geboorte", DatumBegin=person["birth"])
    _sub(birth, "Datum", person["birth"])
    place = _sub(birth, "Plaats")
    _sub(_sub(place, "Gemeente"), "Naam", person["birth_place"])
    country = _sub(place, "Land")
    _sub(country, "NISCode", "150")
    _sub(country, "ISOCode", "BEL")
    _sub(country, "Naam", "BELGIE")
    civil = _sub(_sub(element, "BurgerlijkeStaten"), "BurgerlijkeStaat", DatumBegin=person["birth"])
    _sub(civil, "Code", person["civil_state"][0])
    _sub(civil, "Omschrijving", person["civil_state"][1])
    address: FictionalAddress = person["address"]
    residence = _sub(_sub(element, "Adressen"), "Hoofdverblijfplaats", DatumBegin=address.since)
    street = _sub(residence, "Straatnaam")
    _sub(street, "String", address.street)
    _sub(street, "Taal", "nl")
    _sub(residence, "Huisnummer", address.house_number)
    if address.box:
        _sub(residence, "Busnummer", address.box)
    municipality = _sub(residence, "Gemeentenaam")
    _sub(municipality, "String", address.municipality)
    _sub(municipality, "Taal", "nl")
    _sub(residence, "Postcode", address.postcode)
    _sub(residence, "NISCodeLand", "150")
    _sub(residence, "ISOCodeLand", "BEL")
    reference = person["reference"]
    holder = _sub(element, "Referentiepersoon", DatumBegin=address.since)
    _sub(holder, "INSZ", reference["insz"])
    _names(holder, reference["family"], reference["given"].split())
    _sub(holder, "Geboortedatum", reference["birth"])
    position = _sub(holder, "Positie")
    _sub(position, "Code", reference["position"][0])
    _sub(position, "Omschrijving", reference["position"][1])


def _enterprise_xml(parent: ET.Element, enterprise: dict[str, Any]) -> None:
    element = _sub(parent, "Onderneming")
    _sub(element, "Ondernemingsnummer", enterprise["number"])
    status = _sub(element, "StatusKBO")
    _sub(status, "Code", "AC")
    _sub(status, "Omschrijving", "Actief")
    names = _sub(_sub(element, "Namen"), "MaatschappelijkeNamen")
    name = _sub(names, "MaatschappelijkeNaam", DatumBegin=enterprise["start"])
    _sub(name, "Naam", enterprise["name"])
    _sub(name, "Taalcode", "nl")
    address: FictionalAddress = enterprise["address"]
    seat = _sub(_sub(element, "Adressen"), "Adres", DatumBegin=address.since)
    _sub(seat, "Huisnummer", address.house_number)
    if address.box:
        _sub(seat, "Busnummer", address.box)
    _sub(_sub(seat, "Gemeente"), "PostCode", address.postcode)
    country = _sub(seat, "Land")
    _sub(country, "NISCode", "150")
    _sub(country, "ISOCode", "BE")
    kind = _sub(seat, "Type")
    _sub(kind, "Code", "001")
    _sub(kind, "Omschrijving", "Zetel")
    description = _sub(_sub(_sub(seat, "Descripties"), "Descriptie"), "Adres")
    _sub(_sub(description, "Straat"), "Naam", address.street)
    _sub(_sub(description, "Gemeente"), "Naam", address.municipality)
    _sub(_sub(element, "Start"), "Datum", enterprise["start"])
    code, form_name, abbreviation = enterprise["form"]
    form = _sub(_sub(element, "Rechtsvormen"), "Rechtsvorm", DatumBegin=enterprise["start"])
    _sub(form, "Code", code)
    _sub(form, "Omschrijving", form_name)
    _sub(form, "Afkorting", abbreviation)
    situation = _sub(_sub(element, "Rechtstoestanden"), "Rechtstoestand", DatumBegin=enterprise["start"])
    _sub(situation, "Code", "000")
    _sub(situation, "Omschrijving", "Normale toestand")


def _fault(text_: str) -> bytes:
    envelope = ET.Element(f"{{{SOAP_NS}}}Envelope")
    fault = _sub(_sub(envelope, f"{{{SOAP_NS}}}Body"), f"{{{SOAP_NS}}}Fault")
    _sub(fault, "faultcode", "soapenv:Server")
    _sub(fault, "faultstring", text_)
    return ET.tostring(envelope, encoding="utf-8", xml_declaration=True)


def _question(root: ET.Element) -> Question:
    body = child(root, "Body")
    operation = next(iter(body), None) if body is not None else None
    if operation is None:
        raise MessageError("no operation in the body")
    request = child(operation, "Verzoek")
    sender = child(request, "Context", "Bericht", "Afzender")
    question = child(request, "Vragen", "Vraag")
    return Question(
        service=text(request, "Context", "Naam") or operation.tag.rsplit("}", 1)[-1],
        version=text(request, "Context", "Versie"),
        sender=text(sender, "Identificatie"),
        reference=text(sender, "Referte"),
        capacity=text(sender, "Hoedanigheid"),
        user=text(sender, "Gebruiker"),
        question_reference=text(question, "Referte") or text(sender, "Referte"),
        content=child(question, "Inhoud"),
    )


class DemoMagda:
    """The demo service's logic, without the HTTP server (answer(request bytes) -> bytes)."""

    def __init__(
        self,
        *,
        persons: Directory | None = None,
        enterprises: Directory | None = None,
        accept_test_numbers: Callable[[], bool] | None = None,
        trusted_certs: Sequence[x509.Certificate] | None = None,
        signer: Signer | None = None,
    ) -> None:
        """`trusted_certs`: verify every request's signature against these (None: accept any
        request, signed or not); `signer`: sign the answers (None: unsigned answers)."""
        self.behaviour = Behaviour()
        self.persons = persons
        self.enterprises = enterprises
        self.accept_test_numbers = accept_test_numbers or _accept_test_numbers_setting
        self.trusted_certs = list(trusted_certs) if trusted_certs is not None else None
        self.signer = signer

    def answer(self, body: bytes) -> tuple[int, bytes]:
        status, answer = self._answer(body)
        if status == 200 and self.signer is not None:
            answer = self.signer(answer)
        return status, answer

    def _answer(self, body: bytes) -> tuple[int, bytes]:
        generation = self.behaviour.generation
        if self.behaviour.delay:
            time.sleep(self.behaviour.delay)
            if self.behaviour.generation != generation:  # the client gave up and the test is over
                return 500, _fault("Te laat (demo)")
        if self.behaviour.fault:
            return 500, _fault("Interne fout bij de authentieke bron (demo)")
        if self.trusted_certs is not None:
            try:
                verify_envelope(body, self.trusted_certs)
            except SignatureError as error:
                logger.info("magda demo refused a message", extra={"code": error.code, "reason": str(error)})
                return 500, security_fault(error)
        try:
            question = _question(parse_xml(body))
        except MessageError:
            return 500, _fault("Ongeldig bericht")
        spec = SERVICES.get(question.service)
        if spec is None or spec.version != question.version:
            return 500, _fault("Onbekende dienst of versie")
        key = text(question.content, "Criteria", "INSZ") or text(
            question.content, "Criteria", "Ondernemingsnummer"
        )
        if question.service == "RegistreerInschrijving":
            key = text(
                question.content, "Inschrijving", "BetrokkenSubject", "Subjecten", "Subject", "Sleutel"
            )
        self.behaviour.received.append(
            {
                "service": question.service,
                "reference": question.reference,
                "capacity": question.capacity,
                "user": question.user,
                "sender": question.sender,
                "key": key,
                "signed": "yes" if is_signed(body) else "no",
            }
        )
        envelope, answer = _response(question, spec.namespace)
        if not question.sender or not question.capacity:
            _exception(
                answer,
                "13001",
                "Geen machtiging van de afzender in deze hoedanigheid voor de gevraagde dienst",
            )
        elif question.service == "GeefPersoon":
            self._person(answer, key)
        elif question.service == "RegistreerInschrijving":
            self._register(answer, key, question.capacity)
        else:
            self._enterprise(answer, key)
        return 200, ET.tostring(envelope, encoding="utf-8", xml_declaration=True)

    def _person(self, answer: ET.Element, insz: str) -> None:
        if not check_insz(insz, accept_test_numbers=self.accept_test_numbers()):
            _exception(answer, "20002", "INSZ ongeldig: het controlegetal of de maand klopt niet")
            return
        known = self.persons(insz) if self.persons else None
        if known is None and insz[6:9] in ("997", "998"):
            _exception(answer, "30101", "Geen persoon gevonden met dit INSZ")
            return
        _person_xml(_sub(answer, "Inhoud"), fictional_person(insz, known))

    def _register(self, answer: ET.Element, insz: str, capacity: str) -> None:
        if not check_insz(insz, accept_test_numbers=self.accept_test_numbers()):
            _exception(answer, "20002", "INSZ ongeldig: het controlegetal of de maand klopt niet")
            return
        self.behaviour.registrations.add((insz, capacity))
        _sub(_sub(answer, "Inhoud"), "Resultaat", "1", Beschrijving="Wel geslaagd")

    def _enterprise(self, answer: ET.Element, number: str) -> None:
        valid = len(number) == 10 and number.isdigit() and int(number[8:]) == _mod97(number[:8])
        known = self.enterprises(number) if (valid and self.enterprises) else None
        if not valid or (known is None and number[5:8] == "999"):
            _exception(answer, "30001", "Geen gegevens gevonden voor de vraag")
            return
        _enterprise_xml(_sub(answer, "Inhoud"), fictional_enterprise(number, known))


def _accept_test_numbers_setting() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "BALIE_ACCEPT_TEST_NUMBERS", False))


class _Handler(BaseHTTPRequestHandler):
    server: _DemoServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_REQUEST_BYTES:
            self._send(413 if length > MAX_REQUEST_BYTES else 400, _fault("Geen of te groot bericht"))
            return
        status, body = self.server.magda.answer(self.rfile.read(length))
        self._send(status, body)

    def do_GET(self) -> None:
        self._send(200, b"MAGDA demo\n", content_type="text/plain")

    def _send(self, status: int, body: bytes, content_type: str = "text/xml; charset=utf-8") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a time-out test)
            pass

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds only the service's path: no number, no name.
        logger.debug("magda demo request", extra={"line": (format % args)[:200]})


class _DemoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], magda: DemoMagda) -> None:
        super().__init__(address, _Handler)
        self.magda = magda

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A refused TLS handshake (no or a wrong client certificate) or a client that gave up.
        logger.debug("magda demo: a connection failed")


class DemoMagdaService(LoopbackServer):
    """The demo service on a loopback port, served from a background thread."""

    _server: _DemoServer

    def __init__(
        self,
        magda: DemoMagda | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """`tls`: a server-side context (e.g. one that requires a client certificate), to serve
        HTTPS as MAGDA does; plain HTTP without it."""
        self.magda = magda or DemoMagda()
        server = _DemoServer((host, port), self.magda)
        self.scheme = "http"
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True)
            self.scheme = "https"
        super().__init__(server, name="magda-demo")

    @property
    def behaviour(self) -> Behaviour:
        return self.magda.behaviour

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host!s}:{port}"

    def serve_forever(self) -> None:
        """Serve in this thread (`main`), instead of `start()`."""
        self._server.serve_forever()


_service: DemoMagdaService | None = None
_lock = threading.Lock()


def ensure_demo_service() -> DemoMagdaService:
    """The demo service of this process, started on a free loopback port on first use."""
    global _service
    with _lock:
        if _service is None:
            _service = DemoMagdaService().start()
        return _service


# -- demo key pairs: Balie's signing key and MAGDA's, self-signed, kept in the data directory -------


@dataclass(frozen=True)
class DemoKeyPair:
    key: Path
    cert: Path


def demo_key_pair(directory: Path, name: str, common_name: str) -> DemoKeyPair:
    """`<name>.key` / `<name>.crt` in `directory`: an RSA key and a self-signed certificate for
    signing, made on first use and again when unreadable or expiring within a week."""
    directory.mkdir(parents=True, exist_ok=True)
    pair = DemoKeyPair(key=directory / f"{name}.key", cert=directory / f"{name}.crt")
    try:
        load_signer(str(pair.key), str(pair.cert))
        certificate = load_certificates(pair.cert)[0]
        if certificate.not_valid_after_utc - dt.timedelta(days=7) > dt.datetime.now(dt.UTC):
            return pair
    except SigningConfigurationError:
        pass
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Balie demo"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(pair.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    os.chmod(pair.key, 0o600)
    pair.cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return pair


# -- `balie demo`: the service in its own process, answering from Balie's demo data ---------------


def balie_person(insz: str) -> dict[str, Any] | None:
    """What Balie's database knows of a person (the demo register starts from the demo data)."""
    from django.db import connection

    from balie.parties.models import AddressKind, Party

    try:
        party = Party.objects.filter(national_number=insz, merged_into__isnull=True).first()
        if party is None:
            return None
        address = party.addresses.filter(kind=AddressKind.RESIDENCE, valid_until__isnull=True).first()
        return {
            "family_name": party.family_name,
            "given_name": party.given_name,
            "address": _address_dict(address),
        }
    finally:
        connection.close()  # one short-lived connection per request thread


def balie_enterprise(number: str) -> dict[str, Any] | None:
    from django.db import connection

    from balie.parties.models import AddressKind, Party

    try:
        party = Party.objects.filter(enterprise_number=number, merged_into__isnull=True).first()
        if party is None:
            return None
        address = party.addresses.filter(kind=AddressKind.REGISTERED_OFFICE, valid_until__isnull=True).first()
        return {"name": party.name, "legal_form": party.legal_form, "address": _address_dict(address)}
    finally:
        connection.close()


def _address_dict(address: Any) -> dict[str, str] | None:
    if address is None:
        return None
    return {
        **address.as_snapshot(),
        "valid_from": address.valid_from.isoformat() if address.valid_from else "",
    }


def start_balie_demo_service(data_dir: Path | str) -> tuple[DemoMagdaService, dict[str, str]]:
    """For `balie demo`: the demo service answering from Balie's data, started, that checks the
    signature of every request and signs its answers, as MAGDA does. Returns the service and the
    environment the web server and the worker need: its URL, MAGDA's (demo) certificate to check
    answers against, and, unless BALIE_MAGDA_SIGN_KEY or BALIE_MAGDA_SIGNER is set, the demo key
    pair Balie signs with. The key pairs are kept in `<data_dir>/magda-demo/`."""
    from django.conf import settings

    directory = Path(data_dir) / "magda-demo"
    magda_pair = demo_key_pair(directory, "magda", "MAGDA demo")
    environment = {"BALIE_MAGDA_SERVER_CERT": str(magda_pair.cert)}
    trusted: list[x509.Certificate] | None
    if settings.BALIE_MAGDA_SIGNER:  # a signer of its own: the demo cannot know its certificate
        trusted = None
    elif settings.BALIE_MAGDA_SIGN_KEY:
        trusted = load_certificates(settings.BALIE_MAGDA_SIGN_CERT)
    else:
        balie_pair = demo_key_pair(directory, "balie", "Balie demo (ondertekening)")
        trusted = load_certificates(balie_pair.cert)
        environment |= {
            "BALIE_MAGDA_SIGN_KEY": str(balie_pair.key),
            "BALIE_MAGDA_SIGN_CERT": str(balie_pair.cert),
        }
    magda = DemoMagda(
        persons=balie_person,
        enterprises=balie_enterprise,
        trusted_certs=trusted,
        signer=load_signer(str(magda_pair.key), str(magda_pair.cert)),
    )
    service = DemoMagdaService(magda).start()
    environment["BALIE_MAGDA_URL"] = service.url
    return service, environment


def main(argv: list[str] | None = None) -> int:
    """`python -m balie.authentic_sources.magda.demo --port 8123 [--balie-directory]`."""
    parser = argparse.ArgumentParser(description="Balie's demo MAGDA service (loopback)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument(
        "--balie-directory",
        action="store_true",
        help="answer persons and enterprises Balie knows from its data",
    )
    options = parser.parse_args(argv)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
    django.setup()
    magda = DemoMagda(
        persons=balie_person if options.balie_directory else None,
        enterprises=balie_enterprise if options.balie_directory else None,
    )
    service = DemoMagdaService(magda, host=options.host, port=options.port)
    logger.info("magda demo listening", extra={"url": service.url})
    try:
        service.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
