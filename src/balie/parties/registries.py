"""How higher apps tell parties which of a party's fields they own.

A field filled from an authentic source (the Rijksregister, the KBO) is read-only in Balie: only
that source changes it. `authentic_sources` registers a provider that names, for one party, the
fields it filled, from which source and when; `update_party` and `add_address` ask
`locked_fields` before they change anything.

`address_checkers`: each checks a Belgian address before it is saved (the postcode exists, the
municipality goes with it) and may complete it; `authentic_sources` registers the postcode list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from balie.core.registries import Registry

from .models import AddressFields, Party


@dataclass(frozen=True)
class LockedField:
    """A field of a party that an authentic source filled.

    `field` is a Party field name, or `address.<kind>` for the current address of that kind.
    `source` is the source's key (e.g. "rijksregister"), `source_label` how people call it.
    """

    field: str
    source: str
    source_label: str
    since: dt.datetime


LockedFieldProvider = Callable[[Party], Iterable[LockedField]]
"""provider(party) -> the fields of this party that its source owns."""

locked_field_providers: Registry[LockedFieldProvider] = Registry("locked field providers")


def locked_fields(party: Party) -> dict[str, LockedField]:
    """Every locked field of `party`, by field name (a party without any: no query at all when no
    provider is registered)."""
    locked: dict[str, LockedField] = {}
    if party.pk is None:
        return locked
    for _key, provider in locked_field_providers:
        for lock in provider(party):
            locked.setdefault(lock.field, lock)
    return locked


AddressChecker = Callable[[AddressFields], None]
"""checker(address): called from `AddressFields.clean()` (so by every full_clean of an Address or an
EstablishmentUnit); may fill in fields (an empty municipality from the postcode) and raises
ValidationError with a message per field to refuse the address."""

address_checkers: Registry[AddressChecker] = Registry("address checkers")
