"""MAGDA's SOAP messages: what Balie sends, and what it reads from the answers."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from balie.authentic_sources.magda import messages
from balie.authentic_sources.magda.messages import (
    MessageError,
    RequestContext,
    child,
    fault_of,
    parse_reply,
    parse_xml,
    text,
)

SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"
CONTEXT = RequestContext(
    sender_id="0212645081",
    reference="5f0c2a4e-4b7e-4f57-9d1e-0d6a3f3c9b11",
    capacity_code="1300",
    user="0c7d5a36-1a55-4b3e-8d2e-2f1a9b8c7d6e",
    at=dt.datetime(2026, 11, 29, 9, 15, 30, 123000, tzinfo=dt.UTC),
)


def _request(body: bytes, operation: str) -> ET.Element:
    root = parse_xml(body)
    assert root.tag == f"{SOAP}Envelope"
    assert root.find(f"{SOAP}Header") is not None
    found = root.find(f"{SOAP}Body/{operation}")
    assert found is not None, f"no {operation} in the body"
    return found


def test_geef_persoon_carries_context_sender_reference_capacity_user_and_the_insz():
    body = messages.build_geef_persoon(CONTEXT, insz="85073003328")

    operation = _request(body, "{http://magda.vlaanderen.be/persoon/soap/geefpersoon/v02_02}GeefPersoon")
    request = child(operation, "Verzoek")
    assert text(request, "Context", "Naam") == "GeefPersoon"
    assert text(request, "Context", "Versie") == "02.02.0000"
    message = child(request, "Context", "Bericht")
    assert text(message, "Type") == "VRAAG"
    assert text(message, "Tijdstip", "Datum") == "2026-11-29"
    assert text(message, "Tijdstip", "Tijd") == "10:15:30.123"  # Brussels time
    assert text(message, "Afzender", "Identificatie") == "0212645081"
    assert text(message, "Afzender", "Referte") == CONTEXT.reference
    assert text(message, "Afzender", "Hoedanigheid") == "1300"
    assert text(message, "Afzender", "Gebruiker") == CONTEXT.user
    question = child(request, "Vragen", "Vraag")
    assert text(question, "Referte") == CONTEXT.reference
    assert text(question, "Inhoud", "Criteria", "INSZ") == "85073003328"
    assert text(question, "Inhoud", "Bron") == "RR"


def test_registreer_inschrijving_registers_the_person_for_a_period_in_a_capacity():
    body = messages.build_registreer_inschrijving(
        CONTEXT, insz="85073003328", period_start=dt.date(2026, 11, 29), period_end=dt.date(2027, 11, 29)
    )

    operation = _request(
        body,
        "{http://webservice.registreerinschrijvingdienst-02_01.repertorium-02_01.vip.vlaanderen.be}"
        "RegistreerInschrijving",
    )
    request = child(operation, "Verzoek")
    assert text(request, "Context", "Naam") == "RegistreerInschrijving"
    assert text(request, "Context", "Versie") == "02.01.0000"
    registration = child(request, "Vragen", "Vraag", "Inhoud", "Inschrijving")
    assert text(registration, "Identificatie") == "0212645081"
    assert text(registration, "Hoedanigheid") == "1300"
    assert text(registration, "BetrokkenSubject", "Type") == "PERS"
    assert text(registration, "BetrokkenSubject", "Subjecten", "Subject", "Sleutel") == "85073003328"
    assert text(registration, "Periode", "Begin") == "2026-11-29"
    assert text(registration, "Periode", "Einde") == "2027-11-29"


def test_geef_onderneming_asks_the_basic_data_of_an_enterprise_number():
    body = messages.build_geef_onderneming(CONTEXT, enterprise_number="0403019261")

    operation = _request(
        body,
        "{http://webservice.geefondernemingdienst-02_00.onderneming-02_00.vip.vlaanderen.be}GeefOnderneming",
    )
    request = child(operation, "Verzoek")
    assert text(request, "Context", "Naam") == "GeefOnderneming"
    assert text(request, "Context", "Versie") == "02.00.0000"
    criteria = child(request, "Vragen", "Vraag", "Inhoud", "Criteria")
    assert text(criteria, "Ondernemingsnummer") == "0403019261"
    assert text(criteria, "Basisgegevens") == "1"


def test_a_scheduled_call_names_no_user():
    context = RequestContext(sender_id="0212645081", reference="r", capacity_code="1300")

    body = messages.build_geef_persoon(context, insz="85073003328")

    assert b"Gebruiker" not in body


PERSON_ANSWER = """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<web:GeefPersoonResponse xmlns:web="http://magda.vlaanderen.be/persoon/soap/geefpersoon/v02_02">
 <Repliek>
  <Context><Naam>GeefPersoon</Naam><Versie>02.02.0000</Versie>
   <Bericht><Type>ANTWOORD</Type>
    <Afzender><Identificatie>vip.vlaanderen.be</Identificatie><Referte>x</Referte></Afzender>
    <Ontvanger><Identificatie>0212645081</Identificatie><Referte>ref-1</Referte><Hoedanigheid>1300</Hoedanigheid></Ontvanger>
   </Bericht></Context>
  <Antwoorden><Antwoord><Referte>ref-1</Referte>
   <Inhoud><Persoon Bron="RR">
    <INSZ>85073003328</INSZ>
    <Naam><Achternamen><Achternaam>Peeters</Achternaam></Achternamen>
     <Voornamen><Voornaam>Jan</Voornaam><Voornaam>Maria</Voornaam></Voornamen></Naam>
    <Geslacht><Code>1</Code><Omschrijving>Mannelijk</Omschrijving></Geslacht>
    <Nationaliteiten><Nationaliteit DatumBegin="1985-07-30">
     <Code>150</Code><Omschrijving>Belg</Omschrijving></Nationaliteit></Nationaliteiten>
    <Geboorte><Datum>1985-07-30</Datum><Plaats><Gemeente><Naam>Mortsel</Naam></Gemeente>
     <Land><ISOCode>BEL</ISOCode></Land></Plaats></Geboorte>
    <BurgerlijkeStaten>
     <BurgerlijkeStaat DatumBegin="2003-01-01" DatumEinde="2010-06-01">
      <Code>10</Code><Omschrijving>Ongehuwd</Omschrijving></BurgerlijkeStaat>
     <BurgerlijkeStaat DatumBegin="2010-06-01">
      <Code>20</Code><Omschrijving>Gehuwd</Omschrijving></BurgerlijkeStaat>
    </BurgerlijkeStaten>
    <Adressen><Hoofdverblijfplaats DatumBegin="2021-04-01">
     <Straatnaam><String>Molenstraat</String><Taal>nl</Taal></Straatnaam>
     <Huisnummer>7</Huisnummer><Busnummer>2</Busnummer>
     <Gemeentenaam><String>Zonnedaal</String><Taal>nl</Taal></Gemeentenaam>
     <Postcode>2645</Postcode><ISOCodeLand>BEL</ISOCodeLand>
    </Hoofdverblijfplaats></Adressen>
    <Referentiepersoon><INSZ>85073003328</INSZ>
     <Naam><Achternamen><Achternaam>Peeters</Achternaam></Achternamen><Voornamen><Voornaam>Jan</Voornaam></Voornamen></Naam>
     <Positie><Code>01</Code><Omschrijving>Referentiepersoon</Omschrijving></Positie></Referentiepersoon>
   </Persoon></Inhoud>
   <Uitzonderingen><Uitzondering><Identificatie>30004</Identificatie><Type>WAARSCHUWING</Type>
    <Diagnose>Opmerking</Diagnose></Uitzondering></Uitzonderingen>
  </Antwoord></Antwoorden>
 </Repliek>
