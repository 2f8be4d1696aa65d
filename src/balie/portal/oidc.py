"""The e-loket's OpenID Connect client for the Flemish government login (ACM/IDM).

Authorisation code flow with PKCE (S256), a `state` against cross-site request forgery and a
`nonce` against a replayed ID token, both kept in the citizen's session. The ID token is an RS256
JWT checked against the provider's published keys (JWKS): signature, issuer, audience, expiry and
nonce. The claims Balie uses: `rrn` (the national number, scope `rrn`), `given_name` and
`family_name` (scope `profile`), and for someone acting for an enterprise `vo_doelgroepcode`
"EA" with `vo_orgcode` (scope `vo`).

The provider is found through its discovery document (`<issuer>/.well-known/openid-configuration`);
the demo provider (`adapters/demo_oidc.py`) speaks the same protocol on loopback.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

TIMEOUT_SECONDS = 10
_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}
DISCOVERY_TTL_SECONDS = 3600


class LoginError(Exception):
    """The login did not succeed; the message is for the log, the citizen sees a plain Dutch one."""


@dataclass(frozen=True)
class LoginRequest:
    url: str  # where to send the browser
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class Identity:
    subject: str
    national_number: str
    given_name: str
    family_name: str
    organisation_code: str  # vo_orgcode when the person acts for an enterprise (target group EA)
    claims: dict[str, Any]


def is_configured() -> bool:
    return bool(settings.BALIE_PORTAL_OIDC_ISSUER.strip() and settings.BALIE_PORTAL_OIDC_CLIENT_ID.strip())


def _get_json(url: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return dict(json.loads(response.read()))
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise LoginError(f"{url}: {error}") from error


def discovery() -> dict[str, Any]:
    issuer = settings.BALIE_PORTAL_OIDC_ISSUER.rstrip("/")
    cached = _discovery_cache.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    document = _get_json(f"{issuer}/.well-known/openid-configuration")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(key):
            raise LoginError(f"discovery document of {issuer} lacks {key}")
    _discovery_cache[issuer] = (time.monotonic() + DISCOVERY_TTL_SECONDS, document)
    return document


def forget_discovery() -> None:
    _discovery_cache.clear()


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def start_login(*, redirect_uri: str) -> LoginRequest:
    """Where to send the browser to log in, and what to keep in the session until it comes back."""
    document = discovery()
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    query = {
        "response_type": "code",
        "client_id": settings.BALIE_PORTAL_OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": settings.BALIE_PORTAL_OIDC_SCOPES,
        "state": state,
        "nonce": nonce,
        "code_challenge": _s256(verifier),
        "code_challenge_method": "S256",
    }
    separator = "&" if "?" in document["authorization_endpoint"] else "?"
    url = f"{document['authorization_endpoint']}{separator}{urllib.parse.urlencode(query)}"
    return LoginRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)


def _exchange(*, code: str, redirect_uri: str, code_verifier: str) -> dict[str, Any]:
    document = discovery()
    body = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
    ).encode()
    credentials = f"{settings.BALIE_PORTAL_OIDC_CLIENT_ID}:{settings.BALIE_PORTAL_OIDC_CLIENT_SECRET}"
    request = urllib.request.Request(  # noqa: S310
        document["token_endpoint"],
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode("utf-8", "replace")
        raise LoginError(f"token endpoint answered {error.code}: {detail}") from error
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise LoginError(f"token endpoint: {error}") from error


def _verify_id_token(token: str, *, nonce: str) -> dict[str, Any]:
    document = discovery()
    keys = KeySet.import_key_set(_get_json(document["jwks_uri"]))  # type: ignore[arg-type]
    try:
        decoded = jwt.decode(token, keys, algorithms=["RS256"])
    except (JoseError, ValueError) as error:
        raise LoginError(f"ID token signature: {error}") from error
    claims = dict(decoded.claims)
    issuer = document.get("issuer") or settings.BALIE_PORTAL_OIDC_ISSUER
    now = time.time()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    problems = [
        "issuer" if claims.get("iss") != issuer else "",
        "audience" if settings.BALIE_PORTAL_OIDC_CLIENT_ID not in audiences else "",
        "expired" if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - 60 else "",
        "issued in the future"
        if isinstance(claims.get("iat"), int | float) and claims["iat"] > now + 60
        else "",
        "nonce" if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce) else "",
    ]
    if any(problems):
        raise LoginError("ID token rejected: " + ", ".join(p for p in problems if p))
    return claims


def finish_login(
    *, code: str, state: str, expected_state: str, nonce: str, code_verifier: str, redirect_uri: str
) -> Identity:
    """The browser came back with a code: check the state, exchange the code, check the ID token."""
    if not expected_state or not secrets.compare_digest(state, expected_state):
        raise LoginError("state does not match the session")
    if not code:
        raise LoginError("no code")
    answer = _exchange(code=code, redirect_uri=redirect_uri, code_verifier=code_verifier)
    token = answer.get("id_token")
    if not isinstance(token, str):
        raise LoginError("no ID token in the answer")
    claims = _verify_id_token(token, nonce=nonce)
    national_number = str(claims.get("rrn") or "")
    if not national_number:
        raise LoginError("the ID token carries no rrn claim (scope rrn)")
    organisation = str(claims.get("vo_orgcode") or "") if claims.get("vo_doelgroepcode") == "EA" else ""
    return Identity(
        subject=str(claims.get("sub", "")),
        national_number=national_number,
        given_name=str(claims.get("given_name", "")),
        family_name=str(claims.get("family_name", "")),
        organisation_code=organisation,
        claims=claims,
    )
