"""Covering b-tree indexes for availability (PostgreSQL only): the busy periods of many rooms over a
window come from an index-only scan instead of a bitmap scan of the exclusion constraint's GiST index.

Two partial indexes on (unit, starts_at) INCLUDE (ends_at) over live rows: one for occupancies of
at most a day (nearly all of them; a window then reads only the rows that start in it or at most a
day before), one for the few longer ones (blackouts, multi-day bookings), read whole per unit.
`availability.busy_spans` writes its two halves with the same predicates, so that the planner
proves each index usable. SQLite keeps the plain (unit, starts_at) index of 0001.
"""

from django.db import migrations

SHORT = "reservations_occupancy_short"
LONG = "reservations_occupancy_long"
SHORT_PREDICATE = "(ends_at - starts_at) <= interval '1 day'"
LONG_PREDICATE = "(ends_at - starts_at) > interval '1 day'"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, predicate in ((SHORT, SHORT_PREDICATE), (LONG, LONG_PREDICATE)):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON reservations_occupancy (unit_id, starts_at) "
            f"INCLUDE (ends_at) WHERE live AND {predicate}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in (SHORT, LONG):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reservations", "0002_wire_payments_and_door_access")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
