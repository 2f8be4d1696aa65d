"""MAGDA's SOAP messages: building the requests and reading the answers.

Every MAGDA 2.0 service uses one envelope: `<Verzoek><Context>` (service name and version, the
message type, the time, the sender: identification, a unique reference, the capacity code and
the user) and `<Vragen><Vraag>` (a question reference and the criteria). The answer mirrors it:
`<Repliek><Context>…<Antwoorden><Antwoord>` with `<Inhoud>` and/or `<Uitzonderingen>`, and
`<Uitzonderingen>` directly under `<Repliek>` for errors about the whole message.

Built and read with the standard library's ElementTree (`signing` uses lxml for the WS-Security
header); an answer with a DOCTYPE is refused before it is parsed, so no entity tricks reach the
parser. Answers are read from the envelope's own Body only (`soap_body`), the part a signature
covers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
NS_GEEF_PERSOON = "http://magda.vlaanderen.be/persoon/soap/geefpersoon/v02_02"
NS_REGISTREER_INSCHRIJVING = (
    "http://webservice.registreerinschrijvingdienst-02_01.repertorium-02_01.vip.vlaanderen.be"
)
NS_GEEF_ONDERNEMING = "http://webservice.geefondernemingdienst-02_00.onderneming-02_00.vip.vlaanderen.be"

ET.register_namespace("soapenv", SOAP_NS)
BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    version: str
    namespace: str
    path: str  # appended to the MAGDA base URL

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}"


GEEF_PERSOON = ServiceSpec(
    "GeefPersoon", "02.02.0000", NS_GEEF_PERSOON, "GeefPersoonDienst-02.02/soap/WebService"
)
REGISTREER_INSCHRIJVING = ServiceSpec(
    "RegistreerInschrijving",
    "02.01.0000",
    NS_REGISTREER_INSCHRIJVING,
    "RegistreerInschrijvingDienst-02.01/soap/WebService",
)
GEEF_ONDERNEMING = ServiceSpec(
    "GeefOnderneming", "02.00.0000", NS_GEEF_ONDERNEMING, "GeefOndernemingDienst-02.00/soap/WebService"
)
SERVICES = {spec.name: spec for spec in (GEEF_PERSOON, REGISTREER_INSCHRIJVING, GEEF_ONDERNEMING)}


class MessageError(ValueError):
    """An answer Balie cannot read (not XML, not a MAGDA answer, a DOCTYPE)."""


# -- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestContext:
    """Who asks, why, and under which reference (Verzoek/Context/Bericht/Afzender)."""

    sender_id: str  # the municipality's identification at MAGDA (KBO number or OVO code)
    reference: str  # unique per message (a UUID); MAGDA echoes it in the answer
    capacity_code: str  # hoedanigheid: the capacity the authorisation was given for
    user: str = ""  # the employee (Balie's public id); empty for a scheduled job
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _envelope(spec: ServiceSpec, context: RequestContext) -> tuple[ET.Element, ET.Element]:
    """The envelope up to Vragen/Vraag/Inhoud; returns (envelope, Inhoud)."""
    envelope = ET.Element(f"{{{SOAP_NS}}}Envelope")
    _sub(envelope, f"{{{SOAP_NS}}}Header")
    body = _sub(envelope, f"{{{SOAP_NS}}}Body")
    operation = _sub(body, f"{{{spec.namespace}}}{spec.name}")
    request = _sub(operation, "Verzoek")
    ctx = _sub(request, "Context")
    _sub(ctx, "Naam", spec.name)
    _sub(ctx, "Versie", spec.version)
    message = _sub(ctx, "Bericht")
    _sub(message, "Type", "VRAAG")
    moment = _sub(message, "Tijdstip")
    local = context.at.astimezone(BRUSSELS) if context.at.tzinfo else context.at
    _sub(moment, "Datum", local.strftime("%Y-%m-%d"))
    _sub(moment, "Tijd", local.strftime("%H:%M:%S.") + f"{local.microsecond // 1000:03d}")
    sender = _sub(message, "Afzender")
    _sub(sender, "Identificatie", context.sender_id)
    _sub(sender, "Referte", context.reference)
    _sub(sender, "Hoedanigheid", context.capacity_code)
    if context.user:
        _sub(sender, "Gebruiker", context.user)
    question = _sub(_sub(request, "Vragen"), "Vraag")
    _sub(question, "Referte", context.reference)
    return envelope, _sub(question, "Inhoud")


def _serialise(envelope: ET.Element) -> bytes:
    return ET.tostring(envelope, encoding="utf-8", xml_declaration=True)


def build_geef_persoon(context: RequestContext, *, insz: str, language: str = "nl") -> bytes:
    envelope, content = _envelope(GEEF_PERSOON, context)
    _sub(_sub(content, "Criteria"), "INSZ", insz)
    _sub(content, "Bron", "RR")
    _sub(content, "Taal", language)
    return _serialise(envelope)


def build_registreer_inschrijving(
    context: RequestContext, *, insz: str, period_start: dt.date, period_end: dt.date
) -> bytes:
    envelope, content = _envelope(REGISTREER_INSCHRIJVING, context)
    registration = _sub(content, "Inschrijving")
    _sub(registration, "Identificatie", context.sender_id)
    _sub(registration, "Hoedanigheid", context.capacity_code)
    subject_of = _sub(registration, "BetrokkenSubject")
    _sub(subject_of, "Type", "PERS")
    subject = _sub(_sub(subject_of, "Subjecten"), "Subject")
    _sub(subject, "Type", "PERS")
    _sub(subject, "Sleutel", insz)
    period = _sub(registration, "Periode")
    _sub(period, "Begin", period_start.isoformat())
    _sub(period, "Einde", period_end.isoformat())
    return _serialise(envelope)


def build_geef_onderneming(context: RequestContext, *, enterprise_number: str, language: str = "nl") -> bytes:
    envelope, content = _envelope(GEEF_ONDERNEMING, context)
    criteria = _sub(content, "Criteria")
    _sub(criteria, "Ondernemingsnummer", enterprise_number)
    _sub(criteria, "Basisgegevens", "1")
    _sub(criteria, "Rechtstoestanden", "1")
    establishments = _sub(criteria, "Vestigingen")
    _sub(establishments, "Aanduiding", "0")
    _sub(establishments, "Details", "0")
    _sub(_sub(criteria, "Omschrijvingen"), "Aanduiding", "1")
    _sub(content, "Taal", language)
    return _serialise(envelope)


# -- reading XML without caring for namespaces ---------------------------------------------------


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(element: ET.Element | None, *path: str) -> ET.Element | None:
    """The first descendant along `path` (local names), or None."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local(c.tag) == name), None)
    return element


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [c for c in element if local(c.tag) == name]


