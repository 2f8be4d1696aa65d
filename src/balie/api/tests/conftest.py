"""Fixtures for API tests: applications with tokens, a JSON client, and the database's row counts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from balie.accounts.models import Department, User
from balie.api.actions import create_api_application
from balie.api.models import ApiApplication, Scope
from balie.audit.models import ChangeRecord, PersonalDataAccess
from balie.cases.models import Case, CaseEvent, CaseRole, CaseStatus, CaseTask
from balie.cases.tests.conftest import (  # noqa: F401 - the case engine's fixtures, shared
    admin,
    applicant,
    permit_type,
    permit_version,
    team_lead,
)
from balie.contact_moments.actions import create_topic
from balie.contact_moments.models import ContactMoment, InternalTask, Topic
from balie.core.models import OutboxMessage
from balie.documents.models import Document, DocumentVersion
from balie.parties.actions import register_party
from balie.parties.models import Address, ContactPoint, Party

ALL_SCOPES = list(Scope.values)
JSON = "application/json"


@pytest.fixture(autouse=True)
def _plain_http(settings: Any) -> None:
    """The test client speaks plain http (production redirects that to https), and pages find their
    static files without a collectstatic manifest."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class ApiClient:
    """Django's test client with a token and JSON bodies: the whole middleware stack, as in use."""

    token: str | None = None
    client: Client = field(default_factory=Client)
    scheme: str = "Token"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"{self.scheme} {self.token}"} if self.token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {}, headers=self._headers())

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, json.dumps(body), content_type=JSON, headers=self._headers())

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, json.dumps(body), content_type=JSON, headers=self._headers())


MakeApplication = Callable[..., tuple[ApiApplication, str]]


@pytest.fixture
def make_application(db: None) -> MakeApplication:
    counter = iter(range(1, 1000))

    def make(
        *,
        department: Department,
        scopes: Iterable[str] = ALL_SCOPES,
        name: str | None = None,
        purpose: str = "",
    ) -> tuple[ApiApplication, str]:
        return create_api_application(
            name=name or f"Systeem {next(counter)}",
            department=department,
            scopes=list(scopes),
            purpose=purpose,
            by=None,
        )

    return make


@pytest.fixture
def website_with_token(
    burgerzaken: Department, make_application: MakeApplication
) -> tuple[ApiApplication, str]:
    """An application of Burgerzaken with every scope, and its token."""
    return make_application(name="Website", department=burgerzaken, purpose="Aanvragen via de website")


@pytest.fixture
def website(website_with_token: tuple[ApiApplication, str]) -> ApiApplication:
    return website_with_token[0]


@pytest.fixture
def api(website_with_token: tuple[ApiApplication, str]) -> ApiClient:
    """A client with the Burgerzaken website application's token (every scope)."""
    return ApiClient(token=website_with_token[1])


@pytest.fixture
def client_of(make_application: MakeApplication) -> Callable[..., ApiClient]:
    """A client for a new application of `department` with `scopes`."""

    def make(department: Department, scopes: Iterable[str] = ALL_SCOPES) -> ApiClient:
        return ApiClient(token=make_application(department=department, scopes=scopes)[1])

    return make


def row_counts() -> dict[str, int]:
    """What a refused request must leave as it was."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Party,
            ContactPoint,
            Address,
            ContactMoment,
            InternalTask,
            ChangeRecord,
            PersonalDataAccess,
            Case,
            CaseStatus,
            CaseRole,
            CaseTask,
            CaseEvent,
            OutboxMessage,
            Document,
            DocumentVersion,
        )
    }


def national_number(birth: str, serial: int) -> str:
    """A valid national number for someone born `birth` (yymmdd, before 2000) with `serial`."""
    base = f"{birth}{serial:03d}"
    return f"{base}{97 - int(base) % 97:02d}"


def enterprise_number(first_eight: str) -> str:
    return f"{first_eight}{97 - int(first_eight) % 97:02d}"


@pytest.fixture
def jan(front_desk: User) -> Party:
    party, _created = register_party(
        kind="person", given_name="Jan", family_name="Peeters", national_number="85073003328", by=front_desk
    )
    return party


@pytest.fixture
def bakkerij(front_desk: User) -> Party:
    party, _created = register_party(
        kind="organisation", name="Bakkerij Peeters", enterprise_number="0403019261", by=front_desk
    )
    return party


@pytest.fixture
def parking(burgerzaken: Department) -> Topic:
    return create_topic(name="Bewonerskaart parkeren", department=burgerzaken, by=None)


@pytest.fixture
def roads_topic(omgeving: Department) -> Topic:
    return create_topic(name="Wegenwerken", department=omgeving, by=None)
