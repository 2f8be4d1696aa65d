"""Load a large, realistic data set into a dedicated PostgreSQL database for the benchmark.

    uv run python bench/load.py --persons 1000000 --contacts 10000000

Creates the database (default `balie_bench`, dropped first if it exists), runs the migrations,
COPYs the reference data (departments, employees, topics, name and street lists) and generates
the big tables inside PostgreSQL with INSERT ... SELECT over generate_series, which is several
times faster than streaming 10M rows from Python. Secondary indexes and foreign keys are dropped
before the load and rebuilt afterwards, two at a time; then VACUUM ANALYZE. Each phase is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / "src"), str(BENCH_DIR)]

import names  # noqa: E402

from balie.core.text import normalize  # noqa: E402

DEFAULT_DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/balie_bench")
BIG_TABLES = [
    "parties_party",
    "parties_address",
    "parties_contactpoint",
    "contact_moments_contactmoment",
    "contact_moments_internaltask",
]
BUILD_ORDER = [
    "contact_moments_contactmoment",
    "parties_party",
    "parties_contactpoint",
    "parties_address",
    "contact_moments_internaltask",
]
YEARS_OF_CONTACTS = 3
BENCH_PASSWORD = "Balie-bench-2026"
MOBILE_PREFIXES = [
    "460", "465", "466", "467", "468", "470", "471", "472", "473", "474", "475", "476", "477",
    "478", "479", "484", "485", "486", "487", "488", "489", "490", "491", "492", "493", "494",
]  # fmt: skip
ACCENTS = ("áàâäãåéèêëíìîïóòôöõúùûüýÿçñ", "aaaaaaeeeeiiiiooooouuuuyycn")


def log(message: str) -> None:
    print(message, flush=True)


class Timer:
    """Named phases with their wall-clock time, in the order they ran."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str, rows: Callable[[], int] | None = None) -> Iterator[None]:
        log(f"… {name}")
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.phases[name] = seconds
        extra = ""
        if rows is not None:
            count = rows()
            extra = f"  {count:,} rows, {count / seconds:,.0f} rows/s" if seconds else ""
        log(f"✓ {name}: {seconds:.1f} s{extra}")

    @property
    def total(self) -> float:
        return sum(self.phases.values())


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    conn = psycopg.connect(url, **kwargs)
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET work_mem = '256MB'")
    conn.execute("SET jit = off")
    return conn


# --- phases -------------------------------------------------------------------------------------


def create_database(url: str) -> None:
    name = database_name(url)
    if name in ("postgres", "balie_dev", "template0", "template1") or not name:
        raise SystemExit(f"refusing to drop database {name!r}: give the benchmark its own")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "balie.conf.settings"}
    subprocess.run([sys.executable, str(PROJECT_DIR / "manage.py"), "migrate", "-v0"], env=env, check=True)