def text(element: ET.Element | None, *path: str) -> str:
    found = child(element, *path) if path else element
    return (found.text or "").strip() if found is not None else ""


def find_first(element: ET.Element, name: str) -> ET.Element | None:
    return next((e for e in element.iter() if local(e.tag) == name), None)


def parse_xml(body: bytes) -> ET.Element:
    head = body[:2048].lower()
    if b"<!doctype" in head or b"<!entity" in body.lower():
        raise MessageError("answer carries a DOCTYPE or entity declaration")
    try:
        return ET.fromstring(body)  # noqa: S314 - no DTD (checked above); expat >= 2.4 limits expansion
    except ET.ParseError as error:
        raise MessageError(f"answer is not XML ({error.position[0]}:{error.position[1]})") from None


# -- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Uitzondering:
    """An exception in a MAGDA answer: a code (Identificatie), FOUT or WAARSCHUWING, a text."""

    code: str
    type: str
    diagnosis: str = ""
    origin: str = ""

    @property
    def is_error(self) -> bool:
        return self.type.upper() != "WAARSCHUWING"


@dataclass(frozen=True)
class SoapFault:
    code: str
    text: str


@dataclass
class Reply:
    """The parts of an answer every service shares."""

    service: str
    reference: str  # Antwoord/Referte (else the Ontvanger's), our own reference echoed
    content: ET.Element | None  # Antwoord/Inhoud
    exceptions: list[Uitzondering]

    @property
    def errors(self) -> list[Uitzondering]:
        return [e for e in self.exceptions if e.is_error]

    @property
    def warnings(self) -> list[Uitzondering]:
        return [e for e in self.exceptions if not e.is_error]


