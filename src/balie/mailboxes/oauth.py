"""IMAP with OAuth2, as Microsoft 365 asks since it turned basic authentication off.

- The access token comes from the OAuth2 client-credentials grant of the municipality's app
  registration: `POST {token URL}` with `grant_type=client_credentials`, `client_id`, the client
  secret (from the environment variable the mailbox names, never the database) and
  `scope=https://outlook.office365.com/.default`, form-encoded. It is kept until a minute before it
  expires.
- The IMAP login is SASL XOAUTH2 (`user=<mailbox>^Aauth=Bearer <token>^A^A`). A refused login
  forgets the token and tries once more with a new one (a token revoked before it expired).
- Settings: `BALIE_MAIL_OAUTH_TOKEN_URL` (default: the Microsoft identity platform's v2.0 token
  endpoint of `BALIE_GRAPH_TENANT`), `BALIE_MAIL_OAUTH_CLIENT_ID` (default: `BALIE_GRAPH_CLIENT_ID`)
  and `BALIE_MAIL_OAUTH_SCOPE`.

`adapters.demo_oauth.DemoTokenService` speaks the same protocol on loopback, and answers Dovecot's
token introspection, so that the tests log in to a real IMAP server with a real token.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

logger = logging.getLogger("balie.mailboxes")

TOKEN_MARGIN = 60.0
MAX_ANSWER = 100_000
USER_AGENT = "Balie-IMAP-OAuth/1.0"


class TokenError(Exception):
    """No access token: the identity platform refused or could not be reached (never the secret)."""


_tokens: dict[tuple[str, str, str], tuple[str, float]] = {}
_lock = threading.Lock()


def token_url() -> str:
    configured = str(settings.BALIE_MAIL_OAUTH_TOKEN_URL).strip()
    if configured:
        return configured
    return f"https://login.microsoftonline.com/{settings.BALIE_GRAPH_TENANT}/oauth2/v2.0/token"


def client_id() -> str:
    return str(settings.BALIE_MAIL_OAUTH_CLIENT_ID or settings.BALIE_GRAPH_CLIENT_ID)


def access_token(secret: str, *, fresh: bool = False) -> str:
    """A token for IMAP; the one kept, unless `fresh` or it is about to expire."""
    url, cid, scope = token_url(), client_id(), str(settings.BALIE_MAIL_OAUTH_SCOPE)
    key = (url, cid, scope)
    with _lock:
        kept = _tokens.get(key)
        if kept and kept[1] > time.monotonic() and not fresh:
            return kept[0]
    form = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": cid, "client_secret": secret, "scope": scope}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the configured https URL
        url,
        data=form,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=float(settings.BALIE_MAIL_IMAP_TIMEOUT)) as response:  # noqa: S310
            status, answer = int(response.status), response.read(MAX_ANSWER)
    except urllib.error.HTTPError as error:
        status, answer = int(error.code), error.read(MAX_ANSWER)
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        raise TokenError(f"token endpoint unreachable: {getattr(error, 'reason', None) or error}") from error
    try:
        data: Any = json.loads(answer or b"{}")
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    token = str(data.get("access_token") or "")
    try:
        lifetime = float(data.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 0.0
    if status != 200 or not token:
        raise TokenError(f"token endpoint answered {status} {str(data.get('error', ''))[:100]}".strip())
    with _lock:
        _tokens[key] = (token, time.monotonic() + max(lifetime - TOKEN_MARGIN, 1.0))
    return token


def login(client: IMAPClient, user: str, secret: str) -> None:
    """SASL XOAUTH2 with a kept token; once more with a new token when the server refuses it."""
    try:
        client.oauth2_login(user, access_token(secret))
    except IMAPClientError:
        logger.info("imap oauth2 token refused, asking a new one")
        client.oauth2_login(user, access_token(secret, fresh=True))


def forget_tokens() -> None:
    with _lock:
        _tokens.clear()
