"""A Microsoft 365 mailbox logs in with OAuth2: Balie asks the identity platform (the demo, same
protocol) for an app-only token with the client-credentials grant and logs in to a real Dovecot
with SASL XOAUTH2; Dovecot checks the token with the token service's introspection. A revoked
token gets a new one once; a wrong secret or an unreachable token service is a mailbox that is
down (shown, retried later), never a crash, and the secret appears in no error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from balie.mailboxes import oauth
from balie.mailboxes.adapters.demo_oauth import DemoTokenService
from balie.mailboxes.models import IncomingMail, MailboxAuth
from balie.mailboxes.polling import poll_mailbox

from . import corpus
from .conftest import SECRET_SETTING, make_mailbox
from .dovecot import USER, Dovecot

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def token_service() -> Iterator[DemoTokenService]:
    with DemoTokenService(mailbox=USER) as service:
        yield service


@pytest.fixture
def m365(token_service: DemoTokenService) -> Iterator[Dovecot]:
    server = Dovecot(oauth_introspection_url=token_service.introspection_url)
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def oauth_mailbox(omgeving, m365, token_service, settings, monkeypatch):
    settings.BALIE_MAIL_OAUTH_TOKEN_URL = token_service.token_url
    settings.BALIE_MAIL_OAUTH_CLIENT_ID = token_service.client_id
    monkeypatch.setenv(SECRET_SETTING, token_service.client_secret)
    oauth.forget_tokens()
    yield make_mailbox(omgeving, m365, auth=MailboxAuth.OAUTH2)
    oauth.forget_tokens()


def test_a_mailbox_logs_in_with_a_token_and_keeps_it(oauth_mailbox, m365, token_service):
    m365.append(corpus.simple(1, subject="Via OAuth2"), corpus.simple(2, subject="Nog een"))

    first = poll_mailbox(oauth_mailbox)
    m365.append(corpus.simple(3, subject="Later"))
    second = poll_mailbox(oauth_mailbox)

    assert (first.error, first.ingested, second.error, second.ingested) == ("", 2, "", 1)
    assert IncomingMail.objects.count() == 3
    assert token_service.token_requests == 1  # the token was kept for the second poll


def test_a_revoked_token_is_replaced_once(oauth_mailbox, m365, token_service):
    m365.append(corpus.simple(1, subject="Eerst"))
    poll_mailbox(oauth_mailbox)
    token_service.revoke_tokens()
    m365.append(corpus.simple(2, subject="Na het intrekken"))

    result = poll_mailbox(oauth_mailbox)

    assert (result.error, result.ingested) == ("", 1)
    assert token_service.token_requests == 2


def test_a_wrong_secret_or_no_token_service_is_a_mailbox_that_is_down(
    oauth_mailbox, m365, token_service, monkeypatch
):
    m365.append(corpus.simple(1, subject="Wacht"))
    monkeypatch.setenv(SECRET_SETTING, "niet-het-geheim")

    refused = poll_mailbox(oauth_mailbox)
    oauth_mailbox.refresh_from_db()

    assert refused.error.startswith("TokenError") and "401 invalid_client" in refused.error
    assert "niet-het-geheim" not in refused.error
    assert oauth_mailbox.down_since is not None and oauth_mailbox.failures == 1
    assert IncomingMail.objects.count() == 0

    monkeypatch.setenv(SECRET_SETTING, token_service.client_secret)
    token_service.fail_next(503)
    unavailable = poll_mailbox(oauth_mailbox)
    assert unavailable.error.startswith("TokenError") and "503" in unavailable.error

    back = poll_mailbox(oauth_mailbox)
    oauth_mailbox.refresh_from_db()
    assert (back.error, back.ingested) == ("", 1)
    assert oauth_mailbox.down_since is None


def test_dovecot_refuses_a_token_it_did_not_issue(m365, token_service):
    from imapclient import IMAPClient
    from imapclient.exceptions import IMAPClientError

    client = IMAPClient(m365.host, port=m365.port, ssl=False, timeout=10)
    try:
        with pytest.raises(IMAPClientError):
            client.oauth2_login(USER, "een-zelfgemaakt-token")
    finally:
        client.shutdown()
