"""An external signing platform: the document is uploaded with its signers, the signers sign on
the platform, the platform calls Balie back, and Balie downloads the signed file.

The protocol (JSON over HTTPS; `Authorization: Bearer <BALIE_SIGNING_PLATFORM_API_KEY>`):

- `POST /api/v1/packages` with `Idempotency-Key: <uuid>` and
  `{"reference", "title", "document": {"filename", "content" (base64), "sha256"},
  "signers": [{"order", "name", "email", "function"}], "callbackUrl"}`
  → `201 {"id", "status": "pending"}`; the same key again → the same package (`200`).
- `GET /api/v1/packages/<id>` → `{"id", "reference", "status": pending|signed|refused|cancelled,
  "reason"}`.
- `GET /api/v1/packages/<id>/document` → the signed PDF (`409` while it is not signed).
- `DELETE /api/v1/packages/<id>` → `204`: cancelled (a signed package stays signed: `409`).
- The callback: the platform POSTs `{"id", "reference", "status": "signed"|"refused", "reason"}`
  to `callbackUrl` and tries again later unless it gets a 2xx answer.

`HttpSigningPlatform` speaks it; `signing_platform_demo.DemoSigningPlatform` is the same protocol
on loopback, signing with pyHanko. The production adapter and the demo share every line but the
address and the key.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger("balie.signing.platform")

USER_AGENT = "Balie-Ondertekening/1.0"
PACKAGE_STATUSES = ("pending", "signed", "refused", "cancelled")


class PlatformError(Exception):
    """The platform did not do what was asked. `permanent`: asking again cannot help (the
    request itself is wrong, or the package is gone)."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.status = status


@dataclass(frozen=True)
class PlatformSigner:
    order: int
    name: str
    email: str
    function: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"order": self.order, "name": self.name, "email": self.email, "function": self.function}


@dataclass(frozen=True)
class PackageStatus:
    id: str
    reference: str
    status: str
    reason: str = ""


class SigningPlatform(ABC):
    """What Balie asks of a signing platform."""

    @abstractmethod
    def upload(
        self,
        *,
        reference: str,
        title: str,
        filename: str,
        content: bytes,
        signers: list[PlatformSigner],
        callback_url: str,
        idempotency_key: uuid.UUID,
    ) -> str:
        """Create a package; returns its id on the platform."""

    @abstractmethod
    def status(self, package_id: str) -> PackageStatus: ...

    @abstractmethod
    def download(self, package_id: str) -> bytes:
        """The signed PDF."""

    @abstractmethod
    def cancel(self, package_id: str) -> None: ...


class HttpSigningPlatform(SigningPlatform):
    def __init__(self, base_url: str, *, api_key: str, timeout: float = 30.0) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise PlatformError(f"not an http(s) address: {base_url!r}", permanent=True)
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        expect_json: bool = True,
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - http(s) checked in __init__
            f"{self.base_url}{path}",
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Accept": "application/json" if expect_json else "application/pdf",
                "User-Agent": USER_AGENT,
                **({"Content-Type": "application/json"} if data is not None else {}),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:300].decode(errors="replace")
            # 4xx but 408/429: the request is wrong or the package gone; anything else may pass later.
            permanent = 400 <= error.code < 500 and error.code not in (408, 409, 425, 429)
            raise PlatformError(
                f"{method} {path}: HTTP {error.code} {detail}", permanent=permanent, status=error.code
            ) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise PlatformError(f"{method} {path}: {error}") from None
        if not expect_json:
            return status, raw
        if not raw:
            return status, None
        try:
            return status, json.loads(raw)
        except ValueError:
            raise PlatformError(f"{method} {path}: the answer is not JSON") from None

    def upload(
        self,
        *,
        reference: str,
        title: str,
        filename: str,
        content: bytes,
        signers: list[PlatformSigner],
        callback_url: str,
        idempotency_key: uuid.UUID,
    ) -> str:
        body = {
            "reference": reference,
            "title": title,
            "document": {
                "filename": filename,
                "content": base64.b64encode(content).decode(),
                "sha256": hashlib.sha256(content).hexdigest(),
            },
            "signers": [signer.as_dict() for signer in signers],
            "callbackUrl": callback_url,
        }
        _status, answer = self._call(
            "POST", "/api/v1/packages", body=body, headers={"Idempotency-Key": str(idempotency_key)}
        )
        package_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(package_id, str) or not package_id:
            raise PlatformError("POST /api/v1/packages: no package id in the answer")
        return package_id

    def status(self, package_id: str) -> PackageStatus:
        _status, answer = self._call("GET", f"/api/v1/packages/{urllib.parse.quote(package_id, safe='')}")
        if not isinstance(answer, dict) or answer.get("status") not in PACKAGE_STATUSES:
            raise PlatformError("GET package: an answer without a known status")
        return PackageStatus(
            id=str(answer.get("id", package_id)),
            reference=str(answer.get("reference", "")),
            status=str(answer["status"]),
            reason=str(answer.get("reason") or ""),
        )

    def download(self, package_id: str) -> bytes:
        _status, data = self._call(
            "GET", f"/api/v1/packages/{urllib.parse.quote(package_id, safe='')}/document", expect_json=False
        )
        return bytes(data)

    def cancel(self, package_id: str) -> None:
        try:
            self._call("DELETE", f"/api/v1/packages/{urllib.parse.quote(package_id, safe='')}")
        except PlatformError as error:
            if error.status == 404:  # gone already
                return
            raise


def signing_platform() -> SigningPlatform | None:
    """The platform of BALIE_SIGNING_PLATFORM_URL; empty: the demo platform of this process, on
    loopback; "off": none."""
    from django.conf import settings

    url = str(getattr(settings, "BALIE_SIGNING_PLATFORM_URL", "") or "").strip()
    timeout = float(getattr(settings, "BALIE_SIGNING_PLATFORM_TIMEOUT", 30.0))
    if url.lower() == "off":
        return None
    if not url:
        from .signing_platform_demo import ensure_demo_platform

        demo = ensure_demo_platform()
        return HttpSigningPlatform(demo.url, api_key=demo.api_key, timeout=timeout)
    return HttpSigningPlatform(
        url, api_key=str(getattr(settings, "BALIE_SIGNING_PLATFORM_API_KEY", "") or ""), timeout=timeout
    )
