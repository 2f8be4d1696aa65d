"""`balie check --deploy`: signing set up for production (a certificate that opens and does not
expire soon, kept secret; roots to trust; a real signing platform reached over https)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ValidationError
from django.utils import timezone

CERTIFICATE_WARNING = dt.timedelta(days=30)
"""`check --deploy` warns this long before the municipality's certificate expires."""


@register(Tags.security, deploy=True)
def check_signing(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from .credentials import municipality_configured, municipality_credentials

    found: list[CheckMessage] = []
    path = str(settings.BALIE_SIGNING_PKCS12 or "").strip()
    if municipality_configured():
        if path and not settings.BALIE_SIGNING_PKCS12_BASE64:
            try:
                if os.stat(path).st_mode & 0o077:
                    found.append(
                        Warning(
                            f"The signing certificate {path} can be read by other users: chmod 600 it.",
                            id="balie.W161",
                        )
                    )
            except OSError:
                pass
        try:
            credentials = municipality_credentials()
        except ValidationError as error:
            found.append(
                Error(f"The signing certificate cannot be used: {' '.join(error.messages)}", id="balie.E161")
            )
        else:
            expires = credentials.certificate.not_valid_after_utc
            if expires - CERTIFICATE_WARNING < timezone.now():
                found.append(
                    Warning(
                        f"The signing certificate expires on {expires:%Y-%m-%d}: renew it.", id="balie.W162"
                    )
                )
    platform = str(settings.BALIE_SIGNING_PLATFORM_URL or "").strip()
    signs = municipality_configured() or platform.lower() != "off"
    if signs and not settings.BALIE_SIGNING_TRUST_ROOTS:
        found.append(
            Warning(
                "BALIE_SIGNING_TRUST_ROOTS is empty: every signature is shown as 'niet vertrouwd'.",
                id="balie.W163",
            )
        )
    if platform.lower() != "off":
        if not platform:
            found.append(
                Warning(
                    "BALIE_SIGNING_PLATFORM_URL is empty: the signing platform is the demo on loopback "
                    "(set off when there is none).",
                    id="balie.W164",
                )
            )
        elif not platform.startswith("https://") or not str(settings.BALIE_SIGNING_CALLBACK_URL).startswith(
            "https://"
        ):
            found.append(
                Warning(
                    "The signing platform and its callback (BALIE_SIGNING_PLATFORM_URL, "
                    "BALIE_SIGNING_CALLBACK_URL) must be https.",
                    id="balie.W165",
                )
            )
    return found
