"""A citizen signs in with the government login (the demo provider speaks the real OpenID Connect
protocol on loopback): code flow with PKCE, the national number links the account to the party."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
from axes.models import AccessLog
from django.test import Client
from django.urls import reverse

from balie.accounts.models import AccountKind, User
from balie.parties.actions import register_party
from balie.parties.models import Party

pytestmark = pytest.mark.django_db


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _choose_at_provider(authorize_url: str, **choice: str) -> str:
    """What the citizen's browser does at the provider: open the login page and pick a person.
    Returns where the provider sends the browser back to."""
    url = urllib.parse.urlsplit(authorize_url)
    query = dict(urllib.parse.parse_qsl(url.query))
    with urllib.request.urlopen(authorize_url) as page:  # noqa: S310 - loopback
        assert page.status == 200
    body = urllib.parse.urlencode({**query, **choice}).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(urllib.request.Request(f"{url.scheme}://{url.netloc}{url.path}", data=body))  # noqa: S310
    except urllib.error.HTTPError as error:
        assert error.code == 302
        return error.headers["Location"]
    raise AssertionError("the provider did not send the browser back")


def _sign_in(client: Client, **choice: str) -> str:
    start = client.get(reverse("portal:oidc_start") + "?next=/e-loket/mijn")
    assert start.status_code == 302
    back = _choose_at_provider(start["Location"], **choice)
    return back


def test_a_citizen_signs_in_with_the_government_login_and_gets_an_account_on_their_party(government_login):
    client = Client()
    jan, _ = register_party(
        kind="person", by=None, given_name="Jan", family_name="Peeters", national_number="85073003328"
    )

    start = client.get(reverse("portal:oidc_start") + "?next=/e-loket/mijn")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start["Location"]).query))
    back = _choose_at_provider(start["Location"], person="0")
    response = client.get(back)

    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["scope"] == "openid profile rrn vo" and query["nonce"] and query["state"]
    assert response.status_code == 302 and response["Location"] == "/e-loket/mijn"
    jan.refresh_from_db()
    assert jan.account is not None and jan.account.kind == AccountKind.CITIZEN
    assert client.session["_auth_user_id"] == str(jan.account.pk)
    assert client.session.get_expiry_age() == 30 * 60
    assert AccessLog.objects.filter(username=jan.account.username).count() == 1  # the login is logged
    page = client.get("/e-loket/mijn")
    assert page.status_code == 200 and "Aangemeld als Jan Peeters." in page.content.decode()


def test_the_first_login_of_an_unknown_person_registers_them_once(government_login):
    for _ in range(2):
        client = Client()
        client.get(
            _sign_in(client, person="typed", rrn="90.02.27-421.91", given_name="Els", family_name="Maes")
        )

    parties = Party.objects.filter(national_number="90022742191")
    assert parties.count() == 1
    assert parties.get().display_name == "Maes Els"
    assert User.objects.filter(kind=AccountKind.CITIZEN).count() == 1


def test_a_callback_with_another_state_is_refused_and_nobody_is_signed_in(government_login):
    client = Client()
    back = _sign_in(client, person="0")
    forged = back.replace("state=", "state=x")

    response = client.get(forged)

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(kind=AccountKind.CITIZEN).exists()


def test_a_replayed_callback_is_refused(government_login):
    client = Client()
    back = _sign_in(client, person="0")
    assert client.get(back).status_code == 302
    client.post(reverse("portal:logout"))

    replay = client.get(back)

    assert replay.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_code_stolen_into_another_browser_is_refused(government_login):
    victim, thief = Client(), Client()
    back = _sign_in(victim, person="0")
    thief.get(reverse("portal:oidc_start"))  # the thief has a session of their own, with their own state

    response = thief.get(back)

    assert response.status_code == 400
    assert "_auth_user_id" not in thief.session


def test_an_id_token_from_another_provider_is_refused(government_login, settings):
    from balie.portal import oidc
    from balie.portal.adapters.demo_oidc import DemoOidcProvider
    from balie.portal.tests.conftest import JAN

    client = Client()
    back = _sign_in(client, person="0")
    with DemoOidcProvider(people=[JAN]) as impostor:
        # the token endpoint answers, but the keys are the impostor's: the signature fails
        oidc.forget_discovery()
        document = oidc.discovery()
        oidc._discovery_cache[settings.BALIE_PORTAL_OIDC_ISSUER.rstrip("/")] = (
            float("inf"),
            {**document, "jwks_uri": impostor.url + "/op/v1/keys"},
        )
        response = client.get(back)

    assert response.status_code == 400
    assert not User.objects.filter(kind=AccountKind.CITIZEN).exists()


def test_a_person_acting_for_an_enterprise_sees_it_as_proven(government_login):
    client = Client()
    organisation, _ = register_party(
        kind="organisation", by=None, name="Bakkerij Maes", enterprise_number="0403170701"
    )

    client.get(_sign_in(client, person_for="1"))
    page = client.get("/e-loket/mijn").content.decode()

    assert "Bakkerij Maes" in page
    switched = client.post(reverse("portal:act_for"), {"party": str(organisation.uuid)})
    assert switched.status_code == 302
    assert "Els, u handelt nu voor Bakkerij Maes" in client.get("/e-loket/mijn").content.decode()


def test_a_citizen_cannot_act_for_an_organisation_they_do_not_represent(government_login):
    client = Client()
    other, _ = register_party(
        kind="organisation", by=None, name="Garage Janssens", enterprise_number="0202239951"
    )
    client.get(_sign_in(client, person="0"))

    client.post(reverse("portal:act_for"), {"party": str(other.uuid)})

    assert "portal_acting_for" not in client.session
    assert "Garage Janssens" not in client.get("/e-loket/mijn").content.decode()


def test_without_a_configured_provider_the_government_login_is_not_offered(settings):
    settings.BALIE_PORTAL_OIDC_ISSUER = ""
    client = Client()

    page = client.get(reverse("portal:login")).content.decode()

    assert "Aanmelden met eID of itsme" not in page
    assert client.get(reverse("portal:oidc_start")).status_code == 503
