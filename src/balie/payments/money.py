"""Amounts of money: Decimal euros with two places, never floats.

Core has no money helper yet, so payments keeps its own; it is small and has no domain.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
AMOUNT_PATTERN = re.compile(r"^\d{1,9}([.,]\d{1,2})?$")


def cents(value: Decimal | int | str) -> Decimal:
    """Round to whole cents, half up (as a Belgian invoice does)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str, *, field: str = "") -> Decimal:
    """A typed amount (`12,50`, `12.5`, `1250`) as a Decimal; letters and signs are refused."""
    cleaned = (text or "").strip().replace("€", "").replace(" ", "")
    if not AMOUNT_PATTERN.match(cleaned):
        raise ValidationError(
            _("„%(text)s” is geen bedrag: typ alleen cijfers, met eventueel een komma en twee decimalen.")
            % {"text": text[:30]},
            code="not_an_amount",
        )
    try:
        return cents(Decimal(cleaned.replace(",", ".")))
    except InvalidOperation as error:  # pragma: no cover - the pattern keeps this out
        raise ValidationError(_("Geen geldig bedrag."), code="not_an_amount") from error


def format_euro(amount: Decimal) -> str:
    """`€ 1.234,50` the Belgian way."""
    sign = "-" if amount < 0 else ""
    whole, _dot, fraction = f"{abs(cents(amount)):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€ {'.'.join(groups)},{fraction}"
