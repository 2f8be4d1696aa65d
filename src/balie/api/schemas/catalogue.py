"""The catalogue other systems need to fill in a form: topics and departments with their teams."""

from __future__ import annotations

from uuid import UUID

from ninja import Schema

from .common import DepartmentRefOut, TeamRefOut


class TopicOut(Schema):
    uuid: UUID
    name: str
    description: str
    department: DepartmentRefOut | None


class DepartmentOut(Schema):
    uuid: UUID
    name: str
    code: str
    email: str
    teams: list[TeamRefOut]
