import pytest
from django.test import Client

from balie.cases.tests.conftest import admin, applicant, permit_type, permit_version, team_lead  # noqa: F401
from balie.parties.actions import add_address, party_of_account, sign_in_with_national_number
from balie.parties.models import Party
from balie.portal import oidc
from balie.portal.adapters.demo_oidc import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DemoOidcProvider, DemoPerson

# Fictional people the demo provider lets sign in (valid INSZ check digits).
JAN = DemoPerson("85073003328", "Jan", "Peeters")
ELS = DemoPerson("90022742191", "Els", "Maes", enterprise_number="0403170701")


@pytest.fixture(scope="session")
def provider():
    with DemoOidcProvider(people=[JAN, ELS]) as running:
        yield running


@pytest.fixture
def government_login(provider, settings):
    settings.BALIE_PORTAL_OIDC_ISSUER = provider.issuer
    settings.BALIE_PORTAL_OIDC_CLIENT_ID = DEMO_CLIENT_ID
    settings.BALIE_PORTAL_OIDC_CLIENT_SECRET = DEMO_CLIENT_SECRET
    oidc.forget_discovery()
    yield provider
    oidc.forget_discovery()


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:
    """The test client speaks plain http (no https redirect); pages link CSS without a manifest."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def citizen(
    national_number: str, given: str, family: str, *, postcode: str = "", enforce_csrf_checks: bool = False
) -> tuple[Client, Party]:
    """A citizen signed in at the e-loket with their national number (their person party is made the
    first time): a test client logged in as them, and their party. With `postcode` they live at
    Kerkstraat 5 there."""
    account = sign_in_with_national_number(
        national_number=national_number, given_name=given, family_name=family
    )
    party = party_of_account(account)
    assert party is not None
    if postcode:
        add_address(
            party=party,
            by=None,
            kind="residence",
            street="Kerkstraat",
            house_number="5",
            postcode=postcode,
            municipality="Zonnedaal",
        )
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(account)
    return client, party


@pytest.fixture
def jan(db) -> tuple[Client, Party]:
    return citizen(JAN.national_number, JAN.given_name, JAN.family_name)


@pytest.fixture
def els(db) -> tuple[Client, Party]:
    return citizen(ELS.national_number, ELS.given_name, ELS.family_name)
