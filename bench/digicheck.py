"""The digicheck's HR heat map (department × competence) for 2,000 employees with three completed
checks each, on PostgreSQL, against a raw SQL aggregate of the same data in the same run.

    uv run python bench/digicheck.py                       # 2,000 employees × 3 checks, 50 rounds
    uv run python bench/digicheck.py --employees 200 --rounds 10 --no-output   # a quick look

1. Its own database (default `balie_digicheck_bench`, made anew and migrated each run).
2. Eight departments; the starter assessment, job profiles and trainings (through the actions);
   --employees employees (bulk), each with a job profile and --checks completed checks three months
   apart; each check has a result on the 11 competences the assessment measures (levels 0–8 drawn
   per employee around a skill of their own, rising a little per check). Only the newest check is
   `latest`, as `_complete` leaves it. Answers are not loaded: the heat map never reads them.
3. Alternating, --rounds times each: `digital_skills.queries.heat_map()` (what the HR page calls:
   the grouped ORM query over the newest checks, the participant count per department, and the
   departments and competences it names, with the k-anonymity threshold applied), and the baseline:
   one raw SQL aggregate of the same cells over the same rows. Both results are compared cell by
   cell. Also, for context: the same aggregate finding the newest check per employee with
   `DISTINCT ON` instead of the flag, and the whole HR figures page (heat map, participation,
   progress per month) through Django's handler.

Results of a full run go to bench/results/<date>-digicheck.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / "src"), str(BENCH_DIR)]

from load import create_database, migrate  # noqa: E402

DEFAULT_DB_URL = os.environ.get(
    "BENCH_DIGICHECK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/balie_digicheck_bench"
)
DEPARTMENTS = [
    ("Burgerzaken", "burgerzaken"),
    ("Omgeving", "omgeving"),
    ("Financiën", "financien"),
    ("Vrije tijd", "vrije-tijd"),
    ("Welzijn", "welzijn"),
    ("Communicatie", "communicatie"),
    ("ICT", "ict"),
    ("Secretariaat", "secretariaat"),
]
RAW_HEAT_MAP = """
    SELECT a.department_id, r.competence_id, avg(r.level), count(*)
    FROM digital_skills_competenceresult r
    JOIN digital_skills_attempt a ON a.id = r.attempt_id
    WHERE a.latest AND a.department_id IS NOT NULL
    GROUP BY a.department_id, r.competence_id
"""
DISTINCT_ON_HEAT_MAP = """
    WITH newest AS (
        SELECT DISTINCT ON (employee_id) id, department_id
        FROM digital_skills_attempt
        WHERE state = 'completed' AND department_id IS NOT NULL
        ORDER BY employee_id, completed_at DESC
    )
    SELECT n.department_id, r.competence_id, avg(r.level), count(*)
    FROM digital_skills_competenceresult r JOIN newest n ON n.id = r.attempt_id
    GROUP BY n.department_id, r.competence_id
