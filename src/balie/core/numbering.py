"""Register numbers that cannot collide and leave no gaps.

A number is taken by one atomic upsert on a counter row, inside the caller's transaction: the row
stays locked until that transaction ends, so concurrent registrations queue behind each other, and
a rollback returns the number. Never max()+1.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from .models import Counter


def next_number(*, register: str, year: int | None = None) -> int:
    """Allocate the next number of `register` for `year` (default: this year, Belgian time)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the registering transaction")
    if year is None:
        year = timezone.localdate().year
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (register, year, value) VALUES (%s, %s, 1) "
            f"ON CONFLICT (register, year) DO UPDATE SET value = {table}.value + 1 "
            "RETURNING value",
            [register, year],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def format_register_number(*, prefix: str, year: int, number: int, width: int = 6) -> str:
    """`IN-2026-000123` style: prefix, year, zero-padded number."""
    return f"{prefix}-{year}-{number:0{width}d}"


def next_register_number(*, prefix: str, width: int = 6) -> str:
    """Allocate and format in one go: `next_register_number(prefix="IN")` -> `IN-2026-000001`."""
    year = timezone.localdate().year
    return format_register_number(
        prefix=prefix, year=year, number=next_number(register=prefix, year=year), width=width
    )
