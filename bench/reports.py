"""Reports (meldingen) at the size of a large municipality: 1,000,000 reports on PostgreSQL.

    uv run python bench/reports.py                  # load 1,000,000 (if not there yet) and measure
    uv run python bench/reports.py --reports 100000 # a quick check (prints only)
    uv run python bench/reports.py --fresh          # drop and reload

Database `balie_reports_bench` (`--db-url` for another). The catalogue (the report case type,
60 categories under 10 groups, three departments) is made through the real actions; then
1,000,000 cases of the report type with their reports are generated inside PostgreSQL
(`INSERT … SELECT` over `generate_series`): places spread over the municipality's box with
hot spots (a third of them within 300 m of 40 busy places), 20 % still open, spread over five
years. The case rows carry what the tables require (no status history rows: nothing measured
reads them).

Measured, in the same run:
- **intake**: `reports.actions.register_report` (the real action: checks, routing, case number,
  case, first status, audit rows, the outbox message that informs the reporter) for N reports one
  after the other, against a bare baseline: one `INSERT` of a row with the same fields into a
  table without indexes, each in its own transaction. Reports/s for both and the ratio.
- **nearby duplicates**: `reports.queries.nearby_open_reports` (50 m, same category, open) at
  1,000 points: half drawn at existing open reports (so something is found), half uniformly.
  p50/p95/p99/max in ms; target p95 < 50 ms. Also the plan of its query.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/balie_reports_bench"
BOX = (51.170, 4.570, 51.215, 4.650)  # inside the default boundary


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
    os.environ.setdefault("BALIE_LOG_LEVEL", "WARNING")
    os.environ["BALIE_REPORTS_WORK_ORDER_URL"] = "off"
    os.environ.setdefault("BALIE_DATA_DIR", str(Path(tempfile.gettempdir()) / "balie-reports-bench"))
    Path(os.environ["BALIE_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if name in ("postgres", "balie_dev"):
        sys.exit(f"refusing to drop {name}")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def catalogue() -> dict[str, Any]:
    from balie.accounts.actions import create_department, create_employee
    from balie.accounts.models import Department, Role, User
    from balie.reports.actions import save_category
    from balie.reports.models import Category
    from balie.reports.setup import ensure_report_case_type

    if Category.objects.exists():
        return {"handler": User.objects.get(username="bench-behandelaar")}
    departments = [
        create_department(name=name, code=code, by=None)
        for name, code in (("Wegen", "wegen"), ("Groen", "groen"), ("Netheid", "netheid"))
    ]
    admin = create_employee(
        username="bench-beheer",
        first_name="Bea",
        last_name="Beheer",
        email="bea@bench.be",
        password="Balie-bench-2026",
        department=departments[0],
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )
    handler = create_employee(
        username="bench-behandelaar",
        first_name="Hans",
        last_name="Handel",
        email="hans@bench.be",
        password="Balie-bench-2026",
        department=departments[0],
        roles=[Role.CASE_HANDLER],
        by=None,
    )
    ensure_report_case_type(department=departments[0], by=admin)
    for g in range(10):
        group = save_category(by=admin, code=f"groep-{g}", name=f"Groep {g}", department=departments[g % 3])
        for c in range(6):
            save_category(by=admin, code=f"cat-{g}-{c}", name=f"Categorie {g}.{c}", parent=group)
    assert Department.objects.count() >= 3
    return {"handler": handler}


def load(n: int) -> float:
    """Generate n report cases and reports in PostgreSQL; returns seconds."""
    from django.db import connection

    from balie.cases.models import CaseType, StatusType, VersionState
    from balie.reports.geo import CELL_LAT, CELL_LON, CELL_ROW
    from balie.reports.models import Category

    case_type = CaseType.objects.get(code="melding")
    version = case_type.versions.get(state=VersionState.PUBLISHED)
    statuses = {s.name: s.pk for s in StatusType.objects.filter(version=version)}
    leaves = list(Category.objects.filter(parent__isnull=False).order_by("id").values_list("id", flat=True))
    from balie.accounts.models import User

    handler = User.objects.get(username="bench-behandelaar")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        offset = cursor.fetchone()[0]
        cursor.execute("DROP TABLE IF EXISTS bench_points")
        cursor.execute(
            """
            CREATE UNLOGGED TABLE bench_points AS
            SELECT i,
                   (%(leaves)s)[1 + floor(random() * %(nleaves)s)::int] AS category,
                   CASE WHEN random() < 0.33 THEN 'hot' ELSE 'uniform' END AS kind,
                   random() AS u1, random() AS u2, random() AS u3, random() AS ustat,
                   now() - (random() * interval '1825 days') AS at
            FROM generate_series(1, %(n)s) AS i
            """,
            {"leaves": leaves, "nleaves": len(leaves), "n": n},
        )
        # 40 hot spots; a hot report lies within about 300 m of one
        min_lat, min_lon, max_lat, max_lon = BOX
        cursor.execute(
            f"""
            ALTER TABLE bench_points ADD COLUMN lat double precision, ADD COLUMN lon double precision;
            UPDATE bench_points SET
              lat = CASE WHEN kind = 'hot'
                    THEN {min_lat} + (1 + floor(u3 * 40)::int % 8) * {(max_lat - min_lat) / 9}
                         + (u1 - 0.5) * 0.0054
                    ELSE {min_lat} + u1 * {max_lat - min_lat} END,
              lon = CASE WHEN kind = 'hot'
                    THEN {min_lon} + (1 + floor(u3 * 40)::int / 8) * {(max_lon - min_lon) / 6}
                         + (u2 - 0.5) * 0.0086
                    ELSE {min_lon} + u2 * {max_lon - min_lon} END;
            """
        )
        open_statuses = (
            "CASE WHEN p.ustat < 0.08 THEN 'new' WHEN p.ustat < 0.12 THEN 'forwarded' "
            "WHEN p.ustat < 0.20 THEN 'in_progress' ELSE 'closed' END"
        )
        cursor.execute(
            f"""
            INSERT INTO cases_case (id, uuid, created_at, updated_at, number, subject, description, origin,
                registered_at, confidential, attributes, status_set_at, status_count, start_date, deadline,
                original_deadline, suspension_reason, suspended_days, extended_days, extension_reason,
                result_note, archival_nomination, department_id, registered_by_id, case_type_id, version_id,
                status_type_id, closed_at, result_type_id)
            SELECT %(offset)s + p.i, gen_random_uuid(), p.at, p.at,
                   'M' || to_char(p.at, 'YYYY') || '-' || lpad((%(offset)s + p.i)::text, 7, '0'),
                   'Melding ' || p.i, 'Bench-melding', 'backoffice', p.at, false, '{{}}'::jsonb, p.at, 1,
                   p.at::date, p.at::date + 28, p.at::date + 28, '', 0, 0, '', '', '',
                   %(department)s, %(handler)s, %(case_type)s, %(version)s,
                   CASE {open_statuses} WHEN 'new' THEN %(s_new)s WHEN 'forwarded' THEN %(s_fwd)s
                        WHEN 'in_progress' THEN %(s_prog)s ELSE %(s_closed)s END,
                   CASE WHEN p.ustat >= 0.20 THEN p.at + interval '10 days' END,
                   CASE WHEN p.ustat >= 0.20 THEN %(result)s END
            FROM bench_points p
            """,
            {
                "offset": offset,
                "department": case_type.department_id,
                "handler": handler.pk,
                "case_type": case_type.pk,
                "version": version.pk,
                "s_new": statuses["Nieuw"],
                "s_fwd": statuses["Doorgestuurd"],
                "s_prog": statuses["In behandeling"],
                "s_closed": statuses["Afgesloten"],
                "result": version.result_types.get(name="Opgelost").pk,
            },
        )
        cursor.execute(
            f"""
            INSERT INTO reports_report (uuid, created_at, updated_at, status, is_open, description, lat, lon,
                cell, address, channel, reported_at, send_state, send_fail_count, send_fail_reason,
                external_ref, case_id, category_id)
            SELECT gen_random_uuid(), p.at, p.at, {open_statuses}, p.ustat < 0.20,
                   'Bench-melding ' || p.i, p.lat, p.lon,
                   floor((p.lat + 90) / {CELL_LAT})::bigint * {CELL_ROW}
                     + floor((p.lon + 180) / {CELL_LON})::bigint,
                   '', 'web', p.at, 'not_sent', 0, '', '', %(offset)s + p.i, p.category
            FROM bench_points p
            """,
            {"offset": offset},
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))"
        )
        cursor.execute("DROP TABLE bench_points")
    connection.commit() if not connection.get_autocommit() else None
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cases_case")
        cursor.execute("VACUUM (ANALYZE) reports_report")
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_nearby(samples: int) -> dict[str, Any]:
    from django.db import connection

    from balie.reports.geo import cells_around
    from balie.reports.models import Category, Report
    from balie.reports.queries import nearby_open_reports

    rng = random.Random(7)
    categories = {c.pk: c for c in Category.objects.filter(parent__isnull=False)}
    anchors = list(
        Report.objects.filter(is_open=True)
        .order_by("?")
        .values_list("category_id", "lat", "lon")[: samples // 2]
    )
    points = [
        (categories[c], lat + rng.uniform(-0.0002, 0.0002), lon + rng.uniform(-0.0003, 0.0003))
        for c, lat, lon in anchors
    ]
    while len(points) < samples:
        points.append(
            (rng.choice(list(categories.values())), rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3]))
        )
    rng.shuffle(points)
    for category, lat, lon in points[:50]:  # warm up
        nearby_open_reports(category=category, lat=lat, lon=lon, radius_m=50)
    ids = list(Report.objects.order_by("?").values_list("id", flat=True)[:samples])
    timings, found, baseline = [], [], []
    for (category, lat, lon), pk in zip(points, ids, strict=False):
        started = time.perf_counter()
        rows = nearby_open_reports(category=category, lat=lat, lon=lon, radius_m=50)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(len(rows))
        # the baseline, interleaved so both see the same noise: one report by primary key
        started = time.perf_counter()
        Report.objects.filter(pk=pk).first()
        baseline.append((time.perf_counter() - started) * 1000)
    category, lat, lon = points[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT id, lat, lon FROM reports_report "
            "WHERE is_open AND category_id = %s AND cell = ANY(%s)",
            [category.pk, cells_around(lat, lon, 50)],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "samples": samples,
        "p50": percentile(timings, 0.50),
        "p95": percentile(timings, 0.95),
        "p99": percentile(timings, 0.99),
        "max": max(timings),
        "found_mean": statistics.mean(found),
        "found_max": max(found),
        "with_hits": sum(1 for f in found if f),
        "plan": plan,
        "base_p50": percentile(baseline, 0.50),
        "base_p95": percentile(baseline, 0.95),
    }


def measure_intake(n: int, handler: Any) -> dict[str, Any]:
    from django.db import connection, transaction

    from balie.reports.actions import register_report
    from balie.reports.models import Category

    rng = random.Random(11)
    leaves = list(Category.objects.filter(parent__isnull=False))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_report")
        cursor.execute(
            "CREATE TABLE bench_bare_report (id bigserial PRIMARY KEY, category_id bigint, description text, "
            "lat double precision, lon double precision, reported_at timestamptz)"
        )

    def point() -> tuple[float, float]:
        return rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])

    for _ in range(20):  # warm up
        lat, lon = point()
        register_report(category=rng.choice(leaves), by=handler, description="Opwarmen", lat=lat, lon=lon)
    started = time.perf_counter()
    for i in range(n):
        lat, lon = point()
        register_report(
            category=rng.choice(leaves), by=handler, description=f"Bench-intake {i}", lat=lat, lon=lon
        )
    action_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(n):
        lat, lon = point()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_bare_report (category_id, description, lat, lon, reported_at) "
                "VALUES (%s, %s, %s, %s, now())",
                [rng.choice(leaves).pk, f"Bare {i}", lat, lon],
            )
    bare_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare_report")
    return {
        "n": n,
        "action_per_s": n / action_seconds,
        "action_ms": action_seconds / n * 1000,
        "bare_per_s": n / bare_seconds,
        "bare_ms": bare_seconds / n * 1000,
        "ratio": action_seconds / bare_seconds,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--intake", type=int, default=500)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--db-url", default=os.environ.get("BENCH_REPORTS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args(argv)

    if args.fresh:
        recreate_database(args.db_url)
    setup_django(args.db_url)
    migrate()
    handler = catalogue()["handler"]
    from balie.reports.models import Report

    present = Report.objects.count()
    load_seconds = None
    if present < args.reports:
        load_seconds = load(args.reports - present)
    total = Report.objects.count()
    open_count = Report.objects.filter(is_open=True).count()
    nearby = measure_nearby(args.samples)
    intake = measure_intake(args.intake, handler)

    lines = [
        f"# Reports (meldingen) on PostgreSQL — {total:,} reports, {open_count:,} open",
        "",
        f"Command: `uv run python bench/reports.py --reports {args.reports} --intake {args.intake} "
        f"--samples {args.samples}`",
        "",
        f"Load (generate_series, both tables, then VACUUM ANALYZE): {load_seconds:.0f} s"
        if load_seconds
        else "Load: already there",
        "",
        "## Intake",
        "",
        "| | reports/s | ms each |",
        "| --- | ---: | ---: |",
        f"| `register_report` (the real action) | {intake['action_per_s']:.1f} | {intake['action_ms']:.1f} |",
        f"| bare INSERT baseline, one transaction each | {intake['bare_per_s']:.1f} "
        f"| {intake['bare_ms']:.2f} |",
        "",
        f"Ratio action / bare: {intake['ratio']:.1f}× ({intake['n']} reports each, one after the other, "
        "one connection).",
        "",
        "## Nearby-duplicate search (50 m, same category, open)",
        "",
        f"{nearby['samples']} points, half at open reports: p50 {nearby['p50']:.2f} ms, "
        f"**p95 {nearby['p95']:.2f} ms**, "
        f"p99 {nearby['p99']:.2f} ms, max {nearby['max']:.2f} ms (target p95 < 50 ms). "
        f"Found on average {nearby['found_mean']:.2f}, at most {nearby['found_max']}; "
        f"{nearby['with_hits']} points found at least one.",
        "",
        f"Baseline in the same run (one report by primary key through the ORM, after each search): "
        f"p50 {nearby['base_p50']:.2f} ms, p95 {nearby['base_p95']:.2f} ms; the search is "
        f"{nearby['p50'] / nearby['base_p50']:.1f}× (p50) and "
        f"{nearby['p95'] / nearby['base_p95']:.1f}× (p95) that.",
        "",
        "Plan of the query:",
        "",
        "```",
        nearby["plan"],
        "```",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.reports >= 1_000_000:
        out = Path(__file__).parent / "results" / "2026-11-29-reports.md"
        out.write_text(text)
        print(f"written to {out}")


if __name__ == "__main__":
    main()