"""


def log(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(ordered) - 1)
    return ordered[f] + (ordered[c] - ordered[f]) * (k - f)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("BALIE_DATA_DIR", "/tmp/balie-digicheck-bench")  # noqa: S108 - scratch space
    Path(os.environ["BALIE_DATA_DIR"], "static").mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.conf.settings"
    os.environ.setdefault("BALIE_LOG_LEVEL", "WARNING")
    # The manifest needs collectstatic; the plain storage is what is left without it.
    os.environ.setdefault(
        "BALIE_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()


def load(*, employees: int, checks: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from balie.accounts.actions import create_department, create_employee
    from balie.accounts.models import AccountKind, Role, User
    from balie.digital_skills.models import Attempt, CompetenceResult, EmployeeProfile
    from balie.digital_skills.starter import (
        build_starter_assessment,
        build_starter_profiles,
        build_starter_trainings,
    )

    rng = random.Random(seed)
    started = time.monotonic()
    with transaction.atomic():
        departments = [create_department(name=name, code=code, by=None) for name, code in DEPARTMENTS]
        hr = create_employee(
            username="hr", first_name="Karen", last_name="Willems", email="hr@zonnedaal.be",
            password="Balie-bench-2026", department=departments[0], roles=[Role.HR], by=None,
        )  # fmt: skip
        version = build_starter_assessment(by=hr)
        profiles = list(build_starter_profiles(by=hr).values())
        build_starter_trainings(by=hr)
        competence_ids = sorted(set(version.items.values_list("competence_id", flat=True)))
        now = timezone.now()
        users = User.objects.bulk_create(
            User(
                username=f"medewerker{n}",
                first_name="Mede",
                last_name=f"Werker {n}",
                email=f"medewerker{n}@zonnedaal.be",
                password="!",
                kind=AccountKind.EMPLOYEE,
                department=departments[n % len(departments)],
            )
            for n in range(employees)
        )
        EmployeeProfile.objects.bulk_create(
            EmployeeProfile(employee=user, job_profile=profiles[n % 3], hr_coordinator=hr)
            for n, user in enumerate(users)
        )
        attempts: list[Attempt] = []
        for n, user in enumerate(users):
            for check in range(checks):
                when = now - dt.timedelta(days=90 * (checks - 1 - check), hours=rng.randint(0, 500))
                attempts.append(
                    Attempt(
                        uuid=uuid.uuid4(),
                        employee=user,
                        version=version,
                        state="completed",
                        department_id=user.department_id,
                        job_profile=profiles[n % 3],
                        started_at=when,
                        submitted_at=when,
                        completed_at=when,
                        latest=check == checks - 1,
                    )
                )
        attempts = Attempt.objects.bulk_create(attempts, batch_size=2000)
        skills = [rng.uniform(1, 6) for _ in users]
        results = []
        for index, attempt in enumerate(attempts):
            employee_index, check = divmod(index, checks)
            for competence_id in competence_ids:
                level = round(rng.gauss(skills[employee_index] + 0.6 * check, 1.2))
                results.append(
                    CompetenceResult(
                        attempt=attempt,
                        competence_id=competence_id,
                        level=max(0, min(8, level)),
                        items=2,
                        passed=1,
                    )
                )
        CompetenceResult.objects.bulk_create(results, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) digital_skills_attempt")
        cursor.execute("VACUUM (ANALYZE) digital_skills_competenceresult")
    return {
        "employees": employees,
        "attempts": len(attempts),
        "results": len(results),
        "competences": len(competence_ids),
        "seconds": round(time.monotonic() - started, 1),
    }


def measure(*, rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from balie.accounts.models import User
    from balie.digital_skills.queries import heat_map

    def raw(sql: str) -> dict[tuple[int, int], tuple[float, int]]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return {(d, c): (round(float(avg), 1), n) for d, c, avg, n in cursor.fetchall()}

    # Warm up, and check both give the same cells.
    grid = heat_map()
    baseline = raw(RAW_HEAT_MAP)
    assert dict(grid.cells) == {
        key: (avg if n >= grid.threshold else None) for key, (avg, n) in baseline.items()
    }, "the heat map and the raw aggregate disagree"
    assert raw(DISTINCT_ON_HEAT_MAP) == baseline
    times: dict[str, list[float]] = {"heat_map": [], "raw": [], "distinct_on": [], "page": []}
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="hr"))
    assert client.get("/digicheck/cijfers", secure=True).status_code == 200
    for _ in range(rounds):
        for name, run in (
            ("heat_map", heat_map),
            ("raw", lambda: raw(RAW_HEAT_MAP)),
            ("distinct_on", lambda: raw(DISTINCT_ON_HEAT_MAP)),
            ("page", lambda: client.get("/digicheck/cijfers", secure=True)),
        ):
            started = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - started) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + RAW_HEAT_MAP)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "times": {
            name: {
                "median": statistics.median(values),
                "p95": percentile(values, 95),
                "min": min(values),
            }
            for name, values in times.items()
        },
        "cells": len(baseline),
        "shown": sum(1 for value in grid.cells.values() if value is not None),
        "plan": plan,
    }


def write(path: Path, args: argparse.Namespace, loaded: dict[str, Any], measured: dict[str, Any]) -> None:
    t = measured["times"]
    ratio = t["heat_map"]["median"] / t["raw"]["median"]
    lines = [
        f"# Digicheck heat map — {dt.date.today():%Y-%m-%d}",
        "",
        f"`uv run python bench/digicheck.py --employees {args.employees} --checks {args.checks} "
        f"--rounds {args.rounds}` on PostgreSQL "
        f"({platform.machine()}, {os.cpu_count()} cores shared with other work; "
        f"Python {platform.python_version()}).",
        "",
        f"Data: {loaded['employees']:,} employees in 8 departments, "
        f"{loaded['attempts']:,} completed checks ({args.checks} each), "
        f"{loaded['results']:,} results on {loaded['competences']} competences; loaded in "
        f"{loaded['seconds']} s. The heat map has {measured['cells']} cells ({measured['shown']} shown).",
        "",
        "| what | median ms | p95 ms | min ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    labels = {
        "heat_map": "`heat_map()` (ORM: cells + participants + departments + competences)",
        "raw": "baseline: one raw SQL aggregate over `latest` checks",
        "distinct_on": "raw SQL, newest check per employee by `DISTINCT ON` (no flag)",
        "page": "HR figures page (`/digicheck/cijfers`: heat map, participation, progress)",
    }
    for name, label in labels.items():
        lines.append(f"| {label} | {t[name]['median']:.1f} | {t[name]['p95']:.1f} | {t[name]['min']:.1f} |")
    lines += [
        "",
        f"**Ratio heat map / raw aggregate (medians): {ratio:.2f}×.** The difference is the three small",
        "queries beside the aggregate (participants per department, the departments' and competences'",
        "names) and building the Python objects; the aggregate itself is the same statement.",
        "",
        "Plan of the baseline aggregate:",
        "",
        "```",
        measured["plan"],
        "```",
        "",
    ]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_DB_URL)
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--checks", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2645)
    parser.add_argument("--no-output", action="store_true", help="print only, write no results file")
    args = parser.parse_args()
    log(f"database {args.db_url}: create and migrate")
    create_database(args.db_url)
    migrate(args.db_url)
    setup_django(args.db_url)
    log(f"load {args.employees} employees × {args.checks} checks")
    loaded = load(employees=args.employees, checks=args.checks, seed=args.seed)
    log(f"  {loaded}")
    log(f"measure, {args.rounds} rounds")
    measured = measure(rounds=args.rounds)
    for name, values in measured["times"].items():
        log(f"  {name:12} median {values['median']:.1f} ms  p95 {values['p95']:.1f} ms")
    times = measured["times"]
    log(f"  ratio heat_map / raw: {times['heat_map']['median'] / times['raw']['median']:.2f}x")
    if not args.no_output:
        path = BENCH_DIR / "results" / f"{dt.date.today():%Y-%m-%d}-digicheck.md"
        write(path, args, loaded, measured)
        log(f"written {path}")


if __name__ == "__main__":
    main()
