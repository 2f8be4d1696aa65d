"""An Open311 GeoReport v2 work-order system: the order is a service request
(`POST <base>/requests.json`, form-encoded, with `api_key`, `service_code` = the category's code,
`lat`/`long` or `address_string`, `description`). GeoReport v2 has no idempotency key, so it
travels as the attribute `attribute[balie_idempotency_key]` (and an `Idempotency-Key` header); a
server that answers with a token instead of an id is asked `GET <base>/tokens/<token>.json`."""

from __future__ import annotations

import urllib.parse
import urllib.request
from dataclasses import dataclass

from balie.core.outbox import DeliveryError

from .base import WorkOrder, http, parse_json


@dataclass(frozen=True)
class Open311Adapter:
    base_url: str
    api_key: str = ""

    def send(self, order: WorkOrder, *, idempotency_key: str) -> str:
        fields = {
            "api_key": self.api_key,
            "service_code": order.service_code,
            "description": order.description,
            "attribute[balie_reference]": order.reference,
            "attribute[balie_idempotency_key]": idempotency_key,
            "attribute[balie_callback_url]": order.callback_url,
        }
        if order.lat is not None and order.lon is not None:
            fields["lat"], fields["long"] = f"{order.lat:.7f}", f"{order.lon:.7f}"
        if order.address:
            fields["address_string"] = order.address
        request = urllib.request.Request(  # noqa: S310 - setting
            f"{self.base_url}/requests.json",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Idempotency-Key": idempotency_key, "Accept": "application/json"},
            method="POST",
        )
        _status, body = http(request)
        answer = parse_json(body)
        first = answer[0] if isinstance(answer, list) and answer else {}
        if first.get("service_request_id"):
            return str(first["service_request_id"])[:100]
        if first.get("token"):
            _status, body = http(
                urllib.request.Request(  # noqa: S310 - the setting's http(s) URL
                    f"{self.base_url}/tokens/{urllib.parse.quote(str(first['token']))}.json"
                )
            )
            resolved = parse_json(body)
            if isinstance(resolved, list) and resolved and resolved[0].get("service_request_id"):
                return str(resolved[0]["service_request_id"])[:100]
            raise DeliveryError("token nog niet omgezet in een id")
        raise DeliveryError("antwoord zonder service_request_id")
