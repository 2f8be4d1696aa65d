"""The work-order system of the technical services, as Balie sees it: one interface, one adapter
module per kind of system (`webhook`: a generic REST/webhook receiver; `open311`: a GeoReport v2
server), and `demo_work_orders`: a small system on loopback that speaks both, for the demo and
the tests.

An adapter's `send` raises `core.outbox.DeliveryError` when trying again may help (the receiver is
down, 5xx, a timeout) and `PermanentDeliveryError` when it cannot (4xx: the order is refused).
Every attempt carries the outbox message's idempotency key, so a receiver that already has the
order answers with the same reference instead of making a second one.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from django.conf import settings

from balie.core.outbox import DeliveryError, PermanentDeliveryError


@dataclass(frozen=True)
class WorkOrder:
    reference: str  # the case number
    report: str  # the report's public id
    service_code: str  # the category's code
    category: str
    description: str
    lat: float | None
    lon: float | None
    address: str
    reported_at: str  # ISO 8601
    callback_url: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class WorkOrderAdapter(Protocol):
    def send(self, order: WorkOrder, *, idempotency_key: str) -> str:
        """Deliver the order; return the work-order system's reference."""
        ...


def http(request: urllib.request.Request) -> tuple[int, bytes]:
    """Send one request; map failures onto the outbox's retry rules."""
    try:
        with urllib.request.urlopen(  # noqa: S310 - the URL is an administrator's setting (http(s))
            request, timeout=settings.BALIE_REPORTS_WORK_ORDER_TIMEOUT
        ) as response:
            return response.status, response.read(1024 * 1024)
    except urllib.error.HTTPError as error:
        body = error.read(2000).decode("utf-8", "replace")
        if 400 <= error.code < 500 and error.code not in (408, 409, 425, 429):
            raise PermanentDeliveryError(f"HTTP {error.code}: {body[:300]}") from None
        raise DeliveryError(f"HTTP {error.code}: {body[:300]}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        raise DeliveryError(f"niet bereikbaar: {getattr(error, 'reason', error)}") from None


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise DeliveryError("antwoord is geen JSON") from None


def get_adapter() -> WorkOrderAdapter | None:
    """The configured adapter; None when forwarding is off."""
    url = settings.BALIE_REPORTS_WORK_ORDER_URL.strip()
    if url.lower() == "off":
        return None
    if not url:
        from .demo_work_orders import ensure_demo_system

        url = ensure_demo_system().url
    kind = settings.BALIE_REPORTS_WORK_ORDER_ADAPTER
    if kind == "open311":
        from .open311 import Open311Adapter

        return Open311Adapter(
            base_url=url.rstrip("/") + ("" if url.rstrip("/").endswith("/v2") else "/open311/v2"),
            api_key=settings.BALIE_REPORTS_WORK_ORDER_API_KEY,
        )
    from .webhook import WebhookAdapter

    return WebhookAdapter(
        url=url.rstrip("/") + "/work-orders", api_key=settings.BALIE_REPORTS_WORK_ORDER_API_KEY
    )