def copy_rows(conn: psycopg.Connection[Any], table: str, columns: list[str], rows: Any) -> int:
    count = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def load_reference_data(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Departments, teams, employees, roles, topics (COPY), and the lists the generator draws from."""
    from django.contrib.auth.hashers import make_password

    conn.execute("CREATE SCHEMA bench")
    copy_rows(
        conn,
        "accounts_department",
        ["id", "uuid", "created_at", "updated_at", "name", "code", "email", "active"],
        (
            (i, uuid.uuid4(), "2023-01-01", "2023-01-01", name, code, f"{code}@zonnedaal.be", True)
            for i, (name, code) in enumerate(names.DEPARTMENTS, start=1)
        ),
    )
    departments = {code: i for i, (_, code) in enumerate(names.DEPARTMENTS, start=1)}
    teams: list[tuple[int, int, str]] = []
    for dep_id in departments.values():
        for letter in "AB":
            teams.append((len(teams) + 1, dep_id, f"Team {letter}"))
    copy_rows(
        conn,
        "accounts_team",
        ["id", "uuid", "created_at", "updated_at", "name", "active", "department_id"],
        ((i, uuid.uuid4(), "2023-01-01", "2023-01-01", n, True, d) for i, d, n in teams),
    )
    password = make_password(BENCH_PASSWORD)
    family = names.family_names(200)
    given = [g for g, _ in names.given_names(200)]
    employees: list[tuple[int, str, str, str, int, int, str]] = []  # id, username, names, unit, role
    for dep_index, (code, dep_id) in enumerate(departments.items()):
        for n in range(5):
            user_id = len(employees) + 1
            role = "front_desk" if code == "onthaal" else "case_handler"
            employees.append(
                (user_id, f"{code}{n + 1}", given[user_id], family[user_id], dep_id,
                 dep_index * 2 + 1 + n % 2, role)
            )  # fmt: skip
    copy_rows(
        conn,
        "accounts_user",
        ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
         "is_staff", "is_active", "date_joined", "uuid", "kind", "job_title", "department_id",
         "team_id"],
        (
            (i, password, False, username, first, last, f"{username}@zonnedaal.be", False, True,
             "2023-01-01", uuid.uuid4(), "employee", "", dep, team)
            for i, username, first, last, dep, team, _ in employees
        ),
    )  # fmt: skip
    copy_rows(
        conn,
        "accounts_roleassignment",
        ["user_id", "role"],
        [(e[0], e[6]) for e in employees] + [(1, "team_lead"), (2, "privacy_officer")],
    )
    copy_rows(
        conn,
        "contact_moments_topic",
        ["id", "uuid", "created_at", "updated_at", "name", "description", "keywords", "active",
         "department_id"],
        (
            (i, uuid.uuid4(), "2023-01-01", "2023-01-01", name, "", "", True, departments[code])
            for i, (name, code) in enumerate(names.TOPICS, start=1)
        ),
    )  # fmt: skip

    conn.execute("CREATE TABLE bench.family_name (rank int PRIMARY KEY, name text, norm text)")
    conn.execute(
        "CREATE TABLE bench.given_name (gender text, rank int, name text, norm text,"
        " PRIMARY KEY (gender, rank))"
    )
    conn.execute("CREATE TABLE bench.street (rank int PRIMARY KEY, name text, norm text)")
    conn.execute("CREATE TABLE bench.place (idx int PRIMARY KEY, postcode text, name text, norm text)")
    conn.execute("CREATE TABLE bench.meta (key text PRIMARY KEY, value jsonb)")
    families = names.family_names()
    copy_rows(
        conn, "bench.family_name", ["rank", "name", "norm"],
        ((r, n, normalize(n)) for r, n in enumerate(families, start=1)),
    )  # fmt: skip
    givens = names.given_names()
    per_gender: dict[str, int] = {}
    rows = []
    for name, gender in givens:
        per_gender[gender] = per_gender.get(gender, 0) + 1
        rows.append((gender, per_gender[gender], name, normalize(name)))
    copy_rows(conn, "bench.given_name", ["gender", "rank", "name", "norm"], rows)
    streets = names.streets()
    copy_rows(
        conn, "bench.street", ["rank", "name", "norm"],
        ((r, n, normalize(n)) for r, n in enumerate(streets, start=1)),
    )  # fmt: skip
    copy_rows(
        conn, "bench.place", ["idx", "postcode", "name", "norm"],
        ((i, pc, n, normalize(n)) for i, (pc, n) in enumerate(names.SUBMUNICIPALITIES)),
    )  # fmt: skip
    # Zipf–Mandelbrot rank in 1..n for a uniform u: P(k) ∝ 1/(k + q).
    conn.execute(
        """
        CREATE FUNCTION bench.zipf(u float8, n int, q float8) RETURNS int
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT LEAST(n, 1 + floor(q * exp(u * ln((n + q) / q)) - q)::int) $$
        """
    )
    return {
        "family_names": len(families),
        "given_names": per_gender,
        "streets": len(streets),
        "places": len(names.SUBMUNICIPALITIES),
        "employees": [(e[0], e[4]) for e in employees],
        "welzijn": departments["welzijn"],
        "departments": list(departments.values()),
        "topics": len(names.TOPICS),
    }


def secondary_indexes(
    conn: psycopg.Connection[Any], tables: list[str] = BIG_TABLES
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(table, name, definition) of every index and of every unique/foreign key on `tables`."""
    constraints = conn.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
        FROM pg_constraint c
        WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('u', 'f')
        ORDER BY c.contype DESC, c.conname
        """,
        [tables],
    ).fetchall()
    indexes = conn.execute(
        """
        SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND i.indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('u', 'p'))
        ORDER BY 2
        """,
        [tables],
    ).fetchall()
    return [(t, n, d) for t, n, d, _ in constraints], indexes


def drop_secondary_indexes(conn: psycopg.Connection[Any], tables: list[str] = BIG_TABLES) -> dict[str, Any]:
    constraints, indexes = secondary_indexes(conn, tables)
    for table, name, _ in constraints:  # foreign keys first (ORDER BY contype DESC)
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _, name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return {"constraints": constraints, "indexes": indexes}


def load_persons(conn: psycopg.Connection[Any], *, persons: int, ref: dict[str, Any]) -> None:
    """Persons with unique, valid national numbers (mod 97, with the 2000 rule)."""
    days = 36525  # birth dates 1925–2024; (day, serial) is unique per row
    conn.execute(
        """
        INSERT INTO parties_party (id, uuid, created_at, updated_at, kind, given_name, family_name,
            birth_date, gender, national_number, name, enterprise_number, legal_form, display_name,
            search_name, note, merged_into_id, preferred_language)
        SELECT s.i, gen_random_uuid(), s.created, s.created, 'person', g.name, f.name, s.bd, s.sex,
            s.base9 || lpad((97 - (CASE WHEN s.bd >= date '2000-01-01'
                THEN ('2' || s.base9)::bigint ELSE s.base9::bigint END) %% 97)::text, 2, '0'),
            '', NULL, '', f.name || ' ' || g.name, f.norm || ' ' || g.norm, '', NULL,
            CASE WHEN s.ulang < 0.06 THEN 'fr' WHEN s.ulang < 0.08 THEN 'en' ELSE 'nl' END
        FROM (
            SELECT r.*, to_char(r.bd, 'YYMMDD')
                || lpad((2 * r.q + CASE WHEN r.sex = 'M' THEN 1 ELSE 2 END)::text, 3, '0') AS base9
            FROM (
                SELECT i,
                    CASE WHEN random() < 0.5 THEN 'M' ELSE 'F' END AS sex,
                    date '1925-01-01' + ((i::bigint * 7919) %% %(days)s)::int AS bd,
                    (i - 1) / %(days)s AS q,
                    now() - random() * interval '6 years' AS created,
                    bench.zipf(random(), %(families)s, 40) AS frank,
                    random() AS gu,
                    random() AS ulang
                FROM generate_series(1, %(persons)s) AS i
                OFFSET 0
            ) r
        ) s
        JOIN bench.family_name f ON f.rank = s.frank
        JOIN bench.given_name g ON g.gender = s.sex
            AND g.rank = bench.zipf(s.gu, CASE WHEN s.sex = 'M' THEN %(males)s ELSE %(females)s END, 15)
        """,
        {
            "persons": persons,
            "days": days,
            "families": ref["family_names"],
            "males": ref["given_names"]["M"],
            "females": ref["given_names"]["F"],
        },
    )


def load_addresses(conn: psycopg.Connection[Any], *, persons: int, ref: dict[str, Any]) -> None:
    """One current residence per person, and an earlier one for 3%."""
    conn.execute(
        """
        INSERT INTO parties_address (uuid, created_at, updated_at, street, house_number, box,
            postcode, municipality, country, kind, valid_from, valid_until, search_text, party_id)
        SELECT gen_random_uuid(), s.since, s.since, st.name, s.hn, s.box, pl.postcode, pl.name,
            'BE', 'residence', s.since::date, CASE WHEN s.old THEN s.since::date + 700 END,
            st.norm || ' ' || lower(s.hn) || ' ' || pl.postcode || ' ' || pl.norm, s.party_id
        FROM (
            SELECT party_id, old,
                bench.zipf(random(), %(streets)s, 30) AS srank,
                (1 + floor(exp(random() * ln(250))))::int::text
                    || CASE WHEN random() < 0.03 THEN 'A' ELSE '' END AS hn,
                CASE WHEN random() < 0.15 THEN (1 + floor(random() * 6))::int::text ELSE '' END AS box,
                now() - CASE WHEN old THEN interval '8 years' ELSE interval '4 years' END * random()
                    - CASE WHEN old THEN interval '4 years' ELSE interval '0' END AS since
            FROM (
                SELECT i AS party_id, false AS old FROM generate_series(1, %(persons)s) AS i
                UNION ALL
                SELECT i, true FROM generate_series(1, %(persons)s) AS i WHERE random() < 0.03
            ) p
            OFFSET 0
        ) s
        JOIN bench.street st ON st.rank = s.srank
        JOIN bench.place pl ON pl.idx = st.rank %% %(places)s
        """,
        {"persons": persons, "streets": ref["streets"], "places": ref["places"]},
    )


def load_contact_points(conn: psycopg.Connection[Any], *, persons: int) -> None:
    """E-mail for 70%, a mobile number for 75%, a landline for 5%; unique across parties."""
    plain = (
        "regexp_replace(translate(lower({}), '" + ACCENTS[0] + "', '" + ACCENTS[1] + "'), '[^a-z]', '', 'g')"
    )
    conn.execute(
        f"""
        INSERT INTO parties_contactpoint (uuid, created_at, updated_at, kind, value, verified,
            verified_at, preferred, party_id)
        SELECT gen_random_uuid(), p.created_at, p.created_at, 'email',
            {plain.format("p.given_name")} || '.' || {plain.format("p.family_name")} || p.id::text
                || '@' || (%(domains)s::text[])[1 + floor(random() * %(ndomains)s)::int],
            p.verified, CASE WHEN p.verified THEN p.created_at END, true, p.id
        FROM (
            SELECT id, given_name, family_name, created_at, random() < 0.4 AS verified
            FROM parties_party WHERE random() < 0.7 OFFSET 0
        ) p
        """,
        {"domains": names.EMAIL_DOMAINS, "ndomains": len(names.EMAIL_DOMAINS)},
    )
    conn.execute(
        """
        INSERT INTO parties_contactpoint (uuid, created_at, updated_at, kind, value, verified,
            verified_at, preferred, party_id)
        SELECT gen_random_uuid(), p.created_at, p.created_at, 'mobile',
            '+32' || (%(prefixes)s::text[])[1 + (p.id * 7919 %% %(slots)s) / 1000000]
                || lpad(((p.id * 7919 %% %(slots)s) %% 1000000)::text, 6, '0'),
            false, NULL, true, p.id
        FROM parties_party p
        WHERE random() < 0.75
        """,
        {"prefixes": MOBILE_PREFIXES, "slots": len(MOBILE_PREFIXES) * 1_000_000},
    )
    conn.execute(
        """
        INSERT INTO parties_contactpoint (uuid, created_at, updated_at, kind, value, verified,
            verified_at, preferred, party_id)
        SELECT gen_random_uuid(), p.created_at, p.created_at, 'phone',
            '+329' || (2000000 + p.id)::text, false, NULL, true, p.id
        FROM parties_party p
        WHERE random() < 0.05 AND p.id < 8000000
        """
    )


def contact_moment_sql(*, persons: int, contacts: int, ref: dict[str, Any]) -> str:
    """INSERT ... SELECT for contact moments lo..hi (parameters), in time order like real life,
    during office hours over the last three years.

    Skew: 10% anonymous; 3% go to a few 'very heavy' parties (~1,500 each), 27% to 2% of the
    parties (~135 each), the other 60% spread over everyone (~6 each).
    """
    employees = [e for e, _ in ref["employees"]]
    departments = [d for _, d in ref["employees"]]
    very_heavy = max(1, persons // 5000)
    heavy = max(1, persons // 50)
    channels = (
        "CASE WHEN r.uch < 0.30 THEN 'phone' WHEN r.uch < 0.60 THEN 'counter'"
        " WHEN r.uch < 0.80 THEN 'email' WHEN r.uch < 0.90 THEN 'web' WHEN r.uch < 0.95 THEN 'letter'"
        " WHEN r.uch < 0.98 THEN 'social' ELSE 'home_visit' END"
    )
    return f"""
        INSERT INTO contact_moments_contactmoment (id, uuid, created_at, updated_at, registered_at,
            channel, direction, summary, outcome, duration_seconds, confidential, address_snapshot,
            department_id, employee_id, party_id, topic_id)
        SELECT s.i, gen_random_uuid(), s.at, s.at, s.at, s.channel,
            CASE WHEN s.udir < 0.9 THEN 'in' ELSE 'out' END,
            (%(summaries)s::text[])[1 + floor(s.usum * {len(names.SUMMARIES)})::int],
            CASE WHEN s.uout < 0.05 THEN 'handed_off' ELSE 'answered' END,
            CASE WHEN s.channel IN ('phone', 'counter', 'home_visit')
                THEN 30 + floor(s.udur * 1200)::int END,
            CASE WHEN s.department = {ref["welzijn"]} THEN s.uconf < 0.3 ELSE s.uconf < 0.01 END,
            NULL, s.department, s.employee, s.party,
            CASE WHEN s.utop < 0.05 THEN NULL ELSE bench.zipf(s.utop2, {ref["topics"]}, 3) END
        FROM (
            SELECT r.*, {channels} AS channel,
                (current_date - {YEARS_OF_CONTACTS * 365})::timestamptz
                    + floor(r.day) * interval '1 day' + interval '8 hours'
                    + (r.day - floor(r.day)) * interval '9 hours' + r.utime * interval '5 minutes'
                    AS at,
                ('{{{",".join(map(str, employees))}}}'::bigint[])[r.e] AS employee,
                ('{{{",".join(map(str, departments))}}}'::bigint[])[r.e] AS department,
                CASE WHEN r.uparty < 0.10 THEN NULL
                    WHEN r.uparty < 0.13
                        THEN 1 + (floor(r.upick * {very_heavy})::bigint * 104729 + 17) %% {persons}
                    WHEN r.uparty < 0.40
                        THEN 1 + (floor(r.upick * {heavy})::bigint * 7919 + 3) %% {persons}
                    ELSE 1 + floor(r.upick * {persons})::bigint END AS party
            FROM (
                SELECT i, random() AS uparty, random() AS upick, random() AS uch,
                    random() AS udir, random() AS usum, random() AS uout, random() AS udur,
                    random() AS uconf, random() AS utop, random() AS utop2, random() AS utime,
                    1 + floor(random() * {len(employees)})::int AS e,
                    (i - 1) * {YEARS_OF_CONTACTS * 365}::float8 / {contacts} AS day
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS i
                OFFSET 0
            ) r
        ) s
    """


def load_tasks(conn: psycopg.Connection[Any], *, ref: dict[str, Any]) -> None:
    """An internal task for every handed-off contact; those older than a month are mostly done."""
    employees = [e for e, _ in ref["employees"]]
    conn.execute(
        f"""
        INSERT INTO contact_moments_internaltask (uuid, created_at, updated_at, description,
            due_date, status, done_at, assignee_id, contact_moment_id, created_by_id,
            department_id, done_by_id, party_id, team_id)
        SELECT gen_random_uuid(), s.registered_at, s.registered_at,
            (%(descriptions)s::text[])[1 + floor(s.udesc * %(ndescriptions)s)::int],
            (s.registered_at + interval '14 days')::date,
            CASE WHEN s.done THEN 'done' ELSE 'todo' END,
            CASE WHEN s.done THEN s.registered_at + interval '3 days' END,
            NULL, s.id, s.employee_id,
            (%(departments)s::bigint[])[1 + floor(s.udep * %(ndepartments)s)::int],
            CASE WHEN s.done THEN ('{{{",".join(map(str, employees))}}}'::bigint[])
                [1 + floor(s.udone * {len(employees)})::int] END,
            s.party_id, NULL
        FROM (
            SELECT cm.id, cm.registered_at, cm.employee_id, cm.party_id,
                cm.registered_at < now() - interval '30 days' AND random() < 0.95 AS done,
                random() AS udesc, random() AS udep, random() AS udone
            FROM contact_moments_contactmoment cm
            WHERE cm.outcome = 'handed_off'
            OFFSET 0
        ) s
        """,
        {
            "descriptions": names.TASK_DESCRIPTIONS,
            "ndescriptions": len(names.TASK_DESCRIPTIONS),
            "departments": ref["departments"],
            "ndepartments": len(ref["departments"]),
        },
    )


def run_parallel(url: str, statements: list[str], workers: int) -> None:
    """Run independent DDL statements on `workers` connections, longest first."""

    def run(statement: str) -> None:
        with connect(url, autocommit=True) as conn:
            conn.execute("SET max_parallel_maintenance_workers = 0")
            start = time.perf_counter()
            conn.execute(statement)
            log(f"    {time.perf_counter() - start:6.1f} s  {statement[:110]}")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(run, s) for s in statements]:
            future.result()


def table_size(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(f"SELECT pg_total_relation_size('{table}')").fetchone()
    assert row is not None
    return int(row[0])


def count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def reset_sequences(conn: psycopg.Connection[Any]) -> list[str]:
    """Set every table's id sequence after its highest id: the rows above were written with their ids
    (COPY, INSERT … SELECT), and the application's next insert must not collide with them."""
    tables = [
        table
        for (table,) in conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND column_name = 'id' AND (column_default LIKE 'nextval%%' OR is_identity = 'YES')"
        ).fetchall()
    ]
    for table in tables:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )
    return tables


