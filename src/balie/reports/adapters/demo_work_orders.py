"""A demo work-order system on loopback that speaks both of Balie's work-order protocols: the
generic REST/webhook one (`POST /work-orders`, JSON, `Idempotency-Key`) and Open311 GeoReport v2
(`POST /open311/v2/requests.json`, form, the key in `attribute[balie_idempotency_key]`).

It keeps each order once per idempotency key (a repeat gets the same id back), can be switched
`down` (answers 503, as a receiver that is away), and sends status updates back to Balie's
callback, signed (`reports.signing`): by hand (`send_update`) or, for `balie demo`, by itself a
little while after an order arrives (`auto_progress`).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer

from ..signing import signed_headers


@dataclass
class DemoOrder:
    id: str
    key: str
    data: dict[str, Any]
    callback_url: str
    statuses: list[str] = field(default_factory=list)


class DemoWorkOrderSystem:
    def __init__(self, *, secret: str = "", port: int = 0, auto_progress: float = 0.0) -> None:
        self.secret = secret
        self.port = port
        self.auto_progress = auto_progress
        self.down = False
        self.orders: dict[str, DemoOrder] = {}
        self.by_key: dict[str, str] = {}
        self.attempts = 0
        self.lock = threading.Lock()
        self._loopback: LoopbackServer | None = None

    @property
    def url(self) -> str:
        assert self._loopback is not None
        return self._loopback.url

    def start(self) -> DemoWorkOrderSystem:
        system = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _answer(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/") in ("", "/work-orders"):
                    with system.lock:
                        orders = [
                            {"id": o.id, **o.data, "statuses": o.statuses} for o in system.orders.values()
                        ]
                    self._answer(200, orders)
                    return
                self._answer(404, {"error": "not found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with system.lock:
                    system.attempts += 1
                    if system.down:
                        self._answer(503, {"error": "maintenance"})
                        return
                if self.path == "/work-orders":
                    try:
                        data = json.loads(raw)
                    except ValueError:
                        self._answer(400, {"error": "no JSON"})
                        return
                    key = str(self.headers.get("Idempotency-Key") or "")
                    order, created = system._take(key, data, str(data.get("callback_url", "")))
                    self._answer(201 if created else 200, {"id": order.id})
                    return
                if self.path.startswith("/open311/v2/requests.json"):
                    form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
                    if not form.get("service_code"):
                        self._answer(400, [{"code": 400, "description": "service_code missing"}])
                        return
                    key = str(
                        form.get("attribute[balie_idempotency_key]")
                        or self.headers.get("Idempotency-Key")
                        or ""
                    )
                    order, _created = system._take(key, form, form.get("attribute[balie_callback_url]", ""))
                    self._answer(201, [{"service_request_id": order.id, "service_notice": ""}])
                    return
                self._answer(404, {"error": "not found"})

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self._loopback = LoopbackServer(server, name="demo-work-orders").start()
        return self

    def stop(self) -> None:
        if self._loopback is not None:
            self._loopback.stop()

    def _take(self, key: str, data: dict[str, Any], callback_url: str) -> tuple[DemoOrder, bool]:
        with self.lock:
            if key and key in self.by_key:
                return self.orders[self.by_key[key]], False
            order = DemoOrder(
                id=f"WO-{len(self.orders) + 1:06d}", key=key, data=data, callback_url=callback_url
            )
            self.orders[order.id] = order
            if key:
                self.by_key[key] = order.id
        if self.auto_progress:
            threading.Thread(target=self._progress, args=(order,), daemon=True).start()
        return order, True

    def _progress(self, order: DemoOrder) -> None:
        for status, note in (
            ("in_progress", "Ploeg ingepland."),
            ("resolved", "Hersteld door de technische dienst."),
        ):
            time.sleep(self.auto_progress)
            for _attempt in range(5):
                try:
                    self.send_update(order.id, status, note)
                    break
                except OSError:
                    time.sleep(self.auto_progress)

    def update_body(self, order_id: str, status: str, note: str = "") -> bytes:
        order = self.orders[order_id]
        reference = order.data.get("reference") or order.data.get("attribute[balie_reference]", "")
        return json.dumps(
            {"work_order": order.id, "reference": reference, "status": status, "note": note}
        ).encode()

    def send_update(self, order_id: str, status: str, note: str = "") -> int:
        """POST a signed status update to the order's callback URL; returns the HTTP status."""
        order = self.orders[order_id]
        body = self.update_body(order_id, status, note)
        request = urllib.request.Request(  # noqa: S310 - the callback URL Balie gave
            order.callback_url, data=body, headers=signed_headers(self.secret, body), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                order.statuses.append(status)
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)


_system: DemoWorkOrderSystem | None = None
_system_lock = threading.Lock()


def ensure_demo_system() -> DemoWorkOrderSystem:
    """The demo system of this process, started on a free loopback port on first use."""
    global _system
    with _system_lock:
        if _system is None:
            from ..signing import callback_secret

            _system = DemoWorkOrderSystem(secret=callback_secret()).start()
        return _system


def start_balie_demo_work_orders(
    secret: str, *, auto_progress: float = 20.0
) -> tuple[DemoWorkOrderSystem, dict[str, str]]:
    """For `balie demo`: the system, progressing each order by itself; and the environment the web
    server and the worker need."""
    system = DemoWorkOrderSystem(secret=secret, auto_progress=auto_progress).start()
    return system, {
        "BALIE_REPORTS_WORK_ORDER_URL": system.url,
        "BALIE_REPORTS_WORK_ORDER_ADAPTER": "webhook",
        "BALIE_REPORTS_CALLBACK_SECRET": secret,
    }
