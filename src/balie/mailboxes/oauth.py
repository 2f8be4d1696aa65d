"""IMAP with OAuth2, as Microsoft 365 asks since it turned basic authentication off.

- The access token comes from the OAuth2 client-credentials grant of the municipality's app
  registration: `POST {token URL}` with `grant_type=client_credentials`, `client_id`, the client
  secret (from the environment variable the mailbox names, never the database) and
  `scope=https://outlook.office365.com/.default`, form-encoded. It is kept until a minute before it
  expires (`balie.core.oauth`).
- The IMAP login is SASL XOAUTH2 (`user=<mailbox>^Aauth=Bearer <token>^A^A`). A refused login
  forgets the token and tries once more with a new one (a token revoked before it expired).
- Settings: `BALIE_MAIL_OAUTH_TOKEN_URL` (default: the Microsoft identity platform's v2.0 token
  endpoint of `BALIE_GRAPH_TENANT`), `BALIE_MAIL_OAUTH_CLIENT_ID` (default: `BALIE_GRAPH_CLIENT_ID`)
  and `BALIE_MAIL_OAUTH_SCOPE`.

`adapters.demo_oauth.DemoTokenService` speaks the same protocol on loopback, and answers Dovecot's
token introspection, so that the tests log in to a real IMAP server with a real token.
"""

from __future__ import annotations

import logging

from django.conf import settings
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from balie.core.oauth import ClientCredentials, TokenCache, TokenError

__all__ = ["TokenError", "access_token", "client_id", "forget_tokens", "login", "token_url"]

logger = logging.getLogger("balie.mailboxes")

_tokens = TokenCache(user_agent="Balie-IMAP-OAuth/1.0")


def token_url() -> str:
    configured = str(settings.BALIE_MAIL_OAUTH_TOKEN_URL).strip()
    if configured:
        return configured
    return f"https://login.microsoftonline.com/{settings.BALIE_GRAPH_TENANT}/oauth2/v2.0/token"


def client_id() -> str:
    return str(settings.BALIE_MAIL_OAUTH_CLIENT_ID or settings.BALIE_GRAPH_CLIENT_ID)


def access_token(secret: str, *, fresh: bool = False) -> str:
    """A token for IMAP; the one kept, unless `fresh` or it is about to expire. Raises `TokenError`
    (from `balie.core.oauth`) when the identity platform refuses or cannot be reached."""
    credentials = ClientCredentials(
        token_url=token_url(),
        client_id=client_id(),
        client_secret=secret,
        scope=str(settings.BALIE_MAIL_OAUTH_SCOPE),
    )
    return _tokens.token(credentials, timeout=float(settings.BALIE_MAIL_IMAP_TIMEOUT), fresh=fresh)


def login(client: IMAPClient, user: str, secret: str) -> None:
    """SASL XOAUTH2 with a kept token; once more with a new token when the server refuses it."""
    try:
        client.oauth2_login(user, access_token(secret))
    except IMAPClientError:
        logger.info("imap oauth2 token refused, asking a new one")
        client.oauth2_login(user, access_token(secret, fresh=True))


def forget_tokens() -> None:
    _tokens.forget()
