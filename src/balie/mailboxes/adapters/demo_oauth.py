"""A demo of the Microsoft identity platform's client-credentials token endpoint for IMAP on
loopback (`POST /{tenant}/oauth2/v2.0/token`, scope `https://outlook.office365.com/.default`), plus
the OAuth2 token introspection (RFC 7662, `POST /introspect` with `token=…`) that Dovecot's
`oauth2` passdb asks, so that a real IMAP server accepts exactly the tokens this service issued,
for the mailboxes the app registration was granted, until they expire or are revoked."""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer

SCOPE = "https://outlook.office365.com/.default"
MAX_BODY = 100_000


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MAX_BODY)).decode(errors="replace")
        return {key: values[0] for key, values in urllib.parse.parse_qs(body).items()}

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        form = self._form()
        if path.endswith("/oauth2/v2.0/token"):
            self._token(form)
        elif path == "/introspect":
            self._introspect(form)
        else:
            self._send(404, {"error": "not_found"})

    def _token(self, form: dict[str, str]) -> None:
        server = self.server
        with server.lock:
            server.token_requests += 1
            if server.faults:
                status = server.faults.pop(0)
                self._send(status, {"error": "temporarily_unavailable"})
                return
        if form.get("grant_type") != "client_credentials":
            self._send(400, {"error": "unsupported_grant_type"})
        elif (form.get("client_id"), form.get("client_secret")) != (server.client_id, server.client_secret):
            self._send(401, {"error": "invalid_client"})
        elif form.get("scope") != SCOPE:
            self._send(400, {"error": "invalid_scope"})
        else:
            token = secrets.token_urlsafe(32)
            with server.lock:
                server.tokens[token] = time.time() + server.lifetime
            self._send(200, {"token_type": "Bearer", "expires_in": server.lifetime, "access_token": token})

    def _introspect(self, form: dict[str, str]) -> None:
        server = self.server
        token = form.get("token", "")
        with server.lock:
            expires = server.tokens.get(token)
        if expires is None or expires < time.time():
            self._send(200, {"active": False})
            return
        # An app-only token is good for the mailboxes the app was granted (Exchange RBAC): the
        # demo grants one, the IMAP login's user.
        self._send(200, {"active": True, "username": server.mailbox, "exp": int(expires)})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], client_id: str, client_secret: str, mailbox: str, lifetime: int
    ) -> None:
        super().__init__(address, _Handler)
        self.client_id, self.client_secret, self.mailbox = client_id, client_secret, mailbox
        self.lock = threading.Lock()
        self.tokens: dict[str, float] = {}
        self.lifetime = lifetime
        self.faults: list[int] = []
        self.token_requests = 0


class DemoTokenService(LoopbackServer):
    """`with DemoTokenService(mailbox="info@…") as service: service.token_url`; its tokens live
    `lifetime` seconds."""

    _server: _Server

    def __init__(
        self,
        *,
        mailbox: str,
        port: int = 0,
        client_id: str = "balie-demo-imap",
        client_secret: str = "demo-imap-geheim",  # noqa: S107 - the demo's own
        tenant: str = "zonnedaal",
        lifetime: int = 3599,
    ) -> None:
        super().__init__(
            _Server(("127.0.0.1", port), client_id, client_secret, mailbox, lifetime), name="demo-imap-oauth"
        )
        self.client_id, self.client_secret, self.tenant = client_id, client_secret, tenant

    @property
    def token_url(self) -> str:
        return f"{self.url}/{self.tenant}/oauth2/v2.0/token"

    @property
    def introspection_url(self) -> str:
        return f"{self.url}/introspect"

    @property
    def token_requests(self) -> int:
        with self._server.lock:
            return self._server.token_requests

    def revoke_tokens(self) -> None:
        with self._server.lock:
            self._server.tokens.clear()

    def fail_next(self, *statuses: int) -> None:
        with self._server.lock:
            self._server.faults.extend(statuses)
