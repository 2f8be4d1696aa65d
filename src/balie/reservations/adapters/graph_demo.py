"""A demo Microsoft Graph on loopback: the token endpoint and room-mailbox events, in memory.

It checks what Graph checks that matters here: the client secret, the bearer token, an existing
event for PATCH/DELETE, and `transactionId` (a repeated create returns the first event).
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer


class DemoGraph(LoopbackServer):
    def __init__(self, *, client_id: str = "balie-demo", client_secret: str = "demo-secret") -> None:  # noqa: S107
        self.client_id = client_id
        self.client_secret = client_secret
        self.tokens: set[str] = set()
        self.events: dict[str, dict[str, dict[str, Any]]] = {}  # mailbox -> id -> event
        self.lock = threading.Lock()
        super().__init__(ThreadingHTTPServer(("127.0.0.1", 0), self._handler()), name="demo-room-graph")

    @property
    def token_url(self) -> str:
        return f"{self.url}/tenant/oauth2/v2.0/token"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: dict[str, Any] | None = None) -> None:
                raw = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _authorised(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                return token in graph.tokens

            def _route(self) -> tuple[str, str | None] | None:
                parts = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).strip("/").split("/")
                if len(parts) >= 4 and parts[:2] == ["v1.0", "users"] and parts[3] == "events":
                    return parts[2], parts[4] if len(parts) > 4 else None
                return None

            def do_POST(self) -> None:
                if self.path.endswith("/oauth2/v2.0/token"):
                    form = urllib.parse.parse_qs(self._body().decode())
                    if form.get("client_id") != [graph.client_id] or form.get("client_secret") != [
                        graph.client_secret
                    ]:
                        self._answer(401, {"error": "invalid_client"})
                        return
                    token = secrets.token_urlsafe(16)
                    graph.tokens.add(token)
                    self._answer(200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"})
                    return
                route = self._route()
                if not self._authorised() or route is None or route[1] is not None:
                    self._answer(401 if route else 404, {"error": "refused"})
                    return
                event = json.loads(self._body())
                with graph.lock:
                    mailbox = graph.events.setdefault(route[0], {})
                    for existing in mailbox.values():
                        if (
                            event.get("transactionId")
                            and existing.get("transactionId") == event["transactionId"]
                        ):
                            self._answer(201, existing)
                            return
                    event["id"] = secrets.token_hex(8)
                    mailbox[event["id"]] = event
                self._answer(201, event)

            def do_PATCH(self) -> None:
                route = self._route()
                if not self._authorised() or route is None or route[1] is None:
                    self._answer(401, {"error": "refused"})
                    return
                with graph.lock:
                    event = graph.events.get(route[0], {}).get(route[1])
                    if event is None:
                        self._answer(404, {"error": "not found"})
                        return
                    event.update(json.loads(self._body()))
                self._answer(200, event)

            def do_DELETE(self) -> None:
                route = self._route()
                if not self._authorised() or route is None or route[1] is None:
                    self._answer(401, {"error": "refused"})
                    return
                with graph.lock:
                    gone = graph.events.get(route[0], {}).pop(route[1], None)
                self._answer(204 if gone else 404)

        return Handler
