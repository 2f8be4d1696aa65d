"""Signing of the work-order system's status callbacks: HMAC-SHA256 over timestamp, nonce and body.

Headers: `X-Balie-Timestamp` (Unix seconds), `X-Balie-Nonce` (unique per callback, 16-64 chars),
`X-Balie-Signature` (`sha256=<hex>` of `<timestamp>.<nonce>.<body>` with the shared secret). Balie
refuses a callback whose signature is wrong, whose timestamp is further than
BALIE_REPORTS_CALLBACK_MAX_AGE from now, or whose nonce it has seen (a replay).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

TIMESTAMP = "X-Balie-Timestamp"
NONCE = "X-Balie-Nonce"
SIGNATURE = "X-Balie-Signature"


def signature(secret: str, *, timestamp: str, nonce: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{nonce}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(
    secret: str, body: bytes, *, now: float | None = None, nonce: str | None = None
) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    nonce = nonce or secrets.token_hex(16)
    return {
        TIMESTAMP: timestamp,
        NONCE: nonce,
        SIGNATURE: signature(secret, timestamp=timestamp, nonce=nonce, body=body),
        "Content-Type": "application/json",
    }


def callback_secret() -> str:
    """The shared secret: the setting, else one derived from SECRET_KEY (so the demo just works)."""
    from django.conf import settings

    if settings.BALIE_REPORTS_CALLBACK_SECRET:
        return str(settings.BALIE_REPORTS_CALLBACK_SECRET)
    return hmac.new(settings.SECRET_KEY.encode(), b"balie.reports.callback", hashlib.sha256).hexdigest()