def load(*, url: str, persons: int, contacts: int, workers: int = 2) -> dict[str, Any]:
    timer = Timer()
    with timer.phase("create database"):
        create_database(url)
    with timer.phase("migrate"):
        migrate(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
    import django

    django.setup()

    with connect(url, autocommit=True) as conn:
        with timer.phase("reference data (COPY)"):
            ref = load_reference_data(conn)
        with timer.phase("drop secondary indexes and foreign keys"):
            dropped = drop_secondary_indexes(conn)
        with timer.phase("persons", lambda: count(conn, "parties_party")):
            load_persons(conn, persons=persons, ref=ref)
        with timer.phase("addresses", lambda: count(conn, "parties_address")):
            load_addresses(conn, persons=persons, ref=ref)
        with timer.phase("contact points", lambda: count(conn, "parties_contactpoint")):
            load_contact_points(conn, persons=persons)

    with timer.phase("contact moments", lambda: contacts):
        sql = contact_moment_sql(persons=persons, contacts=contacts, ref=ref)
        chunk = max(1, -(-contacts // (workers * 4)))
        ranges = [(lo, min(contacts, lo + chunk - 1)) for lo in range(1, contacts + 1, chunk)]

        def insert(bounds: tuple[int, int]) -> None:
            with connect(url, autocommit=True) as conn:
                conn.execute(sql, {"lo": bounds[0], "hi": bounds[1], "summaries": names.SUMMARIES})
            log(f"    contact moments {bounds[0]:,}–{bounds[1]:,}")

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(insert, r) for r in ranges]:
                future.result()

    with connect(url, autocommit=True) as conn:
        with timer.phase("internal tasks", lambda: count(conn, "contact_moments_internaltask")):
            load_tasks(conn, ref=ref)
        reset_sequences(conn)

    with timer.phase("indexes and unique constraints"):
        statements = [(t, d) for t, _, d in dropped["indexes"]] + [
            (t, f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}')
            for t, n, d in dropped["constraints"]
            if not d.startswith("FOREIGN KEY")
        ]
        # The biggest tables first, so that the workers finish at about the same time.
        statements.sort(key=lambda ts: BUILD_ORDER.index(ts[0]))
        run_parallel(url, [s for _, s in statements], workers)
    with timer.phase("foreign keys"):
        run_parallel(
            url,
            [
                f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}'
                for t, n, d in dropped["constraints"]
                if d.startswith("FOREIGN KEY")
            ],
            workers,
        )
    with timer.phase("vacuum analyze"):
        run_parallel(url, [f"VACUUM (ANALYZE) {t}" for t in BIG_TABLES], workers)

    with connect(url, autocommit=True) as conn:
        counts = {t: count(conn, t) for t in BIG_TABLES}
        sizes = {t: table_size(conn, t) for t in BIG_TABLES}
        meta = {
            "persons": persons,
            "contacts": contacts,
            "counts": counts,
            "sizes": sizes,
            "phases": list(timer.phases.items()),  # a list: jsonb does not keep key order
            "total_seconds": timer.total,
            "loaded_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        conn.execute("INSERT INTO bench.meta VALUES ('load', %s)", [json.dumps(meta)])
    log(f"✓ total: {timer.total:.1f} s ({timer.total / 60:.1f} min)")
    for table in BIG_TABLES:
        log(f"    {table:32} {counts[table]:>12,} rows  {sizes[table] / 2**20:>8,.0f} MB")
    return meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="database to (re)create [%(default)s]")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2, help="parallel connections [%(default)s]")
    args = parser.parse_args(argv)
    load(url=args.db_url, persons=args.persons, contacts=args.contacts, workers=args.workers)


if __name__ == "__main__":
    main()
