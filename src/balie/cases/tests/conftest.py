"""A published case type built through the catalogue actions, as an administrator would."""

from __future__ import annotations

import pytest

from balie.accounts.actions import create_employee
from balie.accounts.models import Department, Role, User
from balie.cases import catalogue
from balie.cases.models import CaseType, CaseTypeVersion, DayUnit, RoleKind
from balie.parties.actions import add_contact_point, register_party
from balie.parties.models import Party


@pytest.fixture
def admin(omgeving: Department) -> User:
    return create_employee(
        username="beheer",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


@pytest.fixture
def team_lead(omgeving: Department, handler: User) -> User:
    return create_employee(
        username="teamlead",
        first_name="Tom",
        last_name="Lead",
        email="tom@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        team=handler.team,
        roles=[Role.TEAM_LEAD, Role.CASE_HANDLER],
        by=None,
    )


def build_case_type(
    admin: User, department: Department, *, code: str = "omgevingsvergunning"
) -> CaseTypeVersion:
    draft = catalogue.create_case_type(code=code, name="Omgevingsvergunning", department=department, by=admin)
    draft = catalogue.update_version(
        version=draft,
        by=admin,
        lead_time_days=10,
        lead_time_unit=DayUnit.WORKING,
        suspension_allowed=True,
        max_suspension_days=60,
        extension_allowed=True,
        max_extension_days=30,
    )
    received = catalogue.add_status_type(
        version=draft,
        by=admin,
        name="Ontvangen",
        informs_customer=True,
        messages={
            "nl": {
                "subject": "Uw aanvraag {{ zaak.nummer }}",
                "body": "Beste {{ klant.naam }}, we ontvingen uw aanvraag.",
            },
            "fr": {
                "subject": "Votre demande {{ zaak.nummer }}",
                "body": "Bonjour {{ klant.naam }}, nous avons reçu votre demande.",
            },
        },
    )
    catalogue.add_checklist_item(status=received, by=admin, description="Volledigheid nakijken")
    in_treatment = catalogue.add_status_type(version=draft, by=admin, name="In behandeling")
    catalogue.add_status_type(version=draft, by=admin, name="Afgehandeld")
    catalogue.set_transitions(status=received, by=admin, next_statuses=[in_treatment])
    catalogue.add_role_type(version=draft, by=admin, kind=RoleKind.INITIATOR, name="Aanvrager")
    catalogue.add_role_type(version=draft, by=admin, kind=RoleKind.SUBJECT, name="Betrokkene")
    catalogue.add_attribute(
        version=draft, by=admin, code="oppervlakte", label="Oppervlakte (m²)", kind="number", min_value=0
    )
    catalogue.add_attribute(version=draft, by=admin, code="beslissing", label="Datum beslissing", kind="date")
    catalogue.add_attribute(
        version=draft,
        by=admin,
        code="soort",
        label="Soort",
        kind="choice",
        choices=["bouwen", "verbouwen"],
        required=True,
    )
    catalogue.add_result_type(
        version=draft, by=admin, name="Vergund", archival_nomination="keep", retention_years=20
    )
    catalogue.add_result_type(
        version=draft,
        by=admin,
        name="Geweigerd",
        archival_nomination="destroy",
        retention_years=10,
        retention_start="attribute",
        retention_attribute="beslissing",
    )
    return catalogue.publish_version(version=draft, by=admin)


@pytest.fixture
def permit_version(admin: User, omgeving: Department) -> CaseTypeVersion:
    return build_case_type(admin, omgeving)


@pytest.fixture
def permit_type(permit_version: CaseTypeVersion) -> CaseType:
    return permit_version.case_type


@pytest.fixture
def applicant(db) -> Party:
    party, _ = register_party(
        kind="person", by=None, given_name="An", family_name="Peeters", preferred_language="fr"
    )
    add_contact_point(party=party, kind="email", value="an.peeters@example.be", by=None)
    return party
