"""Which state an order may move to, as data, checked here only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Order, OrderState

S = OrderState

TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.PAID, S.CANCELLED},
    S.PAID: {S.OPEN, S.CANCELLED},
    S.CANCELLED: set(),
}


def check_transition(order: Order, to: str) -> None:
    if to not in TRANSITIONS[order.state]:
        raise ValidationError(
            _("Een bestelling die %(state)s is, kan niet meer veranderen.")
            % {"state": order.get_state_display()},
            code="transition",
        )
