"""Template helpers of the payments pages: euro amounts, the register link in the menu."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from balie.payments.money import format_euro
from balie.payments.permissions import can_work_register as _can_work_register

register = template.Library()


@register.filter
def euro(value: Decimal | None) -> str:
    return "—" if value is None else format_euro(Decimal(value))


@register.filter
def can_work_register(user: Any) -> bool:
    return _can_work_register(user)


@register.filter
def get_item(mapping: dict[str, Any], key: Any) -> Any:
    return mapping.get(str(key), [])
