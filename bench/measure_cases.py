"""Measure the case pages and API at 1,000,000 cases against a bare Django view, and the
throughput of registering a case.

    uv run python bench/measure_cases.py          # against the database load.py + load_cases.py made

In-process, as measure.py and measure_api.py: every request through Balie's real WSGI handler,
middleware and session (a department's case handler for the queue, a team lead for the figures,
the archivist for the review list, the bench API application's token for the API), each one
followed by a request to the bare view, so that the noise of this machine falls on both; SQL
queries counted per request. Then register_case (cases.actions) one after the other, and from
8 processes at once (each its own database connection) for --seconds: every call must succeed and
the case numbers of the run must be gap-free and unique. Results: a table on stdout and in
bench/results/<date>-cases.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from measure import (
    BENCH_DIR,
    DEFAULT_DB_URL,
    LOAD_BEFORE,
    PROJECT_DIR,
    QueryCounter,
    WsgiClient,
    environment,
    percentile,
    setup_django,
    summary,
)
from measure_api import ApiCaller, ensure_application

BARE = "bare Django view (baseline)"
TARGET_MS = 100.0  # p95, from the cases issue: the department queue page and the list API
QUEUE_ROWS = [
    "queue page: first page (by deadline)",
    "queue page: next page",
    "queue page: deep page (anywhere in the queue)",
    "queue page: one case type",
    "queue page: overdue only",
    "queue page: newest first",
]
API_ROWS = [
    "cases API: first page",
    "cases API: next pages (following `next`)",
    "cases API: deep page (cursor anywhere)",
    "cases API: open cases of a department",
    "cases API: one case type",
    "cases API: cases of a party",
    "cases API: one case by UUID",
]
OTHER_ROWS = [
    "figures page: last 12 months, all",
    "figures page: last 12 months, one department",
    "figures page: last 3 months, all",
    "archive review list (first page)",
]
TARGETED = set(QUEUE_ROWS) | set(API_ROWS) - {"cases API: one case by UUID"}
BENCH_ADMIN = "beheer1"  # load_cases.py: functional administrator, team lead and archivist


# --- samples -----------------------------------------------------------------------------------


def department_users() -> list[Any]:
    """The first employee of every department that has cases: the queue is 'my department'."""
    from balie.accounts.models import User
    from balie.cases.models import CaseType

    departments = set(CaseType.objects.values_list("department_id", flat=True))
    users = []
    for department_id in sorted(departments):
        user = (
            User.objects.filter(department_id=department_id, kind="employee", is_active=True)
            .exclude(username=BENCH_ADMIN)
            .select_related("department")
            .order_by("id")
            .first()
        )
        if user is not None:
            users.append(user)
    return users


def sample_cases(count: int, rng: random.Random) -> list[Any]:
    """Cases drawn uniformly over the table."""
    from django.db.models import Max, Min

    from balie.cases.models import Case

    bounds = Case.objects.aggregate(lo=Min("id"), hi=Max("id"))
    ids = rng.sample(range(bounds["lo"], bounds["hi"] + 1), min(bounds["hi"] - bounds["lo"] + 1, count))
    found = list(Case.objects.filter(pk__in=ids).only("id", "uuid", "confidential"))
    rng.shuffle(found)
    return found


def sample_open_cases(rng: random.Random) -> dict[int, list[tuple[str, int]]]:
    """Per department, the (deadline, id) of its open cases: positions anywhere in its queue."""
    from balie.cases.models import Case

    per_department: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for department_id, deadline, pk in Case.objects.filter(closed_at__isnull=True).values_list(
        "department_id", "deadline", "id"
    ):
        per_department[department_id].append((deadline.isoformat(), pk))
    return per_department


def login_cookie(user: Any) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


Request = tuple[str, Any, str, str]  # (row, client, path, query)


def build_requests(rng: random.Random, *, n: int, n_slow: int, caller: ApiCaller) -> list[Request]:
    from balie.accounts.models import User
    from balie.api.pagination import encode_cursor
    from balie.cases.models import CaseType
    from balie.cases.queries import QueueFilter, queue_for, sort_key
    from balie.parties.models import Party

    users = department_users()
    clients = {user.pk: WsgiClient(login_cookie(user)) for user in users}
    types = defaultdict(list)
    for department_id, uuid, code in CaseType.objects.values_list("department_id", "uuid", "code"):
        types[department_id].append((str(uuid), code))
    open_cases = sample_open_cases(rng)
    requests: list[Request] = []
    for i in range(n):
        user = users[i % len(users)]
        client = clients[user.pk]
        requests.append((QUEUE_ROWS[0], client, "/zaken/dienst", ""))
        first = queue_for(user, QueueFilter(scope="department"), limit=50)
        if len(first) == 50:
            key = sort_key(first[-1], "deadline")
            requests.append(
                (QUEUE_ROWS[1], client, "/zaken/dienst", urlencode({"na": key[0], "na_id": key[1]}))
            )
        if open_cases[user.department_id]:
            deadline, pk = rng.choice(open_cases[user.department_id])
            query = urlencode({"na": deadline, "na_id": pk})
            requests.append((QUEUE_ROWS[2], client, "/zaken/dienst", query))
        uuid, _code = rng.choice(types[user.department_id])
        requests.append((QUEUE_ROWS[3], client, "/zaken/dienst", urlencode({"zaaktype": uuid})))
        requests.append((QUEUE_ROWS[4], client, "/zaken/dienst", urlencode({"termijn": "te-laat"})))
        requests.append((QUEUE_ROWS[5], client, "/zaken/dienst", urlencode({"sortering": "nieuwste"})))

    api = "/api/v1/cases"
    visible = [c for c in sample_cases(3 * n, rng) if not c.confidential][: 2 * n]
    departments = {u.department_id: str(u.department.uuid) for u in users}
    codes = [code for pairs in types.values() for _uuid, code in pairs]
    parties = list(
        Party.objects.filter(pk__in=rng.sample(range(1, 1_000_000), n)).values_list("uuid", flat=True)
    )
    position: tuple[str, str] | None = (api, "")
    for i in range(n):
        requests.append((API_ROWS[0], caller, api, ""))
        if position is not None and i < n // 2:
            position = caller.next_of(*position)
            if position is not None:
                requests.append((API_ROWS[1], caller, *position))
        requests.append(
            (API_ROWS[2], caller, api, urlencode({"cursor": encode_cursor("cases", visible[i].uuid)}))
        )
        department = rng.choice(list(departments.values()))
        requests.append((API_ROWS[3], caller, api, urlencode({"open": "true", "department": department})))
        requests.append((API_ROWS[4], caller, api, urlencode({"case_type": rng.choice(codes)})))
        if i < len(parties):
            requests.append((API_ROWS[5], caller, api, urlencode({"party": str(parties[i])})))
        requests.append((API_ROWS[6], caller, f"{api}/{visible[n + i].uuid}", ""))

    admin = User.objects.select_related("department").get(username=BENCH_ADMIN)
    admin_client = WsgiClient(login_cookie(admin))
    some_department = str(users[1 % len(users)].department.uuid)
    since = time.strftime("%Y-%m-%d", time.localtime(time.time() - 91 * 86400))
    for _ in range(n_slow):
        requests.append((OTHER_ROWS[0], admin_client, "/zaken/cijfers", ""))
        requests.append(
            (OTHER_ROWS[1], admin_client, "/zaken/cijfers", urlencode({"dienst": some_department}))
        )
        requests.append((OTHER_ROWS[2], admin_client, "/zaken/cijfers", urlencode({"van": since})))
        requests.append((OTHER_ROWS[3], admin_client, "/archief", ""))
    rng.shuffle(requests)
    return requests


# --- pages and API, one at a time ---------------------------------------------------------------


def request(client: Any, path: str, query: str) -> int:
    if isinstance(client, ApiCaller):
        return client("GET", path, query)[0]
    return client.get(path, query)[0]


def measure_requests(
    requests: list[Request], warmup: int
) -> tuple[dict[str, list[float]], dict[str, list[int]], dict[str, dict[int, int]], float]:
    from django.db import connection

    bare_client = WsgiClient()
    counter = QueryCounter()
    timings: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def timed(label: str, client: Any, path: str, query: str) -> None:
        counter.count = 0
        start = time.perf_counter_ns()
        status = request(client, path, query)
        timings[label].append((time.perf_counter_ns() - start) / 1e6)
        queries[label].append(counter.count)
        statuses[label][status] += 1

    print(f"warming up ({min(warmup, len(requests))} requests) …", flush=True)
    for _label, client, path, query in requests[:warmup]:
        request(client, path, query)
        bare_client.get("/bench/bare")
    print(f"measuring {len(requests)} requests, each followed by the bare view …", flush=True)
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for i, (label, client, path, query) in enumerate(requests, start=1):
            timed(label, client, path, query)
            timed(BARE, bare_client, "/bench/bare", "")
            if i % 500 == 0:
                print(f"  {i}/{len(requests)}", flush=True)
    return timings, queries, statuses, time.perf_counter() - started


# --- registering cases -------------------------------------------------------------------------


def registration_plan(rng: random.Random, count: int) -> list[tuple[int, int, int]]:
    """(case type, registering employee, initiator) for `count` registrations."""
    from balie.accounts.models import User
    from balie.cases.models import CaseType

    types = list(CaseType.objects.filter(active=True).values_list("pk", "department_id"))
    employees: dict[int, list[int]] = defaultdict(list)
    for pk, department_id in User.objects.filter(kind="employee", is_active=True).values_list(
        "pk", "department_id"
    ):
        employees[department_id].append(pk)
    plan = []
    for _ in range(count):
        type_id, department_id = rng.choice(types)
        plan.append((type_id, rng.choice(employees[department_id]), rng.randint(1, 1_000_000)))
    return plan


def register(type_id: int, user_id: int, party_id: int) -> tuple[float, str, str]:
    """One register_case; (milliseconds, case number, error)."""
    from balie.accounts.models import User
    from balie.cases.actions import register_case
    from balie.cases.models import CaseType
    from balie.parties.models import Party

    case_type = CaseType.objects.get(pk=type_id)
    by = User.objects.get(pk=user_id)
    party = Party.objects.filter(pk=party_id).first()
    start = time.perf_counter_ns()
    try:
        case = register_case(
            case_type=case_type,
            by=by,
            subject="Aanvraag (benchmark)",
            parties=[(party, "initiator")] if party else [],
        )
    except Exception as error:  # noqa: BLE001 - counted and reported
        return (time.perf_counter_ns() - start) / 1e6, "", repr(error)[:200]
    return (time.perf_counter_ns() - start) / 1e6, case.number, ""


def _worker(args: tuple[int, float, int]) -> list[tuple[float, str, str]]:
    """One client process: registers cases until its time is up."""
    from django.db import connections

    _index, seconds, seed = args
    connections.close_all()  # never share the parent's connection
    rng = random.Random(seed)
    plan = registration_plan(rng, 20_000)
    results = []
    deadline = time.monotonic() + seconds
    for step in plan:
        if time.monotonic() >= deadline:
            break
        results.append(register(*step))
    connections.close_all()
    return results


def measure_registration(*, sequential: int, clients: int, seconds: float, seed: int) -> dict[str, Any]:
    from django.db import connections

    from balie.core.models import Counter

    rng = random.Random(seed)
    year = int(time.strftime("%Y"))
    counter_before = (
        Counter.objects.filter(register="C", year=year).values_list("value", flat=True).first() or 0
    )
    print(f"registering {sequential} cases one after the other …", flush=True)
    started = time.perf_counter()
    one_by_one = [register(*step) for step in registration_plan(rng, sequential)]
    sequential_seconds = time.perf_counter() - started
    concurrent: list[tuple[float, str, str]] = []
    concurrent_seconds = 0.0
    if clients and seconds > 0:
        print(f"registering from {clients} processes for {seconds:.0f} s …", flush=True)
        connections.close_all()
        context = multiprocessing.get_context("fork")
        started = time.perf_counter()
        with context.Pool(clients) as pool:
            for part in pool.map(_worker, [(i, seconds, seed + 1 + i) for i in range(clients)]):
                concurrent += part
        concurrent_seconds = time.perf_counter() - started
    counter_after = (
        Counter.objects.filter(register="C", year=year).values_list("value", flat=True).first() or 0
    )
    numbers = sorted(int(number.split("-")[1]) for _ms, number, _e in one_by_one + concurrent if number)
    expected = list(range(counter_before + 1, counter_after + 1))
    return {
        "sequential": one_by_one,
        "sequential_seconds": sequential_seconds,
        "concurrent": concurrent,
        "concurrent_seconds": concurrent_seconds,
        "clients": clients,
        "gap_free": numbers == expected,
        "numbers": (numbers[0], numbers[-1]) if numbers else None,
        "counter": (counter_before, counter_after),
        "year": year,
    }


# --- the report --------------------------------------------------------------------------------


def queries_text(q: list[int]) -> str:
    return f"{min(q)}" if min(q) == max(q) else f"{min(q)}–{max(q)} (avg {statistics.mean(q):.1f})"


def build_report(
    *,
    db_url: str,
    timings: dict[str, list[float]],
    queries: dict[str, list[int]],
    statuses: dict[str, dict[int, int]],
    wall: float,
    registration: dict[str, Any] | None,
) -> str:
    from django.db import connection

    env = environment(db_url)
    with connection.cursor() as cur:
        cur.execute("SELECT value FROM bench.meta WHERE key = 'cases'")
        row = cur.fetchone()
    cases_meta = (row[0] if isinstance(row[0], dict) else json.loads(row[0])) if row else {}
    counts = env["meta"].get("counts", {})
    case_counts = cases_meta.get("counts", {})
    base = summary(timings[BARE])
    lines = [
        f"# Balie cases benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"- data: {cases_meta.get('cases', 0):,} cases as loaded ({cases_meta.get('open', 0):,} open, "
        f"{cases_meta.get('overdue', 0):,} of them overdue; "
        f"{cases_meta.get('case_types', '?')} case types in 8 departments; "
        f"{case_counts.get('cases_casestatus', 0):,} status rows, "
        f"{case_counts.get('cases_caserole', 0):,} initiators), besides "
        f"{counts.get('parties_party', 0):,} persons and {counts.get('contact_moments_contactmoment', 0):,} "
        f"contact moments; database {env['db_size'] / 2**30:.1f} GB",
        f"- machine: {env['cpus']} CPUs, PostgreSQL {env['postgres']} "
        f"(shared_buffers {env['shared_buffers']}), Python {env['python']}, commit {env['commit']}",
        "- every request through the real WSGI handler, middleware and session (the queue as the first "
        "employee of each department in turn, the figures and review list as a team lead who is also "
        "archivist, the API with the bench application's token), each followed by a request to the bare "
        "view (interleaved); page size 50",
        f"- measuring took {wall:.0f} s; load average (1 min) before {LOAD_BEFORE:.1f}, "
        f"after {os.getloadavg()[0]:.1f} (other work on this machine adds noise: compare the ratios)",
    ]
    if cases_meta.get("phases"):
        lines += ["", "## Load (load_cases.py)", "", "| phase | seconds |", "| --- | ---: |"]
        lines += [f"| {name} | {seconds:.1f} |" for name, seconds in cases_meta["phases"]]
        total = cases_meta["total_seconds"]
        lines += [f"| **total** | **{total:.1f}** ({total / 60:.1f} min) |"]
    lines += [
        "",
        "## Requests, one at a time (ms, whole request)",
        "",
        "| request | n | p50 | p95 | p99 | max | p50 ÷ bare | p95 ÷ bare | queries | status | target p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for label in [BARE, *QUEUE_ROWS, *API_ROWS, *OTHER_ROWS]:
        values = timings.get(label)
        if not values:
            continue
        s = summary(values)
        status = ", ".join(f"{k}×{v}" for k, v in sorted(statuses[label].items()))
        target = ""
        if label in TARGETED:
            target = f"< {TARGET_MS:.0f}: {'✅' if s['p95'] < TARGET_MS else '❌'}"
        name = label if label == BARE else f"**{label}**"
        lines.append(
            f"| {name} | {s['n']} | {s['p50']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} | {s['max']:.1f} "
            f"| {s['p50'] / base['p50']:.0f}× | {s['p95'] / base['p95']:.0f}× "
            f"| {queries_text(queries[label])} | {status} | {target} |"
        )
    if registration:
        r = registration
        seq = [ms for ms, _n, e in r["sequential"] if not e]
        con = [ms for ms, _n, e in r["concurrent"] if not e]
        seq_errors = [e for _ms, _n, e in r["sequential"] if e]
        con_errors = [e for _ms, _n, e in r["concurrent"] if e]
        lines += [
            "",
            "## Registering cases (cases.actions.register_case, in-process)",
            "",
            "Each call: a published version's rules, the gap-free number (one counter row, locked until "
            "commit), the case, its first status and tasks, an initiator with the address at that moment, "
            "the change history, the case event and its domain event, the handler by the type's rule.",
            "",
            "| how | cases | seconds | cases/s | p50 ms | p95 ms | p99 ms | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        if seq:
            lines.append(
                f"| one after the other | {len(seq)} | {r['sequential_seconds']:.1f} "
                f"| {len(seq) / r['sequential_seconds']:.0f} | {percentile(seq, 50):.1f} "
                f"| {percentile(seq, 95):.1f} | {percentile(seq, 99):.1f} | {len(seq_errors)} |"
            )
        if r["concurrent"]:
            lines.append(
                f"| {r['clients']} processes at once | {len(con)} | {r['concurrent_seconds']:.1f} "
                f"| {len(con) / r['concurrent_seconds']:.0f} | {percentile(con, 50):.1f} "
                f"| {percentile(con, 95):.1f} | {percentile(con, 99):.1f} | {len(con_errors)} |"
            )
        first_last = f"{r['numbers'][0]:,}–{r['numbers'][1]:,}" if r["numbers"] else "none"
        lines += [
            "",
            f"Case numbers of the run ({r['year']}): {first_last}; the counter went from "
            f"{r['counter'][0]:,} to {r['counter'][1]:,} — "
            f"{'✅ gap-free, each once' if r['gap_free'] else '❌ NOT gap-free'}.",
        ]
        for error in (seq_errors + con_errors)[:3]:
            lines.append(f"- error: {error}")
    lines.append("")
    return "\n".join(lines)


def run(
    *,
    db_url: str,
    n: int,
    n_slow: int,
    warmup: int,
    seed: int,
    output: Path | None,
    sequential: int,
    clients: int,
    seconds: float,
) -> str:
    setup_django(db_url)
    rng = random.Random(seed)
    _application, token = ensure_application()
    caller = ApiCaller(WsgiClient(), token)
    print("drawing samples …", flush=True)
    requests = build_requests(rng, n=n, n_slow=n_slow, caller=caller)
    timings, queries, statuses, wall = measure_requests(requests, warmup)
    registration = None
    if sequential or (clients and seconds):
        registration = measure_registration(
            sequential=sequential, clients=clients, seconds=seconds, seed=seed
        )
    report = build_report(
        db_url=db_url,
        timings=timings,
        queries=queries,
        statuses=statuses,
        wall=wall,
        registration=registration,
    )
    print(report)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report)
        shown = output.relative_to(PROJECT_DIR) if output.is_relative_to(PROJECT_DIR) else output
        print(f"written to {shown}")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="the loaded database [%(default)s]")
    parser.add_argument(
        "-n", type=int, default=300, help="samples per kind of queue and API request [%(default)s]"
    )
    parser.add_argument(
        "--slow", type=int, default=30, help="figures and review-list requests of each kind [%(default)s]"
    )
    parser.add_argument("--warmup", type=int, default=200, help="requests before measuring [%(default)s]")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument(
        "--sequential", type=int, default=500, help="cases registered one by one [%(default)s]"
    )
    parser.add_argument("--clients", type=int, default=8, help="processes registering at once [%(default)s]")
    parser.add_argument(
        "--seconds", type=float, default=20, help="seconds of concurrent registering; 0 skips it"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH_DIR / "results" / f"{time.strftime('%Y-%m-%d')}-cases.md",
        help="where the markdown goes [%(default)s]",
    )
    parser.add_argument("--no-output", action="store_true", help="print only")
    args = parser.parse_args(argv)
    run(
        db_url=args.db_url, n=args.n, n_slow=args.slow, warmup=args.warmup, seed=args.seed,
        output=None if args.no_output else args.output, sequential=args.sequential,
        clients=args.clients, seconds=args.seconds,
    )  # fmt: skip


if __name__ == "__main__":
    main()
