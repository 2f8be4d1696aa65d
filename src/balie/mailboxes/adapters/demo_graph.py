"""A demo of Microsoft Graph's sendMail on loopback, speaking the same protocol as graph.py
expects from the real service: a client-credentials token endpoint
(`POST /{tenant}/oauth2/v2.0/token`) and `POST /v1.0/users/{user}/sendMail` with a base64 MIME
body. It checks what Graph checks (a valid token, `text/plain`, base64 that decodes to a MIME
message, a From that is the user or left out, a recipient) and keeps what it got
(`GET /demo/messages`, a page at `/`). Tests make it fail the next calls with a status."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import html
import json
import secrets
import threading
import urllib.parse
from dataclasses import dataclass
from email.utils import getaddresses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer

MAX_BODY = 40 * 1024 * 1024
SEND_AS_DENIED = (
    "The user account which was used to submit this request does not have the right to send mail "
    "on behalf of the specified sending account."
)


@dataclass(frozen=True)
class GraphMail:
    user: str
    mime: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        parsed: Any = email.message_from_bytes(self.mime, policy=email.policy.default)
        return parsed


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: bytes = b"", content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: str, message: str) -> None:
        self._send(status, json.dumps({"error": {"code": code, "message": message}}).encode())

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, MAX_BODY))

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        body = self._body()
        fault = self.server.take_fault()
        if fault:
            self._error(fault, "ServiceUnavailable", "demo fault")
            return
        if path.endswith("/oauth2/v2.0/token"):
            self._token(body)
        elif path.startswith("/v1.0/users/") and path.endswith("/sendMail"):
            user = urllib.parse.unquote(path[len("/v1.0/users/") : -len("/sendMail")])
            self._send_mail(user, body)
        else:
            self._error(404, "ResourceNotFound", "Resource not found")

    def _token(self, body: bytes) -> None:
        form = urllib.parse.parse_qs(body.decode(errors="replace"))
        value = {key: values[0] for key, values in form.items()}
        if value.get("grant_type") != "client_credentials":
            self._send(400, json.dumps({"error": "unsupported_grant_type"}).encode())
            return
        if (value.get("client_id"), value.get("client_secret")) != (
            self.server.client_id,
            self.server.client_secret,
        ):
            self._send(401, json.dumps({"error": "invalid_client"}).encode())
            return
        if value.get("scope") != "https://graph.microsoft.com/.default":
            self._send(400, json.dumps({"error": "invalid_scope"}).encode())
            return
        token = secrets.token_urlsafe(24)
        with self.server.lock:
            self.server.tokens.add(token)
        self._send(
            200, json.dumps({"token_type": "Bearer", "expires_in": 3599, "access_token": token}).encode()
        )

    def _send_mail(self, user: str, body: bytes) -> None:
        auth = self.headers.get("Authorization", "")
        with self.server.lock:
            valid = auth.startswith("Bearer ") and auth[7:] in self.server.tokens
        if not valid:
            self._error(401, "InvalidAuthenticationToken", "Access token is empty or invalid.")
            return
        if self.headers.get_content_type() != "text/plain":
            self._error(400, "ErrorMimeContentInvalid", "MIME content must be sent as text/plain.")
            return
        try:
            mime = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            self._error(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.")
            return
        message = email.message_from_bytes(mime, policy=email.policy.default)
        if user.lower() not in self.server.users:
            self._error(404, "ErrorInvalidUser", f"The requested user '{user}' is invalid.")
            return
        senders = [address.lower() for _name, address in getaddresses(message.get_all("From", []))]
        if senders and senders != [user.lower()]:
            self._error(
                403,
                "ErrorSendAsDenied",
                SEND_AS_DENIED,
            )
            return
        if not getaddresses(message.get_all("To", []) + message.get_all("Cc", [])):
            self._error(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")
            return
        with self.server.lock:
            self.server.mails.append(GraphMail(user=user, mime=mime))
        self._send(202)

    def do_GET(self) -> None:
        with self.server.lock:
            mails = list(self.server.mails)
        if self.path.startswith("/demo/messages"):
            data = [
                {
                    "user": mail.user,
                    "messageId": mail.message["Message-ID"],
                    "to": mail.message["To"],
                    "subject": mail.message["Subject"],
                }
                for mail in mails
            ]
            self._send(200, json.dumps(data).encode())
            return
        rows = "".join(
            f"<tr><td>{html.escape(m.user)}</td><td>{html.escape(str(m.message['To']))}</td>"
            f"<td>{html.escape(str(m.message['Subject']))}</td></tr>"
            for m in reversed(mails)
        )
        page = (
            '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Demo Microsoft Graph</title>'
            "<h1>Demo Microsoft Graph: verstuurde e-mails</h1><table><thead><tr><th scope=col>Mailbox</th>"
            f"<th scope=col>Aan</th><th scope=col>Onderwerp</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], client_id: str, client_secret: str) -> None:
        super().__init__(address, _Handler)
        self.client_id = client_id
        self.client_secret = client_secret
        self.lock = threading.Lock()
        self.tokens: set[str] = set()
        self.mails: list[GraphMail] = []
        self.users: set[str] = set()
        self.faults: list[int] = []

    def take_fault(self) -> int:
        with self.lock:
            return self.faults.pop(0) if self.faults else 0


class DemoGraph(LoopbackServer):
    """`with DemoGraph(port=0) as graph: graph.url` — users are the mailboxes it knows."""

    _server: _Server

    def __init__(
        self,
        *,
        port: int = 0,
        client_id: str = "balie-demo",
        client_secret: str = "demo-graph-geheim",  # noqa: S107 - the demo's own
        tenant: str = "zonnedaal",
        users: tuple[str, ...] = (),
    ) -> None:
        super().__init__(_Server(("127.0.0.1", port), client_id, client_secret), name="demo-graph")
        self._server.users = {user.lower() for user in users}
        self.tenant = tenant

    @property
    def token_url(self) -> str:
        return f"{self.url}/{self.tenant}/oauth2/v2.0/token"

    @property
    def mails(self) -> list[GraphMail]:
        with self._server.lock:
            return list(self._server.mails)

    def add_user(self, user: str) -> None:
        with self._server.lock:
            self._server.users.add(user.lower())

    def fail_next(self, *statuses: int) -> None:
        with self._server.lock:
            self._server.faults.extend(statuses)

    def revoke_tokens(self) -> None:
        with self._server.lock:
            self._server.tokens.clear()

    def clear(self) -> None:
        with self._server.lock:
            self._server.mails.clear()
            self._server.faults.clear()
