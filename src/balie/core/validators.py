"""Validators shared by every domain: text that may not carry markup."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"[<>]|&#|javascript:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_plain_text(value: str) -> None:
    """Names and short labels: no HTML, no script, no control characters."""
    if _MARKUP.search(value):
        raise ValidationError(
            _("Gebruik geen HTML-tekens (< of >) of scriptcode in dit veld."), code="markup"
        )
    if _CONTROL.search(value):
        raise ValidationError(_("Dit veld bevat ongeldige tekens."), code="control")


def validate_no_control_chars(value: str) -> None:
    """Longer free text (summaries) may hold < and >; it is escaped on display."""
    if _CONTROL.search(value):
        raise ValidationError(_("Dit veld bevat ongeldige tekens."), code="control")
