"""The demo payment provider on loopback: the protocol of `provider.py`, and a payment page where the
payer picks Bancontact or Wero (or gives up). Paying sends the signed webhook to Balie, then
redirects the payer back. For `balie demo`, the tests and Playwright; it keeps its payments in
memory."""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer

from .provider import sign

MAX_BODY = 64 * 1024
METHODS = {"bancontact": "Bancontact", "wero": "Wero"}


@dataclass
class DemoPayment:
    id: str
    amount: Decimal
    description: str
    reference: str
    redirect_url: str
    webhook_url: str
    status: str = "open"
    method: str = ""
    refunds: dict[str, Decimal] = field(default_factory=dict)
    webhook_answers: list[int] = field(default_factory=list)

    def as_json(self, base: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "amount": {"currency": "EUR", "value": f"{self.amount:.2f}"},
            "description": self.description,
            "reference": self.reference,
            "method": self.method or None,
            "checkoutUrl": f"{base}/pay/{self.id}",
        }


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

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

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, MAX_BODY))

    def _authorised(self) -> bool:
        return self.headers.get("Authorization", "") == f"Bearer {self.server.api_key}"

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        parts = path.split("/")
        if path.startswith("/v1/payments/") and len(parts) == 4:
            if not self._authorised():
                self._json(401, {"detail": "bad api key"})
                return
            payment = self.server.payments.get(parts[3])
            if payment is None:
                self._json(404, {"detail": "unknown payment"})
                return
            self._json(200, payment.as_json(self.server.url))
        elif path.startswith("/pay/") and len(parts) == 3:
            self._page(parts[2])
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        parts = path.split("/")
        body = self._body()
        if path == "/v1/payments":
            self._create(body)
        elif path.startswith("/v1/payments/") and len(parts) == 5 and parts[4] == "refunds":
            self._refund(parts[3], body)
        elif path.startswith("/pay/") and len(parts) == 3:
            self._choose(parts[2], body)
        else:
            self._json(404, {"detail": "unknown resource"})

    def _create(self, body: bytes) -> None:
        if not self._authorised():
            self._json(401, {"detail": "bad api key"})
            return
        key = self.headers.get("Idempotency-Key", "")
        try:
            data = json.loads(body)
            amount = Decimal(str(data["amount"]["value"]))
            if data["amount"].get("currency") != "EUR" or amount <= 0:
                raise ValueError("amount")
            for name in ("redirectUrl", "webhookUrl"):
                if urllib.parse.urlsplit(str(data[name])).scheme not in ("http", "https"):
                    raise ValueError(name)
        except (ValueError, KeyError, TypeError, ArithmeticError) as error:
            self._json(422, {"detail": f"invalid payment: {error}"})
            return
        with self.server.lock:
            if key and key in self.server.keys:
                payment = self.server.payments[self.server.keys[key]]
            else:
                payment = DemoPayment(
                    id=f"tr_{secrets.token_hex(8)}",
                    amount=amount,
                    description=str(data.get("description", ""))[:200],
                    reference=str(data.get("reference", ""))[:100],
                    redirect_url=str(data["redirectUrl"]),
                    webhook_url=str(data["webhookUrl"]),
                )
                self.server.payments[payment.id] = payment
                if key:
                    self.server.keys[key] = payment.id
        self._json(201, payment.as_json(self.server.url))

    def _refund(self, payment_id: str, body: bytes) -> None:
        if not self._authorised():
            self._json(401, {"detail": "bad api key"})
            return
        key = self.headers.get("Idempotency-Key", "") or uuid.uuid4().hex
        with self.server.lock:
            payment = self.server.payments.get(payment_id)
            if payment is None or payment.status != "paid":
                self._json(422, {"detail": "only a paid payment can be refunded"})
                return
            try:
                amount = Decimal(str(json.loads(body)["amount"]["value"]))
            except (ValueError, KeyError, TypeError, ArithmeticError):
                self._json(422, {"detail": "invalid amount"})
                return
            if key not in payment.refunds:
                if sum(payment.refunds.values(), Decimal(0)) + amount > payment.amount:
                    self._json(422, {"detail": "more than was paid"})
                    return
                payment.refunds[key] = amount
        self._json(201, {"id": f"re_{key[:16]}", "amount": {"currency": "EUR", "value": f"{amount:.2f}"}})

    def _page(self, payment_id: str, note: str = "") -> None:
        payment = self.server.payments.get(payment_id)
        if payment is None:
            self._send(404, b"onbekende betaling", "text/plain; charset=utf-8")
            return
        e = html.escape
        buttons = "".join(
            f'<button type="submit" name="method" value="{code}" class="m-{code}">{label}</button>'
            for code, label in METHODS.items()
        )
        state = (
            f"<p>Deze betaling is al afgehandeld ({e(payment.status)}).</p>"
            f'<p><a href="{e(payment.redirect_url)}">Terug naar de gemeente</a></p>'
            if payment.status != "open"
            else (
                f'<form method="post"><fieldset><legend>Kies hoe u betaalt</legend>{buttons}</fieldset>'
                '<button type="submit" name="method" value="cancel" class="cancel">Annuleren</button></form>'
            )
        )
        page = f"""<!doctype html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo-betaalpagina</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}}
fieldset{{border:1px solid #999;border-radius:.5rem;padding:1rem;display:grid;gap:.75rem}}
button{{font-size:1.2rem;padding:.9rem;border-radius:.4rem;border:2px solid #1b1b1b;cursor:pointer}}
.m-bancontact{{background:#005498;color:#fff}}.m-wero{{background:#ffe500;color:#1b1b1b}}
.cancel{{margin-top:1rem;background:#fff}}button:focus{{outline:3px solid #d4351c;outline-offset:2px}}
.demo{{background:#fff4ce;padding:.5rem;border-radius:.3rem}}</style></head><body>
<p class="demo">DEMO — er wordt geen echt geld betaald.</p>
<h1>Betalen: € {payment.amount:.2f}</h1><p>{e(payment.description)}</p>{note}{state}</body></html>"""
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _choose(self, payment_id: str, body: bytes) -> None:
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode("latin-1")).items()}
        choice = form.get("method", "")
        with self.server.lock:
            payment = self.server.payments.get(payment_id)
            if payment is None or payment.status != "open" or choice not in (*METHODS, "cancel"):
                pass
            elif choice == "cancel":
                payment.status = "canceled"
            else:
                payment.status, payment.method = "paid", choice
        if payment is None:
            self._send(404, b"onbekende betaling", "text/plain; charset=utf-8")
            return
        self.server.send_webhook(payment)
        self._send(303, b"", "text/plain", {"Location": payment.redirect_url})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], api_key: str, webhook_secret: str) -> None:
        super().__init__(address, _Handler)
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.payments: dict[str, DemoPayment] = {}
        self.keys: dict[str, str] = {}
        self.lock = threading.Lock()
        self.sent_webhooks: list[tuple[dict[str, str], bytes]] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def send_webhook(self, payment: DemoPayment) -> int:
        """Tell Balie, signed; a few tries (the real providers retry for hours)."""
        event = {"paid": "payment.paid", "canceled": "payment.canceled"}.get(payment.status, "payment.failed")
        body = json.dumps(
            {
                "type": event,
                "data": {
                    "id": payment.id,
                    "status": payment.status,
                    "amount": {"currency": "EUR", "value": f"{payment.amount:.2f}"},
                    "method": payment.method or None,
                    "reference": payment.reference,
                },
            }
        ).encode()
        webhook_id = f"msg_{secrets.token_hex(10)}"
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "webhook-id": webhook_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(
                secret=self.webhook_secret, webhook_id=webhook_id, timestamp=timestamp, body=body
            ),
        }
        with self.lock:
            self.sent_webhooks.append((headers, body))
        status = 0
        for attempt in range(3):
            request = urllib.request.Request(  # noqa: S310 - checked as http(s) when created
                payment.webhook_url, data=body, headers=headers, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (urllib.error.URLError, OSError):
                status = 0
            payment.webhook_answers.append(status)
            if 200 <= status < 300 or 400 <= status < 500:
                break
            time.sleep(0.2 * (attempt + 1))
        return status


class DemoProvider(LoopbackServer):
    """`DemoProvider(port=0, api_key=…, webhook_secret=…).start()`; `.url`, `.payments`, `.stop()`."""

    _server: _Server

    def __init__(self, *, port: int = 0, api_key: str, webhook_secret: str, host: str = "127.0.0.1") -> None:
        super().__init__(_Server((host, port), api_key, webhook_secret), name="demo-payment-provider")

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def payments(self) -> dict[str, DemoPayment]:
        return self._server.payments

    @property
    def sent_webhooks(self) -> list[tuple[dict[str, str], bytes]]:
        return self._server.sent_webhooks

    def serve_forever(self) -> None:
        """Serve in this thread, instead of `start()`."""
        self._server.serve_forever()


_demo: DemoProvider | None = None
_demo_lock = threading.Lock()


def ensure_demo_provider() -> DemoProvider:
    """The demo provider of this process (tests), started once with the settings' keys; settings
    are pointed at it."""
    from django.conf import settings

    global _demo
    with _demo_lock:
        if _demo is None:
            _demo = DemoProvider(
                api_key=settings.BALIE_PAYMENT_PROVIDER_API_KEY,
                webhook_secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET,
            ).start()
    settings.BALIE_PAYMENT_PROVIDER_URL = _demo.url
    return _demo
