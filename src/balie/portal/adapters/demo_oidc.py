"""A demo of the Flemish government login (ACM/IDM) on loopback: an OpenID Connect provider that
speaks the real protocol, for `balie demo` and the tests.

- `/.well-known/openid-configuration`: the discovery document;
- `/op/v1/auth`: the login page; instead of an eID reader it lists fictional persons (and takes a
  national number typed in), then sends the browser back with a one-time code;
- `/op/v1/token`: client_secret_basic (or _post), the code once, the PKCE verifier (S256 or plain);
  answers with an RS256-signed ID token carrying `rrn`, `given_name`, `family_name` and, for
  someone who chose to act for an enterprise, `vo_doelgroepcode` "EA" and `vo_orgcode`;
- `/op/v1/keys`: the JWKS with the public key.

A code lives 60 seconds and is used once; the key pair is made when the provider starts.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from balie.core.loopback import LoopbackServer

DEMO_CLIENT_ID = "balie-e-loket-demo"
DEMO_CLIENT_SECRET = "demo-geheim-e-loket"  # noqa: S105 - the demo's, printed in its docs
CODE_LIFETIME_SECONDS = 60
TOKEN_LIFETIME_SECONDS = 300


@dataclass(frozen=True)
class DemoPerson:
    national_number: str
    given_name: str
    family_name: str
    enterprise_number: str = ""  # shown as "act for <enterprise>" as well


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    method: str
    nonce: str
    person: DemoPerson
    organisation: str
    expires: float


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        if url.path in ("/.well-known/openid-configuration", "/op/.well-known/openid-configuration"):
            self._json(200, self.server.discovery())
        elif url.path == "/op/v1/keys":
            self._json(200, dict(self.server.jwks))
        elif url.path == "/op/v1/auth":
            self._login_page(query)
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path == "/op/v1/auth":
            self._choose(self._form())
        elif path == "/op/v1/token":
            self._token(self._form())
        else:
            self._send(404, b"not found", "text/plain")

    # -- the login page -------------------------------------------------------------------------

    def _request_error(self, query: dict[str, str]) -> str:
        if query.get("response_type") != "code":
            return "unsupported_response_type"
        if query.get("client_id") != self.server.client_id:
            return "unauthorized_client"
        if not query.get("redirect_uri", "").startswith(("http://", "https://")):
            return "invalid_request"
        if "openid" not in query.get("scope", "").split():
            return "invalid_scope"
        if query.get("code_challenge_method", "plain") not in ("S256", "plain") or not query.get(
            "code_challenge"
        ):
            return "invalid_request"
        return ""

    def _login_page(self, query: dict[str, str]) -> None:
        error = self._request_error(query)
        if error:
            self._send(400, f"Ongeldige aanvraag: {error}".encode(), "text/plain; charset=utf-8")
            return
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        people = []
        for index, person in enumerate(self.server.people):
            label = f"{person.given_name} {person.family_name}"
            people.append(
                f'<li><button name="person" value="{index}">{html.escape(label)}</button>'
                + (
                    f' <button name="person_for" value="{index}">{html.escape(label)} voor onderneming '
                    f"{html.escape(person.enterprise_number)}</button>"
                    if person.enterprise_number
                    else ""
                )
                + "</li>"
            )
        page = (
            '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Aanmelden bij de Vlaamse overheid (demo)</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;"
            "line-height:1.5;color:#1a1a1a}button{font:inherit;padding:.6rem 1rem;margin:.2rem 0;"
            "border:2px solid #05c;background:#fff;color:#05c;border-radius:4px;cursor:pointer}"
            "button:focus{outline:3px solid #fc0}label{display:block;margin-top:.8rem}"
            "input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}ul{padding:0;list-style:none}"
            ".demo{background:#fff4cc;padding:.5rem 1rem;border-left:4px solid #c90}</style></head><body>"
            "<h1>Aanmelden bij de Vlaamse overheid</h1>"
            '<p class="demo">Demo: geen eID of itsme nodig. Kies een fictieve persoon.</p>'
            f'<form method="post" action="/op/v1/auth">{hidden}'
            f"<h2>Fictieve personen</h2><ul>{''.join(people)}</ul>"
            "<h2>Een ander rijksregisternummer</h2>"
            '<label for="rrn">Rijksregisternummer</label>'
            '<input id="rrn" name="rrn" inputmode="numeric" autocomplete="off">'
            '<label for="given_name">Voornaam</label><input id="given_name" name="given_name">'
            '<label for="family_name">Familienaam</label><input id="family_name" name="family_name">'
            '<p><button name="person" value="typed">Aanmelden</button></p></form></body></html>'
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _choose(self, form: dict[str, str]) -> None:
        error = self._request_error(form)
        if error:
            self._send(400, f"Ongeldige aanvraag: {error}".encode(), "text/plain; charset=utf-8")
            return
        organisation = ""
        if form.get("person") == "typed":
            digits = "".join(c for c in form.get("rrn", "") if c.isdigit())
            if len(digits) != 11:
                self._send(400, b"Een rijksregisternummer heeft 11 cijfers.", "text/plain; charset=utf-8")
                return
            person = DemoPerson(
                digits, form.get("given_name", "").strip(), form.get("family_name", "").strip()
            )
        else:
            chosen = form.get("person") or form.get("person_for") or ""
            try:
                person = self.server.people[int(chosen)]
            except (ValueError, IndexError):
                self._send(400, b"Kies een persoon.", "text/plain; charset=utf-8")
                return
            if form.get("person_for"):
                organisation = person.enterprise_number
        code = secrets.token_urlsafe(24)
        with self.server.lock:
            self.server.grants[code] = _Grant(
                client_id=form["client_id"],
                redirect_uri=form["redirect_uri"],
                challenge=form["code_challenge"],
                method=form.get("code_challenge_method", "plain"),
                nonce=form.get("nonce", ""),
                person=person,
                organisation=organisation,
                expires=time.monotonic() + CODE_LIFETIME_SECONDS,
            )
        back = {"code": code, "state": form.get("state", "")}
        separator = "&" if "?" in form["redirect_uri"] else "?"
        self._send(
            302,
            b"",
            "text/plain",
            {"Location": form["redirect_uri"] + separator + urllib.parse.urlencode(back)},
        )

    # -- the token endpoint ---------------------------------------------------------------------

    def _client(self, form: dict[str, str]) -> tuple[str, str]:
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return "", ""
            return urllib.parse.unquote(client_id), urllib.parse.unquote(secret)
        return form.get("client_id", ""), form.get("client_secret", "")

    def _token(self, form: dict[str, str]) -> None:
        client_id, secret = self._client(form)
        if client_id != self.server.client_id or not secrets.compare_digest(
            secret, self.server.client_secret
        ):
            self._json(401, {"error": "invalid_client"})
            return
        if form.get("grant_type") != "authorization_code":
            self._json(400, {"error": "unsupported_grant_type"})
            return
        with self.server.lock:
            grant = self.server.grants.pop(form.get("code", ""), None)  # once
        if grant is None or grant.expires < time.monotonic() or grant.client_id != client_id:
            self._json(400, {"error": "invalid_grant"})
            return
        if form.get("redirect_uri") != grant.redirect_uri:
            self._json(400, {"error": "invalid_grant", "error_description": "redirect_uri"})
            return
        verifier = form.get("code_verifier", "")
        if grant.method == "S256":
            digest = hashlib.sha256(verifier.encode()).digest()
            computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        else:
            computed = verifier
        if not verifier or not secrets.compare_digest(computed, grant.challenge):
            self._json(400, {"error": "invalid_grant", "error_description": "code_verifier"})
            return
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.server.issuer,
            "sub": hashlib.sha256(grant.person.national_number.encode()).hexdigest()[:32],
            "aud": client_id,
            "iat": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "nonce": grant.nonce,
            "rrn": grant.person.national_number,
            "given_name": grant.person.given_name,
            "family_name": grant.person.family_name,
            "acr": "urn:be:vlaanderen:authmech:eid",
        }
        if grant.organisation:
            claims.update({"vo_doelgroepcode": "EA", "vo_orgcode": grant.organisation})
        token = jwt.encode({"alg": "RS256", "kid": self.server.key_id}, claims, self.server.key)
        self._json(
            200,
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME_SECONDS,
                "id_token": token,
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], client_id: str, client_secret: str, people: list[DemoPerson]
    ) -> None:
        super().__init__(address, _Handler)
        self.client_id, self.client_secret = client_id, client_secret
        self.people = people
        self.lock = threading.Lock()
        self.grants: dict[str, _Grant] = {}
        self.key_id = secrets.token_hex(8)
        self.key = RSAKey.generate_key(2048, parameters={"kid": self.key_id, "use": "sig", "alg": "RS256"})
        self.jwks = KeySet([self.key]).as_dict(private=False)
        host, port = self.server_address[:2]
        self.issuer = f"http://{host!s}:{port}/op"

    def discovery(self) -> dict[str, Any]:
        base = self.issuer.removesuffix("/op")
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{base}/op/v1/auth",
            "token_endpoint": f"{base}/op/v1/token",
            "jwks_uri": f"{base}/op/v1/keys",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256", "plain"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "rrn", "vo"],
        }

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class DemoOidcProvider(LoopbackServer):
    """The demo provider on `host` (port 0: any free port), in a background thread. Its issuer is
    `<url>/op`, as the real one's is `https://authenticatie.vlaanderen.be/op`; its discovery
    document is served at `<url>/.well-known/openid-configuration` and at the issuer's."""

    _server: _Server

    def __init__(
        self,
        *,
        people: list[DemoPerson],
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
    ) -> None:
        super().__init__(_Server((host, port), client_id, client_secret, people), name="demo-oidc")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def issuer(self) -> str:
        return self._server.issuer
