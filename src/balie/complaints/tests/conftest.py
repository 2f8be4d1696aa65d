"""A municipality with a complaint coordinator (Communicatie), the department a complaint is about
(Omgeving, with its investigator), the complaint case type and a complainant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from balie.accounts.actions import create_department, create_employee
from balie.accounts.models import Department, Role, User
from balie.cases.models import Case, CaseType
from balie.cases.registries import Intake, intake_handlers
from balie.complaints.models import Complaint
from balie.complaints.setup import setup_complaint_case_type
from balie.parties.actions import add_contact_point, register_party
from balie.parties.models import Party


@pytest.fixture
def communicatie(db) -> Department:
    return create_department(name="Communicatie", code="communicatie", by=None)


def _employee(username: str, department: Department, roles: list[str]) -> User:
    return create_employee(
        username=username,
        first_name=username.capitalize(),
        last_name="Test",
        email=f"{username}@zonnedaal.be",
        password="Balie-demo-2026",
        department=department,
        roles=roles,
        by=None,
    )


@pytest.fixture
def coordinator(communicatie: Department) -> User:
    return _employee("klachten", communicatie, [Role.COMPLAINT_COORDINATOR])


@pytest.fixture
def colleague(communicatie: Department) -> User:
    """A case handler in the coordinator's own department: never the investigator."""
    return _employee("redactie", communicatie, [Role.CASE_HANDLER])


@pytest.fixture
def complaint_type(communicatie: Department) -> CaseType:
    admin = _employee("beheer", communicatie, [Role.FUNCTIONAL_ADMIN])
    return setup_complaint_case_type(department=communicatie, by=admin)


@pytest.fixture
def complainant(db) -> Party:
    party, _ = register_party(kind="person", by=None, given_name="Karel", family_name="Klager")
    add_contact_point(party=party, kind="email", value="karel@example.be", by=None)
    return party


def days_ago(days: int) -> dt.datetime:
    """Noon, Belgian time, that many calendar days ago (now, for today): the deadlines count local
    days, and `now - n days` is another local date late in the evening across a change of DST."""
    if days == 0:
        return timezone.now()
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@pytest.fixture
def make_complaint(
    complaint_type: CaseType, coordinator: User, complainant: Party, omgeving: Department
) -> Callable[..., Complaint]:
    def make(
        *,
        received_days_ago: int = 0,
        party: Party | str | None = "default",
        by: User | None = None,
        **extra: Any,
    ) -> Complaint:
        extra.setdefault("department", omgeving)
        extra.setdefault("theme", "staff_behaviour")
        case = intake_handlers.get("complaint")(
            Intake(
                kind="complaint",
                channel=extra.pop("channel", "phone"),
                party=complainant if party == "default" else party,  # type: ignore[arg-type]
                subject=extra.pop("subject", "Onvriendelijk onthaal aan het loket"),
                text=extra.pop("text", "Ik werd aan het loket afgesnauwd."),
                received_at=days_ago(received_days_ago),
                by=by or coordinator,
                converted_from=extra.pop("converted_from", None),
                extra=extra,
            )
        )
        return Complaint.objects.select_related("case").get(case=case)

    return make


def case_of(complaint: Complaint) -> Case:
    return Case.objects.select_related("status_type", "result_type").get(pk=complaint.case_id)


def simple_case_type(department: Department, *, code: str, name: str) -> CaseType:
    """Another case type (a report, a request), as an administrator would make it."""
    from balie.cases import catalogue

    admin = _employee(f"beheer-{code}", department, [Role.FUNCTIONAL_ADMIN])
    draft = catalogue.create_case_type(code=code, name=name, department=department, by=admin)
    catalogue.add_status_type(version=draft, by=admin, name="Ontvangen")
    catalogue.add_status_type(version=draft, by=admin, name="Afgehandeld")
    catalogue.add_role_type(version=draft, by=admin, kind="initiator", name="Melder")
    catalogue.add_result_type(
        version=draft, by=admin, name="Afgehandeld", archival_nomination="destroy", retention_years=2
    )
    return catalogue.publish_version(version=draft, by=admin).case_type
