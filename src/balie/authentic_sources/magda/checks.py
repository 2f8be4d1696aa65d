"""`balie check --deploy`: MAGDA set up for production (not the demo, with certificates, signed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string


@register(Tags.security, deploy=True)
def check_magda(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    url: str = settings.BALIE_MAGDA_URL.strip()
    if url.lower() == "off":  # not connected to MAGDA: nothing to check
        return []
    if not url:
        return [
            Warning(
                "BALIE_MAGDA_URL is empty: 'fetch from the Rijksregister' answers from the demo service "
                "with fictional persons.",
                id="balie.W101",
            )
        ]
    found: list[CheckMessage] = []
    if url.startswith("https://") and not settings.BALIE_MAGDA_CERT:
        found.append(
            Warning(
                "MAGDA needs a client certificate: set BALIE_MAGDA_CERT and BALIE_MAGDA_KEY.", id="balie.W102"
            )
        )
    if not url.startswith("https://"):
        found.append(
            Warning("BALIE_MAGDA_URL is not https: MAGDA is reached over mutual TLS only.", id="balie.W103")
        )
    signer: str = settings.BALIE_MAGDA_SIGNER
    if signer:
        try:
            import_string(signer)
        except ImportError:
            found.append(Error(f"BALIE_MAGDA_SIGNER {signer!r} cannot be imported.", id="balie.E101"))
    else:
        found.append(
            Warning(
                "MAGDA messages go out unsigned (no BALIE_MAGDA_SIGNER); MAGDA wants WS-Security signatures.",
                id="balie.W104",
            )
        )
    return found
