"""How higher apps plug into parties, without signals.

`address_checkers`: each checks a Belgian address before it is saved (the postcode exists, the
municipality goes with it) and may complete it; `authentic_sources` registers the postcode list.
"""

from __future__ import annotations

from collections.abc import Callable

from balie.core.registries import Registry

from .models import AddressFields

AddressChecker = Callable[[AddressFields], None]
"""checker(address): called from `AddressFields.clean()` (so by every full_clean of an Address or an
EstablishmentUnit); may fill in fields (an empty municipality from the postcode) and raises
ValidationError with a message per field to refuse the address."""

address_checkers: Registry[AddressChecker] = Registry("address checkers")
