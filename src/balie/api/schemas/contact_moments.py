"""Contact moments and their hand-offs (internal tasks)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field

from balie.contact_moments.models import Channel, ContactMoment, Direction, Outcome, TaskStatus

from .common import DepartmentRefOut, InputSchema, PartyRefOut, TeamRefOut, TopicRefOut, UserRefOut


class AddressSnapshotOut(Schema):
    street: str
    house_number: str
    box: str
    postcode: str
    municipality: str
    country: str


class ContactMomentOut(Schema):
    uuid: UUID
    registered_at: dt.datetime
    channel: Channel
    direction: Direction
    party: PartyRefOut | None
    topic: TopicRefOut | None
    summary: str
    outcome: Outcome
    duration_seconds: int | None
    confidential: bool
    department: DepartmentRefOut = Field(description="De dienst die het contact registreerde.")
    registered_by: UserRefOut
    address_snapshot: AddressSnapshotOut | None = Field(description="Het adres van de klant op dat moment.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_registered_by(obj: ContactMoment) -> object:
        return obj.employee


class InternalTaskOut(Schema):
    uuid: UUID
    department: DepartmentRefOut
    team: TeamRefOut | None
    assignee: UserRefOut | None
    description: str
    due_date: dt.date | None
    status: TaskStatus


class ContactMomentDetailOut(ContactMomentOut):
    tasks: list[InternalTaskOut]


class ContactMomentPage(Schema):
    results: list[ContactMomentOut]
    next: str | None = Field(description="De volgende pagina, of leeg als dit de laatste is.")


class ContactMomentFilters(Schema):
    party: UUID | None = None
    channel: Channel | None = None
    topic: UUID | None = None
    since: AwareDatetime | None = Field(None, description="Vanaf dit tijdstip (inbegrepen).")
    until: AwareDatetime | None = Field(None, description="Tot dit tijdstip (niet inbegrepen).")
    cursor: str | None = Field(None, max_length=500, description="Uit de `next`-link van de vorige pagina.")
    page_size: int | None = Field(None, ge=1, le=200, description="Standaard BALIE_API_PAGE_SIZE.")


class HandoffIn(InputSchema):
    department: UUID = Field(description="De dienst die het contact opvolgt.")
    team: UUID | None = None
    assignee: UUID | None = Field(None, description="Een medewerker.")
    description: str = Field(max_length=2000, description="Wat er moet gebeuren.")
    due_date: dt.date | None = None


class ContactMomentCreateIn(InputSchema):
    channel: Channel
    summary: str = Field(max_length=5000)
    direction: Direction = Direction.INBOUND
    party: UUID | None = None
    topic: UUID | None = None
    duration_seconds: int | None = Field(None, ge=0, le=24 * 3600)
    confidential: bool = Field(False, description="Alleen de eigen dienst ziet een vertrouwelijk contact.")
    registered_at: AwareDatetime | None = Field(None, description="Standaard nu.")
    handoff: HandoffIn | None = Field(None, description="Geef het contact door als interne taak.")


class ContactMomentPatchIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "description": "Alleen de meegestuurde velden wijzigen; party en topic wis je met null."
        }
    )

    party: UUID | None = None
    topic: UUID | None = None
    summary: str = Field("", max_length=5000)
    duration_seconds: int | None = Field(None, ge=0, le=24 * 3600)
    confidential: bool = False
