import pytest

# The case engine's fixtures (a published case type, a team lead, an applicant).
from balie.cases.tests.conftest import admin, applicant, permit_type, permit_version, team_lead  # noqa: F401
from balie.contact_moments.actions import create_topic
from balie.parties.actions import add_address, register_party


@pytest.fixture
def jan(front_desk):
    party, _ = register_party(
        kind="person", given_name="Jan", family_name="Peeters", national_number="85073003328", by=front_desk
    )
    add_address(
        party=party,
        kind="residence",
        street="Kerkstraat",
        house_number="1",
        postcode="2645",
        municipality="Zonnedaal",
        by=front_desk,
    )
    return party


@pytest.fixture
def topic(omgeving):
    return create_topic(name="Afvalophaling", department=omgeving, by=None)
