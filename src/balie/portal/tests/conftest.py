import pytest

from balie.cases.tests.conftest import admin, applicant, permit_type, permit_version, team_lead  # noqa: F401
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
