"""Microsoft Graph: one-way publication of bookings to Microsoft 365 room mailboxes.

OAuth2 client credentials (an app restricted to room mailboxes by an application access policy),
then `POST /v1.0/users/{mailbox}/events` with the booking's UUID as `transactionId` (Graph drops a
second create with the same id), `PATCH` to move it, `DELETE` to withdraw it. The demo in
`graph_demo.py` answers the same requests on loopback.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from balie.core.oauth import ClientCredentials, TokenCache, TokenError
from balie.core.outbox import DeliveryError, PermanentDeliveryError

TIMEOUT = 10.0
SCOPE = "https://graph.microsoft.com/.default"


def _refused(status: int) -> DeliveryError:
    """Graph's answer `status` as an outbox failure: a 4xx (but 408 and 429) will not get better."""
    if 400 <= status < 500 and status not in (408, 429):
        return PermanentDeliveryError(f"Graph answered {status}")
    return DeliveryError(f"Graph answered {status}")


@dataclass
class GraphClient:
    base_url: str
    token_url: str
    client_id: str
    client_secret: str
    _tokens: TokenCache = field(default_factory=TokenCache)
    _calls: list[str] = field(default_factory=list)

    def _access_token(self) -> str:
        credentials = ClientCredentials(
            token_url=self.token_url, client_id=self.client_id, client_secret=self.client_secret, scope=SCOPE
        )
        try:
            return self._tokens.token(credentials, timeout=TIMEOUT)
        except TokenError as error:
            if error.status is None:
                raise DeliveryError(f"Graph unreachable: {error.description}") from None
            if error.status != 200:
                raise _refused(error.status) from None
            raise DeliveryError(f"Graph: {error}") from None

    def _send(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> dict[str, Any]:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (configured URL)
                raw = response.read()
        except urllib.error.HTTPError as error:
            if error.code == 404 and method == "DELETE":
                return {}
            raise _refused(error.code) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(f"Graph unreachable: {error}") from None
        return json.loads(raw) if raw else {}

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._access_token()}", "Content-Type": "application/json"}
        body = json.dumps(payload).encode() if payload is not None else None
        return self._send(method, self.base_url.rstrip("/") + path, body, headers)

    @staticmethod
    def _event(*, subject: str, starts_at: dt.datetime, ends_at: dt.datetime) -> dict[str, Any]:
        def moment(value: dt.datetime) -> dict[str, str]:
            return {"dateTime": value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}

        return {"subject": subject, "start": moment(starts_at), "end": moment(ends_at), "showAs": "busy"}

    def create_event(
        self, *, mailbox: str, transaction_id: str, subject: str, starts_at: dt.datetime, ends_at: dt.datetime
    ) -> str:
        event = self._event(subject=subject, starts_at=starts_at, ends_at=ends_at)
        event["transactionId"] = transaction_id
        answer = self._call("POST", f"/v1.0/users/{urllib.parse.quote(mailbox)}/events", event)
        return str(answer["id"])

    def update_event(
        self, *, mailbox: str, event_id: str, subject: str, starts_at: dt.datetime, ends_at: dt.datetime
    ) -> None:
        path = f"/v1.0/users/{urllib.parse.quote(mailbox)}/events/{urllib.parse.quote(event_id)}"
        self._call("PATCH", path, self._event(subject=subject, starts_at=starts_at, ends_at=ends_at))

    def delete_event(self, *, mailbox: str, event_id: str) -> None:
        self._call(
            "DELETE", f"/v1.0/users/{urllib.parse.quote(mailbox)}/events/{urllib.parse.quote(event_id)}"
        )
