"""Signing MAGDA messages (WS-Security), pluggable.

In production MAGDA wants every SOAP message signed (an XML signature in a WS-Security header,
made with the organisation's certificate) on top of mutual TLS. Balie has no XML-signature
library installed (neither `signxml` nor `xmlsec`), so it does not sign by itself and does not
pretend to: `BALIE_MAGDA_SIGNER` names a function `sign(envelope: bytes) -> bytes` that returns
the signed envelope, e.g. one built on xmlsec once that package is added. Without it messages go
out unsigned, which the demo service accepts and MAGDA refuses; `balie check --deploy` warns.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

Signer = Callable[[bytes], bytes]


def configured_signer() -> Signer | None:
    """The signer named in BALIE_MAGDA_SIGNER, or None when messages go out unsigned."""
    path = getattr(settings, "BALIE_MAGDA_SIGNER", "")
    if not path:
        return None
    signer: Signer = import_string(path)
    return signer