def soap_body(root: ET.Element) -> ET.Element:
    """The envelope's own Body (its direct child), where the answer is; nothing in a header or in
    an element that merely calls itself Body counts (the signature covers this Body only). A
    root that is not an envelope is searched as it is."""
    if local(root.tag) != "Envelope":
        return root
    bodies = children(root, "Body")
    if len(bodies) != 1:
        raise MessageError("envelope without exactly one Body")
    return bodies[0]


def fault_of(root: ET.Element) -> SoapFault | None:
    try:
        fault = find_first(soap_body(root), "Fault")
    except MessageError:
        return None
    if fault is None:
        return None
    return SoapFault(code=text(fault, "faultcode"), text=text(fault, "faultstring"))


def _exceptions(container: ET.Element | None) -> Iterator[Uitzondering]:
    for item in children(child(container, "Uitzonderingen"), "Uitzondering"):
        yield Uitzondering(
            code=text(item, "Identificatie"),
            type=text(item, "Type") or "FOUT",
            diagnosis=text(item, "Diagnose"),
            origin=text(item, "Oorsprong"),
        )


def parse_reply(root: ET.Element) -> Reply:
    """The Repliek of an answer (a SOAP Fault is read by `fault_of` first)."""
    reply = find_first(soap_body(root), "Repliek")
    if reply is None:
        raise MessageError("answer has no Repliek")
    answer = child(reply, "Antwoorden", "Antwoord")
    reference = text(answer, "Referte") or text(reply, "Context", "Bericht", "Ontvanger", "Referte")
    return Reply(
        service=text(reply, "Context", "Naam"),
        reference=reference,
        content=child(answer, "Inhoud"),
        exceptions=[*_exceptions(reply), *_exceptions(answer)],
    )


