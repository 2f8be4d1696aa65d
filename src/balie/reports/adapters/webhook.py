"""A generic REST/webhook work-order receiver: `POST <url>` with the order as JSON, the outbox's
idempotency key in `Idempotency-Key`, the API key as a bearer token; the answer `{"id": "..."}`
(201 new, 200 already known) is the work order's reference."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass

from balie.core.outbox import DeliveryError

from .base import WorkOrder, http, parse_json


@dataclass(frozen=True)
class WebhookAdapter:
    url: str
    api_key: str = ""

    def send(self, order: WorkOrder, *, idempotency_key: str) -> str:
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_key,
            "Accept": "application/json",
        }
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(  # noqa: S310 - setting
            self.url, data=json.dumps(order.as_dict()).encode(), headers=headers, method="POST"
        )
        _status, body = http(request)
        answer = parse_json(body)
        reference = answer.get("id") if isinstance(answer, dict) else None
        if not reference:
            raise DeliveryError("antwoord zonder id")
        return str(reference)[:100]
