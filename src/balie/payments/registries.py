"""How higher apps hear about their orders, without signals.

`order_settlement_handlers` is keyed by the order reference's prefix (`booking` for
`booking:<uuid>`); its handler is called after the commit that paid, refunded or cancelled an order,
with `(order, event)`, event one of "paid", "refunded", "cancelled".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from balie.core.registries import Registry

if TYPE_CHECKING:
    from .models import Order

SettlementHandler = Callable[["Order", str], None]

order_settlement_handlers: Registry[SettlementHandler] = Registry("payments.order_settlement_handlers")
