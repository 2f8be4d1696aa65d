"""Tariffs as data: which tariff applies to a slot, and the price frozen on a booking.

The time block follows from the slot in Belgian time: a Saturday or Sunday is a weekend day; eight
hours or more a day; a start from 18:00 an evening; four hours or more a half day (per started half
day); otherwise per started hour. Where the room has no tariff for that block, hours are charged.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from .models import CustomerCategory, Facility, Room, Tariff, TimeBlock

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    tariff: Tariff
    description: str
    time_block: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal

    @property
    def amount_excl_vat(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, ROUND_HALF_UP)

    @property
    def vat(self) -> Decimal:
        return (self.amount_excl_vat * self.vat_rate / 100).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Quote:
    lines: tuple[Line, ...]
    deposit: Decimal

    @property
    def total_excl_vat(self) -> Decimal:
        return sum((line.amount_excl_vat for line in self.lines), Decimal("0"))

    @property
    def total_vat(self) -> Decimal:
        return sum((line.vat for line in self.lines), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return self.total_excl_vat + self.total_vat


def time_block_of(starts_at: dt.datetime, ends_at: dt.datetime) -> tuple[str, Decimal]:
    """(time block, quantity) for a slot."""
    local = timezone.localtime(starts_at)
    hours = (ends_at - starts_at).total_seconds() / 3600
    if local.weekday() >= 5:
        return TimeBlock.WEEKEND, Decimal(max(1, math.ceil(hours / 24)))
    if hours >= 8:
        return TimeBlock.DAY, Decimal(max(1, math.ceil(hours / 24)))
    if local.time() >= dt.time(18):
        return TimeBlock.EVENING, Decimal(1)
    if hours >= 4:
        return TimeBlock.HALF_DAY, Decimal(math.ceil(hours / 4))
    return TimeBlock.HOUR, Decimal(math.ceil(hours))


def _tariff(
    *, room: Room | None, facility: Facility | None, category: CustomerCategory, block: str, on: dt.date
) -> Tariff | None:
    valid = Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    return (
        Tariff.objects.filter(valid, room=room, facility=facility, category=category, time_block=block)
        .order_by("-valid_from")
        .first()
    )


def quote(
    *,
    room: Room,
    category: CustomerCategory,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    facilities: list[Facility] | tuple[Facility, ...] = (),
) -> Quote:
    """The price of a slot as it would be frozen now. No tariff at all: free (an internal use)."""
    block, quantity = time_block_of(starts_at, ends_at)
    hours = Decimal(math.ceil((ends_at - starts_at).total_seconds() / 3600))
    on = timezone.localtime(starts_at).date()
    lines: list[Line] = []
    deposit = Decimal("0")
    for subject_room, facility in [(room, None), *[(None, f) for f in facilities]]:
        tariff = _tariff(room=subject_room, facility=facility, category=category, block=block, on=on)
        used_block, used_quantity = block, quantity
        if tariff is None and block != TimeBlock.HOUR:
            tariff = _tariff(
                room=subject_room, facility=facility, category=category, block=TimeBlock.HOUR, on=on
            )
            used_block, used_quantity = TimeBlock.HOUR, hours
        if tariff is None:
            continue
        name = str(subject_room or facility)
        lines.append(
            Line(
                tariff=tariff,
                description=f"{name} ({TimeBlock(used_block).label})",
                time_block=used_block,
                quantity=used_quantity,
                unit_price=tariff.price,
                vat_rate=tariff.vat_rate,
            )
        )
        if subject_room is not None:
            deposit = tariff.deposit
    return Quote(lines=tuple(lines), deposit=deposit)
