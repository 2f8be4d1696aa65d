"""Cases and the case-type catalogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field

from balie.cases.models import (
    ArchivalNomination,
    AttributeKind,
    Case,
    CaseRole,
    CaseStatus,
    DayUnit,
    Origin,
    RoleKind,
)

from .common import DepartmentRefOut, InputSchema, PartyRefOut, TeamRefOut, UserRefOut

# --- the catalogue -----------------------------------------------------------------------------


class StatusTypeOut(Schema):
    id: int = Field(description="Vast binnen deze versie; gebruik het (of de naam) om een status te zetten.")
    order: int
    name: str
    informs_customer: bool = Field(description="De aanvrager krijgt een bericht bij deze status.")
    next: list[int] = Field(description="De statussen waarnaar een zaak van hier mag gaan (id's).")
    end: bool = Field(description="De eindstatus: bereikt door een zaak af te sluiten met een resultaat.")


class RoleTypeOut(Schema):
    kind: RoleKind
    name: str


class AttributeOut(Schema):
    code: str
    label: str
    kind: AttributeKind = Field(
        description="text en choice: tekst; number: getal; date: JJJJ-MM-DD; party: uuid van een partij;"
        " address: {street, house_number, box, postcode, municipality}."
    )
    required: bool
    help_text: str
    choices: list[str]
    min_value: Decimal | None
    max_value: Decimal | None
    max_length: int


class ResultTypeOut(Schema):
    id: int
    name: str
    archival_nomination: ArchivalNomination
    retention_years: int


class CaseTypeVersionOut(Schema):
    uuid: UUID
    number: int
    name: str
    description: str
    lead_time_days: int
    lead_time_unit: DayUnit
    suspension_allowed: bool
    max_suspension_days: int
    extension_allowed: bool
    max_extension_days: int
    confidential: bool = Field(description="Een nieuwe zaak is standaard vertrouwelijk.")
    published_at: dt.datetime | None
    statuses: list[StatusTypeOut]
    roles: list[RoleTypeOut] = Field(description="De rollen die partijen in een zaak kunnen hebben.")
    attributes: list[AttributeOut]
    results: list[ResultTypeOut]


class CaseTypeOut(Schema):
    uuid: UUID
    code: str = Field(description="Gebruik de code om een zaak te registreren.")
    name: str
    department: DepartmentRefOut
    version: CaseTypeVersionOut = Field(description="De versie die nu geldt voor nieuwe zaken.")


# --- cases -------------------------------------------------------------------------------------


class CaseTypeRefOut(Schema):
    code: str
    name: str
    version: int = Field(description="De versie van het zaaktype die deze zaak volgt.")

    @staticmethod
    def resolve_code(obj: Case) -> str:
        return obj.case_type.code

    @staticmethod
    def resolve_name(obj: Case) -> str:
        return obj.version.name

    @staticmethod
    def resolve_version(obj: Case) -> int:
        return obj.version.number


class StatusRefOut(Schema):
    id: int
    name: str


class ResultRefOut(Schema):
    id: int
    name: str


class CaseOut(Schema):
    uuid: UUID
    number: str = Field(description="Het zaaknummer, bv. C2026-000123.")
    case_type: CaseTypeRefOut
    subject: str
    origin: Origin
    confidential: bool
    status: StatusRefOut
    status_set_at: dt.datetime
    registered_at: dt.datetime
    department: DepartmentRefOut
    team: TeamRefOut | None
    handler: UserRefOut | None
    start_date: dt.date
    deadline: dt.date
    suspended_since: dt.date | None = Field(description="Opgeschort sinds (de termijn staat stil).")
    closed_at: dt.datetime | None
    result: ResultRefOut | None

    @staticmethod
    def resolve_case_type(obj: Case) -> Case:
        return obj

    @staticmethod
    def resolve_status(obj: Case) -> Any:
        return obj.status_type

    @staticmethod
    def resolve_result(obj: Case) -> Any:
        return obj.result_type


class StatusHistoryOut(Schema):
    sequence: int
    status: StatusRefOut
    set_at: dt.datetime
    set_by: UserRefOut
    reason: str

    @staticmethod
    def resolve_status(obj: CaseStatus) -> Any:
        return obj.status_type


class CaseRoleOut(Schema):
    kind: RoleKind
    party: PartyRefOut

    @staticmethod
    def resolve_party(obj: CaseRole) -> Any:
        return obj.party


class CaseDetailOut(CaseOut):
    description: str
    attributes: dict[str, Any] = Field(description="De kenmerken, per code (zie het zaaktype).")
    original_deadline: dt.date
    suspension_reason: str
    suspended_days: int
    extended_days: int
    extension_reason: str
    result_note: str
    archive_action_date: dt.date | None
    next_statuses: list[StatusRefOut] = Field(
        description="De statussen die de zaak nu kan krijgen (zonder de eindstatus: die volgt bij afsluiten)."
    )
    statuses: list[StatusHistoryOut] = Field(description="De statushistoriek, oudste eerst.")
    roles: list[CaseRoleOut]


class CasePage(Schema):
    results: list[CaseOut]
    next: str | None = Field(description="De volgende pagina, of leeg als dit de laatste is.")


class CaseFilters(Schema):
    case_type: str | None = Field(None, max_length=40, description="Code van het zaaktype.")
    status: str | None = Field(None, max_length=100, description="Naam van de huidige status.")
    department: UUID | None = Field(None, description="De dienst die de zaak behandelt.")
    open: bool | None = Field(None, description="true: alleen lopende zaken; false: alleen afgesloten.")
    party: UUID | None = Field(None, description="Zaken waarin deze partij een rol heeft.")
    deadline_before: dt.date | None = Field(None, description="Uiterste datum vóór deze dag.")
    cursor: str | None = Field(None, max_length=500, description="Uit de `next`-link van de vorige pagina.")
    page_size: int | None = Field(None, ge=1, le=200, description="Standaard BALIE_API_PAGE_SIZE.")


class CasePartyIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "description": "Een bestaande partij: met haar uuid, of met haar rijksregister- of"
            " ondernemingsnummer (precies één van de drie)."
        },
    )

    role: RoleKind
    party: UUID | None = None
    national_number: str | None = Field(None, max_length=20)
    enterprise_number: str | None = Field(None, max_length=20)


class CaseCreateIn(InputSchema):
    case_type: str = Field(max_length=40, description="Code van een zaaktype in gebruik.")
    subject: str = Field(max_length=200)
    description: str = Field("", max_length=10000)
    parties: list[CasePartyIn] = Field(default_factory=list, max_length=50)
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="Per code van een kenmerk van het zaaktype, de waarde."
    )
    confidential: bool | None = Field(None, description="Standaard zoals het zaaktype het zegt.")


class StatusIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={"description": "De nieuwe status: met haar naam of haar id (een van beide)."},
    )

    status: str | None = Field(None, max_length=100, description="Naam van de status.")
    status_id: int | None = Field(None, description="Id van de status (zie het zaaktype).")
    reason: str = Field("", max_length=500)


class CloseIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={"description": "Het resultaat: met zijn naam of zijn id (een van beide)."},
    )

    result: str | None = Field(None, max_length=100, description="Naam van het resultaat.")
    result_id: int | None = Field(None, description="Id van het resultaat (zie het zaaktype).")
    note: str = Field("", max_length=4000, description="Toelichting bij het resultaat.")
    reason: str = Field("", max_length=500)


class SuspendIn(InputSchema):
    reason: str = Field(max_length=300, description="Waarop de zaak wacht.")


class ExtendIn(InputSchema):
    days: int = Field(ge=1, le=3650)
    reason: str = Field(max_length=300)
