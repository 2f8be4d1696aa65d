"""`balie check --deploy`: MAGDA set up for production (not the demo, with certificates, signed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

from .signing import SigningConfigurationError, load_certificates, load_signer

CERTIFICATE_WARNING = dt.timedelta(days=30)
"""`check --deploy` warns this long before the signing certificate expires."""


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
    elif settings.BALIE_MAGDA_SIGN_KEY:
        found += _check_signing_key()
    else:
        found.append(
            Warning(
                "MAGDA messages go out unsigned: set BALIE_MAGDA_SIGN_KEY and BALIE_MAGDA_SIGN_CERT "
                "(or BALIE_MAGDA_SIGNER); MAGDA wants WS-Security signatures.",
                id="balie.W104",
            )
        )
    if settings.BALIE_MAGDA_SERVER_CERT:
        try:
            load_certificates(settings.BALIE_MAGDA_SERVER_CERT)
        except SigningConfigurationError as error:
            found.append(Error(f"BALIE_MAGDA_SERVER_CERT cannot be used: {error}.", id="balie.E103"))
    return found


def _check_signing_key() -> list[CheckMessage]:
    try:
        signer = load_signer(
            settings.BALIE_MAGDA_SIGN_KEY,
            settings.BALIE_MAGDA_SIGN_CERT,
            settings.BALIE_MAGDA_SIGN_KEY_PASSWORD,
        )
    except SigningConfigurationError as error:
        return [Error(f"The MAGDA signing key or certificate cannot be used: {error}.", id="balie.E102")]
    expires = signer.certificate.not_valid_after_utc
    if expires < dt.datetime.now(dt.UTC) + CERTIFICATE_WARNING:
        return [
            Warning(
                f"The MAGDA signing certificate (BALIE_MAGDA_SIGN_CERT) expires on {expires:%Y-%m-%d}: "
                "renew it in time, MAGDA refuses messages signed with an expired one.",
                id="balie.W105",
            )
        ]
    return []