</web:GeefPersoonResponse></soapenv:Body></soapenv:Envelope>"""


def test_a_person_answer_gives_names_birth_gender_address_nationality_civil_state_and_household():
    reply = parse_reply(parse_xml(PERSON_ANSWER.encode()))

    person = messages.parse_person(reply)

    assert reply.reference == "ref-1"
    assert person.insz == "85073003328"
    assert person.family_name == "Peeters"
    assert person.given_names == "Jan Maria"
    assert person.gender == "M"
    assert person.birth_date == dt.date(1985, 7, 30)
    assert person.birth_place == "Mortsel"
    assert person.birth_country == "BE"
    assert person.address is not None
    assert person.address.one_line == "Molenstraat 7 bus 2, 2645 Zonnedaal"
    assert person.address.since == dt.date(2021, 4, 1)
    assert [(n.code, n.description) for n in person.nationalities] == [("150", "Belg")]
    assert person.civil_state is not None
    assert (person.civil_state.code, person.civil_state.description) == ("20", "Gehuwd")  # the current one
    assert person.reference_person is not None and person.reference_person.is_self
    assert [w.code for w in person.warnings] == ["30004"]


def test_an_incomplete_birth_date_is_unknown():
    answer = PERSON_ANSWER.replace("<Datum>1985-07-30</Datum>", "<Datum>1985-00-00</Datum>")

    person = messages.parse_person(parse_reply(parse_xml(answer.encode())))

    assert person.birth_date is None


def test_exceptions_are_read_from_the_answer_and_from_the_whole_reply():
    body = b"""<Envelope><Body><GeefPersoonResponse><Repliek>
      <Antwoorden><Antwoord><Referte>r</Referte><Uitzonderingen><Uitzondering>
        <Identificatie>20002</Identificatie><Oorsprong>MAGDA</Oorsprong><Type>FOUT</Type>
        <Diagnose>INSZ ongeldig</Diagnose></Uitzondering></Uitzonderingen></Antwoord></Antwoorden>
      <Uitzonderingen><Uitzondering><Identificatie>99996</Identificatie><Type>FOUT</Type>
        <Diagnose>Te veel gelijktijdige bevragingen</Diagnose></Uitzondering></Uitzonderingen>
    </Repliek></GeefPersoonResponse></Body></Envelope>"""

    reply = parse_reply(parse_xml(body))

    assert [(e.code, e.type, e.diagnosis) for e in reply.exceptions] == [
        ("99996", "FOUT", "Te veel gelijktijdige bevragingen"),
        ("20002", "FOUT", "INSZ ongeldig"),
    ]
    assert reply.content is None


def test_a_soap_fault_is_recognised():
    body = b"""<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
      <soapenv:Fault><faultcode>soapenv:Server</faultcode>
      <faultstring>Interne fout</faultstring></soapenv:Fault>
    </soapenv:Body></soapenv:Envelope>"""

    fault = fault_of(parse_xml(body))

    assert fault is not None
    assert (fault.code, fault.text) == ("soapenv:Server", "Interne fout")


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        b"not xml at all",
        b"<Envelope><Body>",
    ],
)
def test_an_answer_with_a_doctype_or_no_xml_is_refused(body):
    with pytest.raises(MessageError):
        parse_xml(body)


def test_an_enterprise_answer_gives_name_legal_form_status_and_seat():
    body = b"""<Envelope><Body><GeefOndernemingResponse><Repliek><Antwoorden><Antwoord><Referte>r</Referte>
      <Inhoud><Onderneming><Ondernemingsnummer>0403019261</Ondernemingsnummer>
        <StatusKBO><Code>AC</Code><Omschrijving>Actief</Omschrijving></StatusKBO>
        <Namen><MaatschappelijkeNamen>
          <MaatschappelijkeNaam DatumBegin="2001-01-01">
            <Naam>Boulangerie Le Soleil</Naam><Taalcode>fr</Taalcode></MaatschappelijkeNaam>
          <MaatschappelijkeNaam DatumBegin="2001-01-01">
            <Naam>Bakkerij De Zon</Naam><Taalcode>nl</Taalcode></MaatschappelijkeNaam>
        </MaatschappelijkeNamen></Namen>
        <Adressen><Adres DatumBegin="2016-12-13"><Huisnummer>1</Huisnummer>
          <Gemeente><PostCode>2645</PostCode></Gemeente><Land><ISOCode>BE</ISOCode></Land>
          <Type><Code>001</Code><Omschrijving>Zetel</Omschrijving></Type>
          <Descripties><Descriptie><Adres><Straat><Naam>Markt</Naam></Straat><Gemeente><Naam>Zonnedaal</Naam></Gemeente></Adres></Descriptie></Descripties>
        </Adres></Adressen>
        <Start><Datum>2001-01-01</Datum></Start>
        <Rechtsvormen><Rechtsvorm DatumBegin="2001-01-01"><Code>610</Code>
          <Omschrijving>Besloten vennootschap</Omschrijving><Afkorting>BV</Afkorting>
        </Rechtsvorm></Rechtsvormen>
      </Onderneming></Inhoud></Antwoord></Antwoorden></Repliek></GeefOndernemingResponse></Body></Envelope>"""

    enterprise = messages.parse_enterprise(parse_reply(parse_xml(body)))

    assert enterprise.name == "Bakkerij De Zon"  # the Dutch name first
    assert (enterprise.legal_form, enterprise.legal_form_abbreviation) == ("Besloten vennootschap", "BV")
    assert enterprise.status == "Actief"
    assert enterprise.start_date == dt.date(2001, 1, 1)
    assert enterprise.address is not None
    assert enterprise.address.one_line == "Markt 1, 2645 Zonnedaal"


def test_an_answer_survives_its_trip_through_json():
    person = messages.parse_person(parse_reply(parse_xml(PERSON_ANSWER.encode())))

    again = messages.person_from_json(messages.answer_to_json(person))

    assert again == person
