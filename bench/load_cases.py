"""Add 1,000,000 cases to the benchmark database (made by load.py), fast.

    uv run python bench/load_cases.py --cases 1000000

Fifteen case types of the eight departments are made through the catalogue actions, as a
functional administrator would (a bench account `beheer1`); then the cases are generated inside
PostgreSQL with INSERT … SELECT over generate_series, like the contact moments: three years in time
order, spread over the case types (skewed: address changes and driving licences often, marriages
rarely), their departments, teams and handlers (30% in the department's queue, unassigned), with
deadlines from each type's lead time. A case older than its lead time is mostly closed, with a
result, its archival nomination and archive action date (a few results keep one year only, so some
cases are due for the archivist's review); the rest is open, some of it overdue. Every case has its
first status in the history (and its current one as a second row when it moved on); 85% have an
initiator among the persons. The case-number counters are set after the highest number of each
year, so that `register_case` continues gap-free. Indexes and foreign keys of the case tables are
dropped before and rebuilt after, then VACUUM ANALYZE.

Refuses a database that holds cases already, unless --fresh (which deletes them first).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent / "src"), str(BENCH_DIR)]

from load import (  # noqa: E402
    DEFAULT_DB_URL,
    Timer,
    connect,
    count,
    drop_secondary_indexes,
    log,
    reset_sequences,
    run_parallel,
    table_size,
)

CASE_TABLES = ["cases_case", "cases_casestatus", "cases_caserole"]
YEARS = 3
ADMIN = "beheer1"
BENCH_PASSWORD = "Balie-bench-2026"

# (code, name, department code, relative volume, lead time days, unit, confidential)
CASE_TYPES = [
    ("adreswijziging", "Adreswijziging", "burgerzaken", 22, 8, "working", False),
    ("rijbewijs", "Aanvraag rijbewijs", "burgerzaken", 14, 10, "working", False),
    ("huwelijk", "Huwelijksdossier", "burgerzaken", 1, 60, "calendar", False),
    ("omgevingsvergunning", "Omgevingsvergunning", "omgeving", 6, 105, "calendar", False),
    ("sluikstort", "Melding sluikstort", "omgeving", 10, 5, "working", False),
    ("groenonderhoud", "Melding groenonderhoud", "omgeving", 5, 20, "working", False),
    ("leefloon", "Aanvraag leefloon", "welzijn", 4, 30, "calendar", True),
    ("schuldbemiddeling", "Schuldbemiddeling", "welzijn", 2, 45, "calendar", True),
    ("bezwaar-belastingen", "Bezwaar gemeentebelastingen", "financien", 3, 180, "calendar", False),
    ("premie", "Premieaanvraag", "financien", 6, 60, "calendar", False),
    ("zaalverhuur", "Zaalverhuur", "vrije-tijd", 7, 14, "calendar", False),
    ("bewonerskaart", "Bewonerskaart", "mobiliteit", 9, 10, "working", False),
    ("signalisatie", "Signalisatievergunning", "mobiliteit", 4, 20, "working", False),
    ("schade", "Schademelding gemeentelijk patrimonium", "facility", 3, 30, "calendar", False),
    ("klacht", "Klacht", "onthaal", 4, 45, "calendar", False),
]
STATUSES = ["Ontvangen", "In behandeling", "Wacht op klant", "Beslissing", "Afgehandeld"]
# (name, nomination, retention years, share of the closed cases)
RESULTS = [
    ("Toegekend", "destroy", 10, 0.70),
    ("Geweigerd", "destroy", 10, 0.20),
    ("Zonder gevolg", "destroy", 1, 0.10),
]
SUBJECTS = [
    "Aanvraag via het e-loket",
    "Vraag aan de balie",
    "Dossier aangevuld door de klant",
    "Doorgestuurd door de dienst",
    "Opvolging na telefonisch contact",
    "Aanvraag per brief",
    "Herhaalde aanvraag",
    "Dringend",
]
ORIGINS = "CASE WHEN r.uori < 0.35 THEN 'portal' WHEN r.uori < 0.60 THEN 'contact_moment' WHEN r.uori < 0.75 THEN 'backoffice' WHEN r.uori < 0.85 THEN 'email' WHEN r.uori < 0.95 THEN 'post' ELSE 'api' END"  # noqa: E501


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
    os.environ.setdefault("BALIE_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def make_case_types() -> list[dict[str, Any]]:
    """The catalogue, through the catalogue actions; returns what the generator needs per type."""
    from balie.accounts.actions import create_employee
    from balie.accounts.models import Department, Role, User
    from balie.cases import catalogue
    from balie.cases.models import CaseType

    departments = {d.code: d for d in Department.objects.all()}
    admin = User.objects.filter(username=ADMIN).first() or create_employee(
        username=ADMIN,
        first_name="Bea",
        last_name="Beheer",
        email=f"{ADMIN}@zonnedaal.be",
        password=BENCH_PASSWORD,
        department=departments["onthaal"],
        roles=[Role.FUNCTIONAL_ADMIN, Role.TEAM_LEAD, Role.ARCHIVIST],
        by=None,
    )
    total = sum(t[3] for t in CASE_TYPES)
    specs: list[dict[str, Any]] = []
    cumulative = 0.0
    for code, name, department, volume, lead, unit, confidential in CASE_TYPES:
        if not CaseType.objects.filter(code=code).exists():
            draft = catalogue.create_case_type(
                code=code, name=name, department=departments[department], by=admin
            )
            draft = catalogue.update_version(
                version=draft,
                by=admin,
                lead_time_days=lead,
                lead_time_unit=unit,
                confidential=confidential,
                suspension_allowed=True,
                max_suspension_days=90,
                extension_allowed=True,
                max_extension_days=lead,
            )
            statuses = [catalogue.add_status_type(version=draft, by=admin, name=s) for s in STATUSES]
            # forward one step (added by add_status_type), "wait for the customer" and back
            catalogue.set_transitions(status=statuses[1], by=admin, next_statuses=[statuses[2], statuses[3]])
            catalogue.set_transitions(status=statuses[2], by=admin, next_statuses=[statuses[1]])
            catalogue.add_role_type(version=draft, by=admin, kind="initiator", name="Aanvrager")
            for result, nomination, years, _share in RESULTS:
                catalogue.add_result_type(
                    version=draft,
                    by=admin,
                    name=result,
                    archival_nomination=nomination,
                    retention_years=years,
                )
            catalogue.publish_version(version=draft, by=admin)
        case_type = CaseType.objects.get(code=code)
        version = case_type.versions.get(state="published")
        statuses = list(version.status_types.order_by("order").values_list("pk", flat=True))
        results = {r.name: r for r in version.result_types.all()}
        share = volume / total
        specs.append(
            {
                "code": code,
                "case_type": case_type.pk,
                "version": version.pk,
                "department": case_type.department_id,
                "lo": cumulative,
                "hi": cumulative + share,
                "lead": lead * (7 / 5 if unit == "working" else 1),  # in calendar days
                "confidential": 0.9 if confidential else 0.02,
                "statuses": statuses,
                "results": [results[name].pk for name, *_ in RESULTS],
            }
        )
        cumulative += share
    specs[-1]["hi"] = 1.0000001
    return specs


def case_sql(*, n: int) -> str:
    """Cases 1..n in time order over the last three years, from bench.case_type_spec."""
    result_share = [r[3] for r in RESULTS]
    cut1, cut2 = result_share[0], result_share[0] + result_share[1]
    years = [f"{r[2]}" for r in RESULTS]
    nominations = [f"'{r[1]}'" for r in RESULTS]
    return f"""
        INSERT INTO cases_case (id, uuid, created_at, updated_at, number, subject, description, origin,
            origin_ref, registered_at, confidential, attributes, parent_id, department_id, team_id,
            handler_id, assigned_at, status_type_id, status_set_at, status_count, start_date, deadline,
            original_deadline, suspended_since, suspension_reason, suspended_days, extended_days,
            extension_reason, reminder_sent_on, escalated_on, result_type_id, result_note, closed_at,
            archival_nomination, archive_action_date, case_type_id, version_id, registered_by_id)
        SELECT c.i, gen_random_uuid(), c.at, coalesce(c.closed_at, c.at),
            'C' || c.year || '-' || lpad(row_number() OVER (PARTITION BY c.year ORDER BY c.i)::text, 6, '0'),
            c.subject, '', c.origin, NULL, c.at, c.confidential, '{{}}'::jsonb, NULL, c.department,
            c.team, c.handler, CASE WHEN c.handler IS NOT NULL THEN c.at END,
            c.status,
            CASE WHEN c.status = c.first_status THEN c.at ELSE coalesce(c.closed_at, c.moved_at) END,
            CASE WHEN c.status = c.first_status THEN 1 ELSE 2 END,
            c.start, c.deadline, c.deadline, NULL, '', 0, 0, '', NULL, NULL,
            c.result, '', c.closed_at,
            CASE WHEN c.closed_at IS NOT NULL THEN (ARRAY[{",".join(nominations)}])[c.r] ELSE '' END,
            CASE WHEN c.closed_at IS NOT NULL
                THEN (c.closed_at AT TIME ZONE 'Europe/Brussels')::date
                    + make_interval(years => (ARRAY[{",".join(years)}])[c.r]) END,
            c.case_type, c.version, c.registered_by
        FROM (
            SELECT b.*,
                extract(year FROM b.at AT TIME ZONE 'Europe/Brussels')::int AS year,
                (b.at AT TIME ZONE 'Europe/Brussels')::date AS start,
                (b.at AT TIME ZONE 'Europe/Brussels')::date + ceil(b.lead)::int AS deadline,
                CASE WHEN b.closes THEN b.at + b.took * interval '1 day' END AS closed_at,
                b.at + least(b.took * 0.3, extract(epoch FROM now() - b.at) / 86400 * 0.5)
                    * interval '1 day' AS moved_at,
                CASE WHEN b.closes THEN b.statuses[array_length(b.statuses, 1)]
                    WHEN b.ust < 0.45 THEN b.statuses[1]
                    WHEN b.ust < 0.80 THEN b.statuses[2]
                    WHEN b.ust < 0.90 THEN b.statuses[3]
                    ELSE b.statuses[4] END AS status,
                b.statuses[1] AS first_status,
                CASE WHEN b.closes THEN b.results[b.r] END AS result
            FROM (
                SELECT a.*,
                    a.at + a.took * interval '1 day' < now() AND a.ustuck >= 0.01 AS closes
                FROM (
                    SELECT r.i, r.ust, r.ustuck, r.uori, r.ures,
                        now() - interval '{YEARS * 365} days' * (1 - (r.i - 0.5) / {n}::float8)
                            + r.ujit * interval '10 minutes' AS at,
                        t.case_type_id AS case_type, t.version_id AS version, t.department_id AS department,
                        t.lead, t.statuses, t.results,
                        -- lead time: log-normal around 0.6 times the type's term, a tail past it
                        t.lead * 0.6 * exp(0.55 * (r.un1 + r.un2 + r.un3 - 1.5) * 2) AS took,
                        CASE WHEN r.ures < {cut1} THEN 1 WHEN r.ures < {cut2} THEN 2 ELSE 3 END AS r,
                        r.uconf < t.confidential AS confidential,
                        CASE WHEN r.uhandler < 0.70
                            THEN t.handlers[1 + floor(r.upick * array_length(t.handlers, 1))::int]
                            END AS handler,
                        CASE WHEN r.uhandler < 0.70
                            THEN t.handler_teams[1 + floor(r.upick * array_length(t.handlers, 1))::int]
                            WHEN r.uhandler < 0.85
                            THEN t.teams[1 + floor(r.upick * array_length(t.teams, 1))::int] END AS team,
                        CASE WHEN r.ureg < 0.30
                            THEN t.front_desk[1 + floor(r.upick2 * array_length(t.front_desk, 1))::int]
                            ELSE t.handlers[1 + floor(r.upick2 * array_length(t.handlers, 1))::int] END
                            AS registered_by,
                        {ORIGINS} AS origin,
                        (%(subjects)s::text[])[1 + floor(r.usub * %(nsubjects)s)::int] AS subject
                    FROM (
                        SELECT i, random() AS utype, random() AS ust, random() AS ustuck, random() AS uori,
                            random() AS ures, random() AS ujit, random() AS un1, random() AS un2,
                            random() AS un3, random() AS uconf, random() AS uhandler, random() AS upick,
                            random() AS ureg, random() AS upick2, random() AS usub
                        FROM generate_series(1, {n}) AS i
                        OFFSET 0
                    ) r
                    JOIN bench.case_type_spec t ON r.utype >= t.lo AND r.utype < t.hi
                ) a
            ) b
        ) c
    """


def load_cases(*, url: str, n: int, fresh: bool, workers: int = 2) -> dict[str, Any]:
    timer = Timer()
    setup_django(url)

    with connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT value FROM bench.meta WHERE key = 'load'").fetchone()
        if row is None:
            raise SystemExit("load the persons and contacts first (bench/load.py)")
        meta = row[0] if isinstance(row[0], dict) else json.loads(row[0])
        persons = int(meta["persons"])
        existing = count(conn, "cases_case")
        if existing:
            if not fresh:
                raise SystemExit(f"the database holds {existing:,} cases already; --fresh deletes them")
            with timer.phase("delete the cases there were"):
                conn.execute(
                    "UPDATE contact_moments_contactmoment SET case_id = NULL WHERE case_id IS NOT NULL"
                )
                for table in [
                    "cases_retentionreview", "cases_caseevent", "cases_casenote", "cases_caserelation",
                    "cases_casetask", "cases_caserole", "cases_casestatus",
                ]:  # fmt: skip
                    conn.execute(f"DELETE FROM {table}")
                conn.execute("UPDATE cases_case SET parent_id = NULL WHERE parent_id IS NOT NULL")
                conn.execute("DELETE FROM cases_case")
                conn.execute("DELETE FROM core_counter WHERE register = 'C'")
                conn.execute("DELETE FROM bench.meta WHERE key = 'cases'")

    with timer.phase("case types (catalogue actions)"):
        specs = make_case_types()

    with connect(url, autocommit=True) as conn:
        with timer.phase("spread over departments, teams, handlers"):
            employees = conn.execute(
                "SELECT u.id, u.department_id, u.team_id, array_agg(r.role)"
                " FROM accounts_user u LEFT JOIN accounts_roleassignment r ON r.user_id = u.id"
                " WHERE u.kind = 'employee' AND u.is_active GROUP BY u.id ORDER BY u.id"
            ).fetchall()
            teams = conn.execute("SELECT id, department_id FROM accounts_team ORDER BY id").fetchall()
            front_desk = [e[0] for e in employees if "front_desk" in e[3]]
            conn.execute("DROP TABLE IF EXISTS bench.case_type_spec")
            conn.execute(
                """
                CREATE TABLE bench.case_type_spec (code text PRIMARY KEY, case_type_id bigint,
                    version_id bigint, department_id bigint, lo float8, hi float8, lead float8,
                    confidential float8, statuses bigint[], results bigint[], handlers bigint[],
                    handler_teams bigint[], teams bigint[], front_desk bigint[])
                """
            )
            for spec in specs:
                handlers = [e for e in employees if e[1] == spec["department"] and "case_handler" in e[3]]
                if not handlers:  # the front desk handles its own (complaints)
                    handlers = [
                        e for e in employees if e[1] == spec["department"] and "functional_admin" not in e[3]
                    ]
                conn.execute(
                    "INSERT INTO bench.case_type_spec VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                    " %s, %s)",
                    [
                        spec["code"], spec["case_type"], spec["version"], spec["department"], spec["lo"],
                        spec["hi"], spec["lead"], spec["confidential"], spec["statuses"], spec["results"],
                        [h[0] for h in handlers], [h[2] for h in handlers],
                        [t for t, d in teams if d == spec["department"]], front_desk,
                    ],
                )  # fmt: skip
        with timer.phase("drop secondary indexes and foreign keys of the case tables"):
            # Kept in the database until they are rebuilt, so that a load that fails halfway
            # still finds them on the next run.
            conn.execute("CREATE TABLE IF NOT EXISTS bench.case_dropped (value jsonb)")
            row = conn.execute("SELECT value FROM bench.case_dropped").fetchone()
            dropped = drop_secondary_indexes(conn, CASE_TABLES)
            if row is not None:
                earlier = row[0] if isinstance(row[0], dict) else json.loads(row[0])
                for kind in ("indexes", "constraints"):
                    seen = {name for _t, name, _d in dropped[kind]}
                    dropped[kind] += [tuple(x) for x in earlier[kind] if x[1] not in seen]
            conn.execute("DELETE FROM bench.case_dropped")
            conn.execute("INSERT INTO bench.case_dropped VALUES (%s)", [json.dumps(dropped)])
        with timer.phase("cases", lambda: count(conn, "cases_case")):
            conn.execute("SET max_parallel_workers_per_gather = 0")
            conn.execute(case_sql(n=n), {"subjects": SUBJECTS, "nsubjects": len(SUBJECTS)})
        with timer.phase(
            "status history: the first status, the current one", lambda: count(conn, "cases_casestatus")
        ):
            conn.execute(
                """
                INSERT INTO cases_casestatus (case_id, sequence, status_type_id, set_at, set_by_id, reason,
                    customer_informed_at)
                SELECT c.id, 1, t.statuses[1], c.registered_at, c.registered_by_id, '', NULL::timestamptz
                FROM cases_case c JOIN bench.case_type_spec t ON t.version_id = c.version_id
                UNION ALL
                SELECT c.id, 2, c.status_type_id, c.status_set_at, coalesce(c.handler_id, c.registered_by_id),
                    '', NULL
                FROM cases_case c WHERE c.status_count = 2
                """
            )
        with timer.phase("initiators (85% of the cases)", lambda: count(conn, "cases_caserole")):
            conn.execute(
                f"""
                INSERT INTO cases_caserole (case_id, party_id, kind, address_snapshot, added_at)
                SELECT c.id, 1 + floor(random() * {persons})::bigint, 'initiator', NULL, c.registered_at
                FROM cases_case c WHERE random() < 0.85
                """
            )
        with timer.phase("case-number counters"):
            conn.execute(
                """
                INSERT INTO core_counter (register, year, value)
                SELECT 'C', substr(number, 2, 4)::int, max(substr(number, 7)::int)
                FROM cases_case GROUP BY 2
                ON CONFLICT (register, year) DO UPDATE SET value = excluded.value
                """
            )
            reset_sequences(conn)

    with timer.phase("indexes and unique constraints"):
        order = {t: i for i, t in enumerate(CASE_TABLES)}
        statements = sorted(
            [(t, d) for t, _, d in dropped["indexes"]]
            + [(t, f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {d}') for t, name, d in dropped["constraints"]
               if not d.startswith("FOREIGN KEY")],
            key=lambda ts: order[ts[0]],
        )  # fmt: skip
        run_parallel(url, [s for _, s in statements], workers)
    with timer.phase("foreign keys"):
        run_parallel(
            url,
            [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {d}' for t, name, d in dropped["constraints"]
             if d.startswith("FOREIGN KEY")],
            workers,
        )  # fmt: skip
    with connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE bench.case_dropped")
    with timer.phase("vacuum analyze"):
        run_parallel(url, [f"VACUUM (ANALYZE) {t}" for t in CASE_TABLES], workers)

    with connect(url, autocommit=True) as conn:
        counts = {t: count(conn, t) for t in CASE_TABLES}
        shape = conn.execute(
            """
            SELECT count(*) FILTER (WHERE closed_at IS NULL),
                count(*) FILTER (WHERE closed_at IS NULL AND deadline < current_date),
                count(*) FILTER (WHERE handler_id IS NULL AND closed_at IS NULL),
                count(*) FILTER (WHERE archive_action_date <= current_date),
                count(*) FILTER (WHERE confidential)
            FROM cases_case
            """
        ).fetchone()
        assert shape is not None
        result = {
            "cases": n,
            "counts": counts,
            "open": shape[0],
            "overdue": shape[1],
            "unassigned_open": shape[2],
            "due_for_review": shape[3],
            "confidential": shape[4],
            "sizes": {t: table_size(conn, t) for t in CASE_TABLES},
            "case_types": len(specs),
            "phases": list(timer.phases.items()),
            "total_seconds": timer.total,
            "loaded_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        conn.execute(
            "INSERT INTO bench.meta VALUES ('cases', %s)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json.dumps(result)],
        )
    log(f"✓ total: {timer.total:.1f} s ({timer.total / 60:.1f} min)")
    for table in CASE_TABLES:
        log(f"    {table:24} {counts[table]:>12,} rows  {result['sizes'][table] / 2**20:>8,.0f} MB")
    log(
        f"    open {result['open']:,} (overdue {result['overdue']:,},"
        f" unassigned {result['unassigned_open']:,});"
        f" due for review {result['due_for_review']:,}; confidential {result['confidential']:,}"
    )
    return result


def loaded_cases(url: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT value FROM bench.meta WHERE key = 'cases'").fetchone()
    except psycopg.Error:
        return None
    if row is None:
        return None
    meta = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    return int(meta["cases"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="the database load.py made [%(default)s]")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="delete the cases there are first")
    parser.add_argument("--workers", type=int, default=2, help="parallel connections [%(default)s]")
    args = parser.parse_args(argv)
    load_cases(url=args.db_url, n=args.cases, fresh=args.fresh, workers=args.workers)


if __name__ == "__main__":
    main()
