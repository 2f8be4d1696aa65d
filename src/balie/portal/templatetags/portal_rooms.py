"""Template filters of the e-loket's room booking and payment pages."""

from decimal import Decimal

from django import template

from balie.parties.models import Party
from balie.payments.models import Order
from balie.payments.money import format_euro
from balie.payments.queries import orders_of_party
from balie.reservations.models import Booking
from balie.reservations.queries import bookings_of_party

register = template.Library()
ON_PAGE = 10


@register.filter
def euro(amount: Decimal | None) -> str:
    return "" if amount is None else format_euro(amount)


@register.simple_tag
def bookings_of(party: Party) -> list[Booking]:
    """For "Mijn gemeente": the party's latest bookings (the view of that page stays as it is)."""
    return list(bookings_of_party(party)[:ON_PAGE])


@register.simple_tag
def orders_of(party: Party) -> list[Order]:
    return list(orders_of_party(party)[:ON_PAGE])


@register.filter
def euro_abs(amount: Decimal | None) -> str:
    """A ledger amount without its sign (a payment counts down, a refund up)."""
    return "" if amount is None else format_euro(abs(amount))
