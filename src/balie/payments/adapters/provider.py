"""A payment service provider (PSP) that offers Bancontact and Wero: its REST API and its webhook.

The protocol (the shape Mollie, Worldline and Adyen share):

- `POST {BALIE_PAYMENT_PROVIDER_URL}/v1/payments`, `Authorization: Bearer <api key>`,
  `Idempotency-Key: <uuid>`, JSON `{"amount": {"currency": "EUR", "value": "12.50"}, "description",
  "reference", "redirectUrl", "webhookUrl", "methods": ["bancontact", "wero"]}` → `201` with
  `{"id": "tr_…", "status": "open", "checkoutUrl": …}`: the page to send the payer to.
- `GET /v1/payments/<id>` → the payment as above, `status` one of open, paid, failed, canceled,
  expired; `method` the one the payer chose.
- `POST /v1/payments/<id>/refunds` `{"amount": {…}}` with an `Idempotency-Key` → `201`; the same key
  again is the same refund.
- The webhook: the provider POSTs `{"type": "payment.paid" | "payment.failed" | …, "data": {"id",
  "status", "amount", "method", "reference"}}` to `webhookUrl` with the Standard Webhooks headers
  `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64
  HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`. Balie answers 2xx once it has recorded it.

`demo_provider.DemoProvider` speaks the same on loopback; production and demo share every line
here but the address and the secrets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

TOLERANCE_SECONDS = 300  # a webhook older or newer than this is refused (a replay)
MAX_ANSWER = 100_000


class ProviderError(Exception):
    """The provider did not do it. `permanent`: asking again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class WebhookRefused(Exception):
    """A webhook that is not the provider's, or too old: nothing was done."""


@dataclass(frozen=True)
class ProviderPayment:
    id: str
    status: str
    checkout_url: str
    amount: Decimal
    method: str = ""


def provider_url() -> str:
    url = str(settings.BALIE_PAYMENT_PROVIDER_URL).strip()
    return (url or f"http://127.0.0.1:{settings.BALIE_PAYMENT_DEMO_PORT}").rstrip("/")


def sign(*, secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for a body."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_webhook(
    *, secret: str, headers: dict[str, str], body: bytes, now: float | None = None
) -> dict[str, Any]:
    """The webhook's content when it is signed with `secret` and recent; else WebhookRefused."""
    webhook_id = headers.get("webhook-id", "")
    timestamp_text = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not webhook_id or not timestamp_text.isdigit() or not signatures:
        raise WebhookRefused("missing webhook headers")
    timestamp = int(timestamp_text)
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise WebhookRefused("timestamp outside the tolerance")
    expected = sign(secret=secret, webhook_id=webhook_id, timestamp=timestamp, body=body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures.split()):
        raise WebhookRefused("bad signature")
    try:
        content = json.loads(body)
    except ValueError as error:
        raise WebhookRefused("not JSON") from error
    if not isinstance(content, dict) or not isinstance(content.get("data"), dict):
        raise WebhookRefused("not a payment event")
    content["webhook_id"] = webhook_id
    return content


class ProviderClient:
    def __init__(self, *, url: str, api_key: str, timeout: float = 15.0) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("the provider's address must be http(s)")
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> ProviderClient:
        return cls(
            url=provider_url(),
            api_key=settings.BALIE_PAYMENT_PROVIDER_API_KEY,
            timeout=settings.BALIE_PAYMENT_PROVIDER_TIMEOUT,
        )

    def _call(
        self, method: str, path: str, data: dict[str, Any] | None = None, key: str = ""
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(  # noqa: S310 - checked as http(s) in __init__
            self.url + path, data=body, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return dict(json.loads(answer.read(MAX_ANSWER)))
        except urllib.error.HTTPError as error:
            detail = error.read(2000).decode(errors="replace")
            raise ProviderError(
                f"provider answered {error.code}: {detail[:200]}",
                permanent=400 <= error.code < 500 and error.code != 429,
            ) from error
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise ProviderError(f"provider not reachable: {error}") from error

    @staticmethod
    def _payment(data: dict[str, Any]) -> ProviderPayment:
        return ProviderPayment(
            id=str(data["id"]),
            status=str(data.get("status", "")),
            checkout_url=str(data.get("checkoutUrl", "")),
            amount=Decimal(str(data.get("amount", {}).get("value", "0"))),
            method=str(data.get("method") or ""),
        )

    def create_payment(
        self,
        *,
        amount: Decimal,
        description: str,
        reference: str,
        redirect_url: str,
        webhook_url: str,
        key: str,
    ) -> ProviderPayment:
        data = {
            "amount": {"currency": "EUR", "value": f"{amount:.2f}"},
            "description": description,
            "reference": reference,
            "redirectUrl": redirect_url,
            "webhookUrl": webhook_url,
            "methods": ["bancontact", "wero"],
        }
        return self._payment(self._call("POST", "/v1/payments", data, key))

    def get_payment(self, payment_id: str) -> ProviderPayment:
        return self._payment(self._call("GET", f"/v1/payments/{urllib.parse.quote(payment_id)}"))

    def refund(self, *, payment_id: str, amount: Decimal, key: str) -> str:
        data = {"amount": {"currency": "EUR", "value": f"{amount:.2f}"}}
        answer = self._call("POST", f"/v1/payments/{urllib.parse.quote(payment_id)}/refunds", data, key)
        return str(answer.get("id", ""))
