"""A demo door controller: a real HTTP server on loopback with its own storage that speaks the
protocol of `door_controller` and ENFORCES the grants it holds: `POST /api/v1/zones/<zone>/open`
answers "open" only for a PIN (checked against the grant's salted hash) or badge of a grant of that
zone whose window holds the moment asked.

Its storage is its own: a dict, written to a JSON file when given one (so `balie demo` keeps its
grants across restarts); Balie's database is never read. Requests are applied once per
`Idempotency-Key` (the same key again gets the first answer). `GET /` shows the grants (no PINs:
it never had them), for whoever runs the demo.

Tests steer it through `behaviour`: answer 503 (`down`), or apply a request and drop the answer
(`lose_answers`), and read what it applied (`applied`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from balie.core.loopback import LoopbackServer

from ..pins import pin_matches
from .door_controller import ControllerError, ControllerGrant, parse_time

logger = logging.getLogger("balie.room_access.demo_controller")

MAX_REQUEST_BYTES = 64 * 1024


@dataclass
class Behaviour:
    down: bool = False  # every API call answers 503
    lose_answers: int = 0  # apply the next n changes, then close the connection without answering
    applied: list[tuple[str, str, str]] = field(default_factory=list)  # (PUT|DELETE, grant id, key)
    duplicates: int = 0  # requests whose idempotency key was seen before

    def reset(self) -> None:
        self.down = False
        self.lose_answers = 0
        self.applied.clear()
        self.duplicates = 0


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class DemoDoorController:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        storage: Path | None = None,
    ) -> None:
        self.api_key = api_key or secrets.token_urlsafe(24)
        self.behaviour = Behaviour()
        self.storage = storage
        self.grants: dict[str, ControllerGrant] = {}
        self._answers: dict[str, tuple[int, Any]] = {}
        self._lock = threading.RLock()
        self._address = (host, port)
        self._loopback: LoopbackServer | None = None
        self._load()

    @property
    def url(self) -> str:
        host, port = self._address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> DemoDoorController:
        """Start serving (again, on the same port after `stop`)."""
        server = _Server(self._address, self)
        self._address = server.server_address[:2]  # type: ignore[assignment]
        self._loopback = LoopbackServer(server, name="door-controller-demo", poll_interval=0.05).start()
        return self

    def stop(self) -> None:
        if self._loopback is not None:
            self._loopback.stop()
            self._loopback = None

    # -- storage -------------------------------------------------------------------------------------

    def _load(self) -> None:
        if self.storage is None or not self.storage.exists():
            return
        data = json.loads(self.storage.read_text())
        self.grants = {item["id"]: ControllerGrant.from_dict(item) for item in data.get("grants", [])}

    def _save(self) -> None:
        if self.storage is None:
            return
        temporary = self.storage.with_suffix(".tmp")
        temporary.write_text(json.dumps({"grants": [g.as_dict() for g in self.grants.values()]}, indent=1))
        temporary.replace(self.storage)

    # -- what the API does ---------------------------------------------------------------------------

    def put(self, zone: str, grant_id: str, body: Any, key: str) -> tuple[int, Any]:
        with self._lock:
            if key and key in self._answers:
                self.behaviour.duplicates += 1
                return self._answers[key]
            try:
                grant = ControllerGrant.from_dict(body)
            except ControllerError as error:
                raise _Refused(400, str(error)) from None
            if grant.id != grant_id or grant.zone != zone:
                raise _Refused(400, "the grant's id or zone differs from the address")
            if grant.credential.get("type") not in ("pin", "badge"):
                raise _Refused(400, "unknown credential type")
            answer = (200 if grant_id in self.grants else 201, grant.as_dict())
            self.grants[grant_id] = grant
            self._save()
            self.behaviour.applied.append(("PUT", grant_id, key))
            if key:
                self._answers[key] = answer
            return answer

    def delete(self, zone: str, grant_id: str, key: str) -> tuple[int, Any]:
        with self._lock:
            if key and key in self._answers:
                self.behaviour.duplicates += 1
                return self._answers[key]
            grant = self.grants.get(grant_id)
            if grant is None or grant.zone != zone:
                raise _Refused(404, "no such grant")
            del self.grants[grant_id]
            self._save()
            self.behaviour.applied.append(("DELETE", grant_id, key))
            answer = (204, None)
            if key:
                self._answers[key] = answer
            return answer

    def remove_behind_balies_back(self, grant_id: str) -> None:
        """What a technician at the controller might do (tests and demo)."""
        with self._lock:
            self.grants.pop(grant_id, None)
            self._save()

    def opens(self, zone: str, *, at: dt.datetime, pin: str = "", badge_id: str = "") -> bool:
        with self._lock:
            for grant in self.grants.values():
                if grant.zone != zone or not (grant.valid_from <= at < grant.valid_until):
                    continue
                credential = grant.credential
                salt, expected = credential.get("salt", ""), credential.get("sha256", "")
                if pin and credential.get("type") == "pin" and pin_matches(pin, salt=salt, expected=expected):
                    return True
                if badge_id and credential.get("type") == "badge" and credential.get("badgeId") == badge_id:
                    return True
            return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], controller: DemoDoorController) -> None:
        self.controller = controller
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("demo door controller: %s", self.command)  # never the body: it may hold a PIN

    @property
    def controller(self) -> DemoDoorController:
        return self.server.controller

    def _answer(self, status: int, body: Any = None) -> None:
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if raw:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            raise _Refused(413, "too large")
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            raise _Refused(400, "not JSON") from None

    def _authorised(self) -> bool:
        given = self.headers.get("Authorization", "")
        return secrets.compare_digest(given.encode(), f"Bearer {self.controller.api_key}".encode())

    def _route(self) -> tuple[str, list[str]]:
        path = self.path.split("?", 1)[0]
        return path, [unquote(part) for part in path.strip("/").split("/")]

    def do_GET(self) -> None:
        path, parts = self._route()
        if path == "/":
            self._index()
            return
        self._api(lambda: self._get(parts))

    def do_PUT(self) -> None:
        self._api(lambda: self._put(self._route()[1]), change=True)

    def do_DELETE(self) -> None:
        self._api(lambda: self._delete(self._route()[1]), change=True)

    def do_POST(self) -> None:
        self._api(lambda: self._open(self._route()[1]))

    def _api(self, handle: Any, *, change: bool = False) -> None:
        behaviour = self.controller.behaviour
        try:
            if not self._authorised():
                raise _Refused(401, "unauthorised")
            if behaviour.down:
                raise _Refused(503, "down for maintenance")
            status, body = handle()
        except _Refused as refused:
            self._answer(refused.status, {"error": str(refused)})
            return
        if change and behaviour.lose_answers > 0:
            behaviour.lose_answers -= 1
            self.close_connection = True
            self.connection.shutdown(2)  # applied, but the answer never arrives
            return
        self._answer(status, body)

    def _get(self, parts: list[str]) -> tuple[int, Any]:
        if parts == ["api", "v1", "grants"]:
            with self.controller._lock:
                return 200, {"grants": [g.as_dict() for g in self.controller.grants.values()]}
        raise _Refused(404, "not found")

    def _put(self, parts: list[str]) -> tuple[int, Any]:
        if len(parts) == 6 and parts[:3] == ["api", "v1", "zones"] and parts[4] == "grants":
            body = self._body()
            return self.controller.put(parts[3], parts[5], body, self.headers.get("Idempotency-Key", ""))
        raise _Refused(404, "not found")

    def _delete(self, parts: list[str]) -> tuple[int, Any]:
        if len(parts) == 6 and parts[:3] == ["api", "v1", "zones"] and parts[4] == "grants":
            return self.controller.delete(parts[3], parts[5], self.headers.get("Idempotency-Key", ""))
        raise _Refused(404, "not found")

    def _open(self, parts: list[str]) -> tuple[int, Any]:
        if not (len(parts) == 5 and parts[:3] == ["api", "v1", "zones"] and parts[4] == "open"):
            raise _Refused(404, "not found")
        body = self._body()
        if not isinstance(body, dict):
            raise _Refused(400, "an object is expected")
        try:
            at = parse_time(str(body.get("at") or "")) if body.get("at") else dt.datetime.now(dt.UTC)
        except ValueError:
            raise _Refused(400, "bad time") from None
        opened = self.controller.opens(
            parts[3], at=at, pin=str(body.get("pin") or ""), badge_id=str(body.get("badgeId") or "")
        )
        return 200, {"result": "open" if opened else "refused"}

    def _index(self) -> None:
        with self.controller._lock:
            rows = "".join(
                f"<tr><td>{html.escape(g.zone)}</td><td><code>{html.escape(g.id)}</code></td>"
                f"<td>{html.escape(g.reference)}</td><td>{html.escape(g.credential.get('type', ''))}</td>"
                f"<td>{g.valid_from:%Y-%m-%d %H:%M}Z</td><td>{g.valid_until:%Y-%m-%d %H:%M}Z</td></tr>"
                for g in sorted(self.controller.grants.values(), key=lambda g: (g.zone, g.valid_from))
            )
        page = (
            '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Demo-toegangscontroller</title>'
            "<h1>Demo-toegangscontroller</h1><table><thead><tr><th>Zone</th><th>Id</th><th>Referentie</th>"
            f"<th>Soort</th><th>Van</th><th>Tot</th></tr></thead><tbody>{rows}</tbody></table></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)


_demo: DemoDoorController | None = None
_demo_lock = threading.Lock()


def ensure_demo_controller() -> DemoDoorController:
    """The demo controller of this process, started on a free loopback port on first use."""
    global _demo
    with _demo_lock:
        if _demo is None:
            _demo = DemoDoorController().start()
        return _demo


def start_balie_demo_controller(
    data_dir: Path, *, port: int = 0
) -> tuple[DemoDoorController, dict[str, str]]:
    """For `balie demo`: the controller, keeping its grants in the data directory, and the
    environment the web server and the worker need to reach it."""
    controller = DemoDoorController(port=port, storage=Path(data_dir) / "demo-door-controller.json").start()
    return controller, {"BALIE_DOOR_DEMO_URL": controller.url, "BALIE_DOOR_DEMO_API_KEY": controller.api_key}
