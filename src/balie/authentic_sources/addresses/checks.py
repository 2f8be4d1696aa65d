"""`balie check --deploy`: addresses set up for production (real postcodes, a real register)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_addresses(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if settings.BALIE_FICTIONAL_POSTCODES:
        found.append(
            Warning(
                "BALIE_FICTIONAL_POSTCODES is on: addresses in the demo's invented postcodes 2645 and "
                "2646 (Zonnedaal) are accepted.",
                id="balie.W111",
            )
        )
    if not settings.BALIE_ADDRESS_REGISTER_URL.strip():
        found.append(
            Warning(
                "BALIE_ADDRESS_REGISTER_URL is empty: addresses are checked in the demo address register "
                "(set the Basisregisters Vlaanderen API, or 'off').",
                id="balie.W112",
            )
        )
    return found
