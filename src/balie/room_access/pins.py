"""How a PIN is kept: never in clear, not in the database, a log, an audit row or an outbox payload.

- `pin_cipher`: the PIN encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key from
  `BALIE_ACCESS_PIN_KEY` (any string; empty: derived from SECRET_KEY), so Balie can show it to its
  holder again (portal, e-mail). Only `pin_for_holder` decrypts it.
- `pin_salt` + `pin_hash`: SHA-256 of "<salt>:<pin>", what the door controller receives and checks
  a typed PIN against; the controller never holds the PIN in clear either. Six digits are quickly
  tried against a hash: the hash keeps the PIN out of sight (screens, exports, the controller's
  own logs), it is not a defence against someone who has the controller's storage, for whom the
  grant's short window is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

PIN_DIGITS = 6


def _fernet() -> Fernet:
    secret = str(getattr(settings, "BALIE_ACCESS_PIN_KEY", "") or "") or f"pin-key:{settings.SECRET_KEY}"
    key = hashlib.sha256(secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def encrypt_pin(pin: str) -> str:
    return _fernet().encrypt(pin.encode()).decode()


def decrypt_pin(cipher: str) -> str:
    try:
        return _fernet().decrypt(cipher.encode()).decode()
    except InvalidToken:
        raise ValueError("the PIN cannot be decrypted with this BALIE_ACCESS_PIN_KEY") from None


def new_salt() -> str:
    return secrets.token_hex(16)


def hash_pin(pin: str, salt: str) -> str:
    """What the door controller stores and compares: the same function runs on the controller."""
    return hashlib.sha256(f"{salt}:{pin}".encode()).hexdigest()


def pin_matches(pin: str, *, salt: str, expected: str) -> bool:
    return hmac.compare_digest(hash_pin(pin, salt), expected)
