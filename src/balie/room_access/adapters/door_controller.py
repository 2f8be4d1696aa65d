"""A generic door controller over HTTP/JSON: Balie puts, replaces and deletes grants per door zone,
and lists them to reconcile.

The protocol (`Authorization: Bearer <key>`; JSON; times ISO 8601 in UTC):

- `PUT /api/v1/zones/<zone>/grants/<id>` with `Idempotency-Key: <uuid>` and
  `{"id", "zone", "reference", "version", "validFrom", "validUntil", "credential"}`, the credential
  `{"type": "pin", "salt", "sha256"}` (SHA-256 of "<salt>:<pin>", never the PIN) or
  `{"type": "badge", "badgeId"}` → `201` created or `200` replaced; the same key again → the
  first answer, nothing applied twice.
- `DELETE /api/v1/zones/<zone>/grants/<id>` with `Idempotency-Key` → `204`; `404` when it was not
  there (Balie takes that as done).
- `GET /api/v1/grants` → `{"grants": [<grant as put>, …]}`: everything the controller holds.
- `POST /api/v1/zones/<zone>/open` with `{"pin"|"badgeId", "at"}` → `{"result": "open"|"refused"}`:
  what a keypad at the door asks; Balie itself never calls it (the demo and the tests do).

`HttpDoorController` speaks it; `demo_controller.DemoDoorController` is the same protocol on
loopback, with its own storage, enforcing the grants. They share every line but address and key.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import DoorController

USER_AGENT = "Balie-Toegang/1.0"


class ControllerError(Exception):
    """The controller did not do what was asked; `permanent`: asking again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.status = status


@dataclass(frozen=True)
class ControllerGrant:
    """A grant as the controller holds it."""

    id: str
    zone: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    credential: dict[str, str]
    reference: str = ""
    version: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "zone": self.zone,
            "reference": self.reference,
            "version": self.version,
            "validFrom": _iso(self.valid_from),
            "validUntil": _iso(self.valid_until),
            "credential": dict(self.credential),
        }

    @classmethod
    def from_dict(cls, data: Any) -> ControllerGrant:
        if not isinstance(data, dict):
            raise ControllerError("a grant in the answer is not an object")
        try:
            credential = data["credential"]
            if not isinstance(credential, dict):
                raise TypeError
            return cls(
                id=str(data["id"]),
                zone=str(data["zone"]),
                reference=str(data.get("reference") or ""),
                version=int(data.get("version") or 0),
                valid_from=parse_time(str(data["validFrom"])),
                valid_until=parse_time(str(data["validUntil"])),
                credential={str(k): str(v) for k, v in credential.items()},
            )
        except (KeyError, TypeError, ValueError):
            raise ControllerError("a grant in the answer lacks a field or has a bad one") from None

    def same_access(self, other: ControllerGrant) -> bool:
        """Opens the same doors with the same credential over the same window."""
        return (
            self.zone == other.zone
            and self.valid_from == other.valid_from
            and self.valid_until == other.valid_until
            and self.credential == other.credential
        )


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def parse_time(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time without a time zone")
    return moment.astimezone(dt.UTC)


class HttpDoorController:
    def __init__(self, base_url: str, *, api_key: str, timeout: float = 10.0) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ControllerError(f"not an http(s) address: {base_url!r}", permanent=True)
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def _call(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, key: uuid.UUID | None = None
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        if key is not None:
            headers["Idempotency-Key"] = str(key)
        request = urllib.request.Request(  # noqa: S310 - http(s) checked in __init__
            f"{self.base_url}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            # The answer's body is not repeated: it is the controller's, and may echo what was sent.
            permanent = 400 <= error.code < 500 and error.code not in (404, 408, 409, 425, 429)
            raise ControllerError(
                f"{method} {path}: HTTP {error.code}", permanent=permanent, status=error.code
            ) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise ControllerError(f"{method} {path}: {error}") from None
        if not raw:
            return status, None
        try:
            return status, json.loads(raw)
        except ValueError:
            raise ControllerError(f"{method} {path}: the answer is not JSON") from None

    @staticmethod
    def _grant_path(zone: str, grant_id: str) -> str:
        quoted_zone, quoted_id = urllib.parse.quote(zone, safe=""), urllib.parse.quote(grant_id, safe="")
        return f"/api/v1/zones/{quoted_zone}/grants/{quoted_id}"

    def put_grant(self, grant: ControllerGrant, *, idempotency_key: uuid.UUID) -> None:
        self._call("PUT", self._grant_path(grant.zone, grant.id), body=grant.as_dict(), key=idempotency_key)

    def delete_grant(self, *, zone: str, grant_id: str, idempotency_key: uuid.UUID) -> None:
        try:
            self._call("DELETE", self._grant_path(zone, grant_id), key=idempotency_key)
        except ControllerError as error:
            if error.status == 404:  # not there: what was asked
                return
            raise

    def list_grants(self) -> list[ControllerGrant]:
        _status, answer = self._call("GET", "/api/v1/grants")
        if not isinstance(answer, dict) or not isinstance(answer.get("grants"), list):
            raise ControllerError("GET /api/v1/grants: no list of grants in the answer")
        return [ControllerGrant.from_dict(item) for item in answer["grants"]]

    def open_door(self, *, zone: str, at: dt.datetime, pin: str = "", badge_id: str = "") -> bool:
        """What a keypad asks: does this PIN (or badge) open the zone at `at`?"""
        body: dict[str, Any] = {"at": _iso(at)}
        if pin:
            body["pin"] = pin
        if badge_id:
            body["badgeId"] = badge_id
        _status, answer = self._call(
            "POST", f"/api/v1/zones/{urllib.parse.quote(zone, safe='')}/open", body=body
        )
        return isinstance(answer, dict) and answer.get("result") == "open"


def client_for(controller: DoorController) -> HttpDoorController:
    """The client of a controller: its own address and the key in its environment variable; no
    address: the demo controller (BALIE_DOOR_DEMO_URL, set by `balie demo`, or one started in this
    process on first use)."""
    from django.conf import settings

    timeout = float(getattr(settings, "BALIE_DOOR_CONTROLLER_TIMEOUT", 10.0))
    if controller.base_url:
        key = os.environ.get(controller.api_key_variable, "") if controller.api_key_variable else ""
        return HttpDoorController(controller.base_url, api_key=key, timeout=timeout)
    url = str(getattr(settings, "BALIE_DOOR_DEMO_URL", "") or "")
    if url:
        return HttpDoorController(url, api_key=str(settings.BALIE_DOOR_DEMO_API_KEY), timeout=timeout)
    from .demo_controller import ensure_demo_controller

    demo = ensure_demo_controller()
    return HttpDoorController(demo.url, api_key=demo.api_key, timeout=timeout)