def _date(value: str) -> dt.date | None:
    """A MAGDA date; an incomplete one (month or day 00) is unknown."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


_ISO3_TO_ISO2 = {
    "BEL": "BE",
    "NLD": "NL",
    "FRA": "FR",
    "DEU": "DE",
    "LUX": "LU",
    "GBR": "GB",
    "ESP": "ES",
    "ITA": "IT",
    "POL": "PL",
    "ROU": "RO",
    "PRT": "PT",
    "TUR": "TR",
    "MAR": "MA",
}


def _country(code: str) -> str:
    code = code.strip().upper()
    if len(code) == 2:
        return code
    return _ISO3_TO_ISO2.get(code, "")


@dataclass(frozen=True)
class SourceAddress:
    street: str
    house_number: str
    box: str
    postcode: str
    municipality: str
    country: str
    since: dt.date | None = None

    def as_fields(self) -> dict[str, str]:
        """The keyword arguments of parties.actions.add_address (without kind and date)."""
        return {
            "street": self.street,
            "house_number": self.house_number,
            "box": self.box,
            "postcode": self.postcode,
            "municipality": self.municipality,
            "country": self.country or "BE",
        }

    @property
    def one_line(self) -> str:
        box = f" bus {self.box}" if self.box else ""
        country = "" if self.country in ("", "BE") else f", {self.country}"
        return f"{self.street} {self.house_number}{box}, {self.postcode} {self.municipality}{country}"


@dataclass(frozen=True)
class CodedValue:
    code: str
    description: str
    since: dt.date | None = None


@dataclass(frozen=True)
class ReferencePerson:
    """The household's reference person (Referentiepersoon) and this person's place in it."""

    is_self: bool
    family_name: str
    given_names: str
    birth_date: dt.date | None
    position_code: str
    position: str


@dataclass(frozen=True)
class PersonAnswer:
    insz: str
    family_name: str
    given_names: str
    gender: str  # M, F or "" (unknown)
    birth_date: dt.date | None
    birth_place: str
    birth_country: str
    address: SourceAddress | None
    nationalities: list[CodedValue] = field(default_factory=list)
    civil_state: CodedValue | None = None
    reference_person: ReferencePerson | None = None
    deceased_on: dt.date | None = None
    warnings: list[Uitzondering] = field(default_factory=list)


@dataclass(frozen=True)
class EnterpriseAnswer:
    enterprise_number: str
    name: str
    abbreviation: str
    legal_form: str
    legal_form_code: str
    legal_form_abbreviation: str
    status: str
    legal_situation: str
    start_date: dt.date | None
    address: SourceAddress | None
    warnings: list[Uitzondering] = field(default_factory=list)


@dataclass(frozen=True)
class RegistrationAnswer:
    succeeded: bool
    warnings: list[Uitzondering] = field(default_factory=list)


def _current(items: list[ET.Element]) -> ET.Element | None:
    """The item without an end date (DatumEinde), the latest begun first."""
    live = [i for i in items if not i.get("DatumEinde") and not text(i, "DatumEinde")]
    live.sort(key=lambda i: i.get("DatumBegin") or "", reverse=True)
    return live[0] if live else None


def _name_text(holder: ET.Element | None, names: str, name: str) -> str:
    return " ".join(text(n) for n in children(child(holder, names), name) if text(n))


_GENDERS = {"1": "M", "2": "F"}


def parse_person(reply: Reply) -> PersonAnswer:
    person = child(reply.content, "Persoon")
    if person is None:
        raise MessageError("GeefPersoon answer without Persoon")
    name = child(person, "Naam")
    birth = child(person, "Geboorte")
    address: SourceAddress | None = None
    residence = child(person, "Adressen", "Hoofdverblijfplaats")
    if residence is not None:
        address = SourceAddress(
            street=text(residence, "Straatnaam", "String")
            or text(residence, "NietGestandaardiseerdeStraatnaam", "String"),
            house_number=text(residence, "Huisnummer"),
            box=text(residence, "Busnummer"),
            postcode=text(residence, "Postcode"),
            municipality=text(residence, "Gemeentenaam", "String")
            or text(residence, "NietGestandaardiseerdeGemeentenaam", "String"),
            country=_country(text(residence, "ISOCodeLand")) or "BE",
            since=_date(residence.get("DatumBegin", "")),
        )
    nationalities = [
        CodedValue(text(n, "Code"), text(n, "Omschrijving"), _date(n.get("DatumBegin", "")))
        for n in children(child(person, "Nationaliteiten"), "Nationaliteit")
        if not n.get("DatumEinde")
    ]
    civil = _current(children(child(person, "BurgerlijkeStaten"), "BurgerlijkeStaat"))
    reference = child(person, "Referentiepersoon")
    reference_person: ReferencePerson | None = None
    if reference is not None:
        reference_person = ReferencePerson(
            is_self=text(reference, "INSZ") == text(person, "INSZ"),
            family_name=_name_text(child(reference, "Naam"), "Achternamen", "Achternaam"),
            given_names=_name_text(child(reference, "Naam"), "Voornamen", "Voornaam"),
            birth_date=_date(text(reference, "Geboortedatum")),
            position_code=text(reference, "Positie", "Code"),
            position=text(reference, "Positie", "Omschrijving"),
        )
    return PersonAnswer(
        insz=text(person, "INSZ"),
        family_name=_name_text(name, "Achternamen", "Achternaam"),
        given_names=_name_text(name, "Voornamen", "Voornaam"),
        gender=_GENDERS.get(text(person, "Geslacht", "Code"), ""),
        birth_date=_date(text(birth, "Datum")),
        birth_place=text(birth, "Plaats", "Gemeente", "Naam"),
        birth_country=_country(text(birth, "Plaats", "Land", "ISOCode")),
        address=address,
        nationalities=nationalities,
        civil_state=CodedValue(
            text(civil, "Code"), text(civil, "Omschrijving"), _date(civil.get("DatumBegin", ""))
        )
        if civil is not None
        else None,
        reference_person=reference_person,
        deceased_on=_date(text(person, "Overlijden", "Datum")),
        warnings=reply.warnings,
    )


def _enterprise_address(enterprise: ET.Element) -> SourceAddress | None:
    addresses = children(child(enterprise, "Adressen"), "Adres")
    seat = [a for a in addresses if text(a, "Type", "Code") == "001"] or addresses
    found = _current(seat)
    if found is None:
        return None
    description = child(found, "Descripties", "Descriptie", "Adres")
    return SourceAddress(
        street=text(description, "Straat", "Naam") or text(found, "Straat", "Naam"),
        house_number=text(found, "Huisnummer") or text(description, "Huisnummer"),
        box=text(found, "Busnummer") or text(description, "Busnummer"),
        postcode=text(found, "Gemeente", "PostCode") or text(description, "Gemeente", "PostCode"),
        municipality=text(description, "Gemeente", "Naam") or text(found, "Gemeente", "Naam"),
        country=_country(text(found, "Land", "ISOCode")) or "BE",
        since=_date(found.get("DatumBegin", "")),
    )


def _preferred_name(holder: ET.Element | None, name: str) -> str:
    items = [n for n in children(holder, name) if not n.get("DatumEinde")]
    items.sort(key=lambda n: (text(n, "Taalcode") != "nl", n.get("DatumBegin") or ""))
    return text(items[0], "Naam") if items else ""


def parse_enterprise(reply: Reply) -> EnterpriseAnswer:
    enterprise = child(reply.content, "Onderneming")
    if enterprise is None:
        raise MessageError("GeefOnderneming answer without Onderneming")
    names = child(enterprise, "Namen")
    form = _current(children(child(enterprise, "Rechtsvormen"), "Rechtsvorm"))
    situation = _current(children(child(enterprise, "Rechtstoestanden"), "Rechtstoestand"))
    return EnterpriseAnswer(
        enterprise_number=text(enterprise, "Ondernemingsnummer"),
        name=_preferred_name(child(names, "MaatschappelijkeNamen"), "MaatschappelijkeNaam"),
        abbreviation=_preferred_name(child(names, "AfgekorteNamen"), "AfgekorteNaam"),
        legal_form=text(form, "Omschrijving"),
        legal_form_code=text(form, "Code"),
        legal_form_abbreviation=text(form, "Afkorting"),
        status=text(enterprise, "StatusKBO", "Omschrijving") or text(enterprise, "StatusKBO", "Code"),
        legal_situation=text(situation, "Omschrijving"),
        start_date=_date(text(enterprise, "Start", "Datum")),
        address=_enterprise_address(enterprise),
        warnings=reply.warnings,
    )


def parse_registration(reply: Reply) -> RegistrationAnswer:
    return RegistrationAnswer(succeeded=text(reply.content, "Resultaat") == "1", warnings=reply.warnings)


# -- answers as JSON (a signed form field carries the answer from the diff page to "apply") ------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def answer_to_json(answer: PersonAnswer | EnterpriseAnswer) -> str:
    return json.dumps(_jsonable(dataclasses.asdict(answer)), ensure_ascii=False, separators=(",", ":"))


def _load(cls: type[Any], data: Any) -> Any:
    if data is None:
        return None
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        raw = data.get(item.name)
        kind = str(item.type)
        if "SourceAddress" in kind:
            values[item.name] = _load(SourceAddress, raw)
        elif "ReferencePerson" in kind:
            values[item.name] = _load(ReferencePerson, raw)
        elif "list[CodedValue]" in kind:
            values[item.name] = [_load(CodedValue, v) for v in raw or []]
        elif "CodedValue" in kind:
            values[item.name] = _load(CodedValue, raw)
        elif "list[Uitzondering]" in kind:
            values[item.name] = [_load(Uitzondering, v) for v in raw or []]
        elif "dt.date" in kind:
            values[item.name] = _date(raw or "")
        else:
            values[item.name] = raw if raw is not None else ("" if kind == "str" else raw)
    return cls(**values)


def person_from_json(value: str) -> PersonAnswer:
    answer: PersonAnswer = _load(PersonAnswer, json.loads(value))
    return answer


def enterprise_from_json(value: str) -> EnterpriseAnswer:
    answer: EnterpriseAnswer = _load(EnterpriseAnswer, json.loads(value))
    return answer
