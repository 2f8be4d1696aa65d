"""Access tokens from an OAuth2 client-credentials grant (RFC 6749 §4.4), kept until shortly before
they expire.

`POST {token URL}` with `grant_type=client_credentials`, `client_id`, `client_secret` and `scope`,
form-encoded (the Microsoft identity platform's way: the secret in the body). With
`basic_auth=True` the client id and secret go in HTTP Basic auth instead, each form-urlencoded
(RFC 6749 §2.3.1; the eBox's way), and the body keeps only `grant_type` and `scope`. An empty scope
is left out.
A `TokenCache` keeps one token per token URL, client id and scope until `margin` seconds (a
minute) before its `expires_in`; a token that lives less than twice the margin is kept for half its
life. Threads share a cache safely, and threads asking for the same missing token wait for one
request instead of each sending their own. `fresh=True` asks a new token (one the server refused).

An endpoint that cannot be reached, answers other than 200, or answers 200 without a usable token
raises `TokenError`, which names the status and the endpoint's error code, never the secret.
"""

from __future__ import annotations

import base64
import http.client
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

MARGIN = 60.0
DEFAULT_LIFETIME = 3600.0
MAX_ANSWER = 100_000
USER_AGENT = "Balie-OAuth/1.0"


class TokenError(Exception):
    """No access token. `status` is None when the endpoint could not be reached (`description` then
    says why); otherwise `code` and `description` are the endpoint's `error` and
    `error_description` (or the start of an answer that is not JSON)."""

    def __init__(
        self, message: str, *, status: int | None = None, code: str = "", description: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.description = description

    @property
    def reason(self) -> str:
        """`code: description`, either part left out when empty."""
        return f"{self.code}: {self.description}".strip(": ")


@dataclass(frozen=True)
class ClientCredentials:
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str
    basic_auth: bool = False  # client id and secret in HTTP Basic auth, not in the form

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.token_url, self.client_id, self.scope)


def _error_of(answer: bytes) -> tuple[dict[str, Any], str, str]:
    """The answer as a JSON object (or `{}`), its error code and its description. Besides OAuth's
    `{"error": "…", "error_description": "…"}` it reads Graph's `{"error": {"code", "message"}}`."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return {}, "", answer[:200].decode(errors="replace").strip()
    if not isinstance(data, dict):
        return {}, "", ""
    error = data.get("error")
    if isinstance(error, dict):
        return data, str(error.get("code", "")), str(error.get("message", ""))
    return data, str(error or ""), str(data.get("error_description") or "")


def _lifetime(data: dict[str, Any]) -> float | None:
    """`expires_in` in seconds (a number, or digits in a string as older endpoints send it)."""
    value = data.get("expires_in", DEFAULT_LIFETIME)
    if isinstance(value, bool):
        return None
    try:
        lifetime = float(value)
    except (TypeError, ValueError):
        return None
    return lifetime if 0 < lifetime < float("inf") else None


def request_token(
    credentials: ClientCredentials, *, timeout: float, user_agent: str = USER_AGENT
) -> tuple[str, float]:
    """One request to the token endpoint: the access token and its lifetime in seconds."""
    fields = {"grant_type": "client_credentials"}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "User-Agent": user_agent,
    }
    if credentials.basic_auth:
        user = urllib.parse.quote(credentials.client_id, safe="")
        password = urllib.parse.quote(credentials.client_secret, safe="")
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    else:
        fields |= {"client_id": credentials.client_id, "client_secret": credentials.client_secret}
    if credentials.scope:
        fields["scope"] = credentials.scope
    request = urllib.request.Request(  # noqa: S310 - the configured https URL
        credentials.token_url, data=urllib.parse.urlencode(fields).encode(), method="POST", headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, answer = int(response.status), response.read(MAX_ANSWER)
    except urllib.error.HTTPError as error:
        with error:
            status, answer = int(error.code), error.read(MAX_ANSWER)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = str(getattr(error, "reason", None) or error)
        raise TokenError(f"token endpoint unreachable: {reason}", description=reason) from error
    data, code, description = _error_of(answer)
    if status != 200:
        raise TokenError(
            f"token endpoint answered {status} {code[:100]}".strip(),
            status=status,
            code=code,
            description=description,
        )
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise TokenError("token endpoint answered 200 without an access token", status=status)
    lifetime = _lifetime(data)
    if lifetime is None:
        raise TokenError("token endpoint answered 200 with an invalid expires_in", status=status)
    return token, lifetime


class TokenCache:
    """Tokens kept per token URL, client id and scope; `token()` asks one only when none is kept."""

    def __init__(self, *, margin: float = MARGIN, user_agent: str = USER_AGENT) -> None:
        self.margin = margin
        self.user_agent = user_agent
        self._lock = threading.Lock()
        # key -> (token, when it came, until when it is used)
        self._tokens: dict[tuple[str, str, str], tuple[str, float, float]] = {}
        self._requesting: dict[tuple[str, str, str], threading.Lock] = {}

    def _kept(self, key: tuple[str, str, str], *, since: float | None = None) -> str | None:
        """The kept token that is still to be used (and came after `since`, when given)."""
        with self._lock:
            kept = self._tokens.get(key)
        if kept is None or kept[2] <= time.monotonic() or (since is not None and kept[1] < since):
            return None
        return kept[0]

    def _keep_for(self, lifetime: float) -> float:
        return lifetime - self.margin if lifetime > 2 * self.margin else lifetime / 2

    def token(self, credentials: ClientCredentials, *, timeout: float, fresh: bool = False) -> str:
        """The kept token, or a new one when none is kept, it is about to expire, or `fresh`."""
        key = credentials.key
        asked_at = time.monotonic()
        if not fresh and (kept := self._kept(key)):
            return kept
        with self._lock:
            requesting = self._requesting.setdefault(key, threading.Lock())
        with requesting:
            # A token another thread got while this one waited will do, even when asked `fresh`.
            if kept := self._kept(key, since=asked_at if fresh else None):
                return kept
            token, lifetime = request_token(credentials, timeout=timeout, user_agent=self.user_agent)
            now = time.monotonic()
            with self._lock:
                self._tokens[key] = (token, now, now + self._keep_for(lifetime))
            return token

    def forget(self, credentials: ClientCredentials | None = None) -> None:
        """Forget the token of `credentials`, or every token."""
        with self._lock:
            if credentials is None:
                self._tokens.clear()
            else:
                self._tokens.pop(credentials.key, None)
