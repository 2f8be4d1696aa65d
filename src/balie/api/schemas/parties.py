"""Parties: persons, organisations and associations, with their contact points and addresses."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field

from balie.parties.models import AddressKind, ContactPointKind, Gender, PartyKind

from .common import InputSchema


class ContactPointOut(Schema):
    uuid: UUID
    kind: ContactPointKind
    value: str = Field(description="E-mailadres in kleine letters, telefoonnummer in E.164 (+32…).")
    preferred: bool
    verified: bool


class AddressOut(Schema):
    uuid: UUID
    kind: AddressKind
    street: str
    house_number: str
    box: str
    postcode: str
    municipality: str
    country: str
    valid_from: dt.date | None
    valid_until: dt.date | None = Field(description="Leeg voor een huidig adres.")


class PartyOut(Schema):
    uuid: UUID
    kind: PartyKind
    display_name: str
    given_name: str
    family_name: str
    birth_date: dt.date | None
    gender: Gender
    national_number: str | None = Field(description="INSZ, 11 cijfers zonder leestekens.")
    name: str
    enterprise_number: str | None = Field(description="KBO-nummer, 10 cijfers zonder leestekens.")
    legal_form: str
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime
    contact_points: list[ContactPointOut]
    addresses: list[AddressOut]


class PartyPage(Schema):
    results: list[PartyOut]
    next: str | None = Field(description="De volgende pagina, of leeg als dit de laatste is.")


class PartyFilters(Schema):
    national_number: str | None = Field(None, max_length=20, description="Rijksregister- of BIS-nummer.")
    enterprise_number: str | None = Field(None, max_length=20, description="Ondernemingsnummer.")
    email: str | None = Field(None, max_length=254, description="Een e-mailadres van de partij.")
    name: str | None = Field(
        None,
        max_length=200,
        description="Zoekt op naam (familienaam eerst); geeft de beste treffers op één pagina.",
    )
    kind: PartyKind | None = None
    cursor: str | None = Field(None, max_length=500, description="Uit de `next`-link van de vorige pagina.")
    page_size: int | None = Field(None, ge=1, le=200, description="Standaard BALIE_API_PAGE_SIZE.")


class PartyCreateIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "description": "Een persoon heeft given_name, family_name, birth_date, gender en"
            " national_number; een onderneming of vereniging name, enterprise_number en legal_form."
            " Beide hebben note."
        }
    )

    kind: PartyKind
    given_name: str = Field("", max_length=100)
    family_name: str = Field("", max_length=100)
    birth_date: dt.date | None = None
    gender: Gender = Gender.UNKNOWN
    national_number: str | None = Field(None, max_length=20)
    name: str = Field("", max_length=200)
    enterprise_number: str | None = Field(None, max_length=20)
    legal_form: str = Field("", max_length=100)
    note: str = Field("", max_length=2000)


class PartyPatchIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "description": 'Alleen de meegestuurde velden wijzigen. Tekst wis je met "", nummers en'
            " datums met null."
        }
    )

    given_name: str = Field("", max_length=100)
    family_name: str = Field("", max_length=100)
    birth_date: dt.date | None = None
    gender: Gender = Gender.UNKNOWN
    national_number: str | None = Field(None, max_length=20)
    name: str = Field("", max_length=200)
    enterprise_number: str | None = Field(None, max_length=20)
    legal_form: str = Field("", max_length=100)
    note: str = Field("", max_length=2000)


class ContactPointIn(InputSchema):
    kind: ContactPointKind
    value: str = Field(max_length=254)
    preferred: bool = False


class AddressIn(InputSchema):
    kind: AddressKind
    street: str = Field(max_length=150)
    house_number: str = Field(max_length=12)
    box: str = Field("", max_length=12)
    postcode: str = Field(max_length=12)
    municipality: str = Field(max_length=100)
    country: str = Field("BE", min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    valid_from: dt.date | None = Field(None, description="Standaard vandaag.")
