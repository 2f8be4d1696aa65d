"""A per-unit, per-week summary of the busy periods (PostgreSQL only), kept by a trigger.

Availability over many rooms used to read one index tuple per occupancy and send one row per
occupancy (16,000 for 200 rooms over a month): the fetch cost more than the search. The summary
holds, per unit and week, the live occupancies of at most a day that start in that week, as one
sorted array `[start₁, end₁, start₂, end₂, …]` in epoch seconds (`spans`), and the same as
big-endian 64-bit integers end to end (`packed`), which is what availability reads: a month of 200
rooms is about 1,100 short rows, and bytes arrive and unpack several times faster than an array of
numbers. Live occupancies on one unit never overlap (the exclusion constraint), so the
array is non-decreasing and the pairs of consecutive weeks simply follow each other.

The trigger changes the week's row under its row lock (insert-or-lock, then rewrite), so two
bookings of one unit in one week at the same moment both land; it runs inside the writer's
transaction, so a refused booking leaves no trace. Longer occupancies (blackouts, multi-day
bookings) stay in the partial index `reservations_occupancy_long` of 0003 and are read from the
table. `availability.busy_spans` reads both. A TRUNCATE of the occupancies empties the summary too.

The short covering index of 0003 served only availability; it goes, which pays for the trigger on
every booking. SQLite reads the occupancy rows as before.
"""

from django.db import migrations

TABLE = "reservations_occupancy_week"
WEEK = 604800  # seconds; weeks counted from the epoch (a Thursday), as `availability.WEEK`
SHORT = "(ends_at - starts_at) <= interval '1 day'"

CREATE = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    unit_id integer NOT NULL,
    week integer NOT NULL,
    spans bigint[] NOT NULL,
    packed bytea NOT NULL,
    PRIMARY KEY (unit_id, week)
);

CREATE OR REPLACE FUNCTION {TABLE}_pack(spans bigint[]) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(string_agg(int8send(x), ''::bytea ORDER BY o), ''::bytea)
    FROM unnest(spans) WITH ORDINALITY AS t (x, o)
$$;

CREATE OR REPLACE FUNCTION {TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s bigint;
    e bigint;
    w integer;
    arr bigint[];
    i integer;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.live AND OLD.ends_at - OLD.starts_at <= interval '1 day' THEN
        s := date_part('epoch', OLD.starts_at)::bigint;
        e := date_part('epoch', OLD.ends_at)::bigint;
        w := floor(s / {WEEK}.0)::integer;
        SELECT spans INTO arr FROM {TABLE} WHERE unit_id = OLD.unit_id AND week = w FOR UPDATE;
        -- the pair (s, e) at a start position (odd, counting from 1): an end equal to s comes first
        -- when two occupancies are back to back
        i := array_position(arr, s);
        WHILE i IS NOT NULL AND (mod(i, 2) = 0 OR arr[i + 1] <> e) LOOP
            i := array_position(arr, s, i + 1);
        END LOOP;
        IF i IS NOT NULL THEN
            arr := arr[:i - 1] || arr[i + 2:];
            IF cardinality(arr) = 0 THEN
                DELETE FROM {TABLE} WHERE unit_id = OLD.unit_id AND week = w;
            ELSE
                UPDATE {TABLE} SET spans = arr, packed = {TABLE}_pack(arr)
                WHERE unit_id = OLD.unit_id AND week = w;
            END IF;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.live AND NEW.ends_at - NEW.starts_at <= interval '1 day' THEN
        s := date_part('epoch', NEW.starts_at)::bigint;
        e := date_part('epoch', NEW.ends_at)::bigint;
        w := floor(s / {WEEK}.0)::integer;
        INSERT INTO {TABLE} (unit_id, week, spans, packed)
        VALUES (NEW.unit_id, w, ARRAY[s, e], int8send(s) || int8send(e))
        ON CONFLICT (unit_id, week) DO NOTHING;
        IF NOT FOUND THEN
            SELECT spans INTO arr FROM {TABLE} WHERE unit_id = NEW.unit_id AND week = w FOR UPDATE;
            i := 1;
            WHILE i <= cardinality(arr) AND arr[i] < s LOOP
                i := i + 2;
            END LOOP;
            arr := arr[:i - 1] || ARRAY[s, e] || arr[i:];
            UPDATE {TABLE} SET spans = arr, packed = {TABLE}_pack(arr)
            WHERE unit_id = NEW.unit_id AND week = w;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION {TABLE}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {TABLE};
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS {TABLE}_sync ON reservations_occupancy;

CREATE TRIGGER {TABLE}_sync
    AFTER INSERT OR DELETE OR UPDATE OF unit_id, starts_at, ends_at, live ON reservations_occupancy
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync();

DROP TRIGGER IF EXISTS {TABLE}_truncate ON reservations_occupancy;

CREATE TRIGGER {TABLE}_truncate
    AFTER TRUNCATE ON reservations_occupancy
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_truncate();

TRUNCATE {TABLE};

INSERT INTO {TABLE} (unit_id, week, spans, packed)
SELECT o.unit_id, floor(o.s / {WEEK}.0)::integer, array_agg(p.v ORDER BY o.s, p.k),
    string_agg(int8send(p.v), ''::bytea ORDER BY o.s, p.k)
FROM (
    SELECT unit_id, date_part('epoch', starts_at)::bigint AS s, date_part('epoch', ends_at)::bigint AS e
    FROM reservations_occupancy WHERE live AND {SHORT}
) o
CROSS JOIN LATERAL (VALUES (0, o.s), (1, o.e)) AS p (k, v)
GROUP BY 1, 2;

ANALYZE {TABLE};

DROP INDEX IF EXISTS reservations_occupancy_short;
"""

DROP = f"""DROP TRIGGER IF EXISTS {TABLE}_sync ON reservations_occupancy;

DROP TRIGGER IF EXISTS {TABLE}_truncate ON reservations_occupancy;

DROP FUNCTION IF EXISTS {TABLE}_sync();

DROP FUNCTION IF EXISTS {TABLE}_truncate();

DROP FUNCTION IF EXISTS {TABLE}_pack(bigint[]);

DROP TABLE IF EXISTS {TABLE};

CREATE INDEX IF NOT EXISTS reservations_occupancy_short ON reservations_occupancy (unit_id, starts_at)
    INCLUDE (ends_at) WHERE live AND {SHORT};
"""


def _run(schema_editor, script: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in script.strip().split("\n\n"):  # one statement each
            cursor.execute(statement)


def create(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("reservations", "0003_occupancy_covering_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
