"""Shapes shared by every endpoint: errors and references to other objects."""

from __future__ import annotations

from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field

from balie.parties.models import PartyKind


class InputSchema(Schema):
    """Input refuses fields it does not know, so a misspelt field is an error, not silently lost."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(description="Wat er misliep, in het Nederlands.")


class InvalidInputOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        description='Per veld de foutmeldingen; "__all__" voor fouten die niet bij één veld horen.'
    )


class PartyRefOut(Schema):
    uuid: UUID
    kind: PartyKind
    display_name: str


class DepartmentRefOut(Schema):
    uuid: UUID
    name: str


class TeamRefOut(Schema):
    uuid: UUID
    name: str


class UserRefOut(Schema):
    uuid: UUID
    name: str

    @staticmethod
    def resolve_name(obj: object) -> str:
        return str(obj)


class TopicRefOut(Schema):
    uuid: UUID
    name: str


AUTH_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut}
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
LIST_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: InvalidInputOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: InvalidInputOut,
}
