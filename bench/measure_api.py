"""Measure the REST API (/api/v1) against a bare Django view, in the same run.

    uv run python bench/measure_api.py            # against the database bench/load.py made

Two parts. In-process: every request goes through Balie's real WSGI handler and middleware with an
API token (`Authorization: Token …`) of a bench application with every scope, made once in the
bench database and given a new token on each run; the bare view follows each request, as in
measure.py, and the SQL queries of each request are counted. Under load: a real server (`balie
serve`, gunicorn, on a loopback port) and 8 client threads, in alternating slices: the bare view,
reading one contact moment, creating contact moments (half of them handed off). Every 201 is checked
against the rows in the database afterwards. Results: a table on stdout, appended to
bench/results/<date>-api.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from measure import (
    BENCH_DIR,
    DEFAULT_DB_URL,
    LOAD_BEFORE,
    PROJECT_DIR,
    QueryCounter,
    WsgiClient,
    environment,
    sample_parties,
    setup_django,
    summary,
)

BARE = "bare Django view (baseline)"
BENCH_APPLICATION = "Benchmark API"
API = "/api/v1"
ROWS = [
    BARE,
    "contact moments: first page",
    "contact moments: next pages (following `next`)",
    "contact moments: deep page (cursor anywhere in 3 years)",
    "contact moments: filtered by party",
    "contact moments: filtered by party, next page",
    "contact moment by UUID",
    "party by UUID",
    "parties: first page (name order)",
    "parties: deep page (cursor anywhere)",
    "parties by national number",
    "parties by name",
    "create contact moment",
    "create contact moment with hand-off",
]
CREATES = ("create contact moment", "create contact moment with hand-off")
SECRET_KEY = "bench-api-" + "k" * 50  # loopback only, this run only


# --- the bench application --------------------------------------------------------------------


def ensure_application() -> tuple[Any, str]:
    """The bench's API application, in the front desk's department with every scope: made once, given
    a new token on every run (only its hash is kept, so an old token cannot be reused)."""
    from balie.accounts.models import User
    from balie.api.actions import create_api_application, rotate_api_token
    from balie.api.models import ApiApplication, Scope

    department = User.objects.select_related("department").get(username="onthaal1").department
    assert department is not None
    existing = ApiApplication.objects.filter(name=BENCH_APPLICATION).first()
    if existing is None:
        return create_api_application(
            name=BENCH_APPLICATION,
            department=department,
            scopes=list(Scope.values),
            purpose="Benchmark (bench/measure_api.py)",
            by=None,
        )
    # A bench-only database: put the application back as it was made, should someone have changed it.
    ApiApplication.objects.filter(pk=existing.pk).update(scopes=sorted(Scope.values), active=True)
    User.objects.filter(pk=existing.user_id).update(is_active=True)
    return rotate_api_token(application=existing, by=None)


# --- samples -----------------------------------------------------------------------------------


def sample_moments(count: int, rng: random.Random, department_id: int) -> list[str]:
    """UUIDs of contact moments the bench application may see, drawn uniformly over the table."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) FROM contact_moments_contactmoment")
        lo, hi = cur.fetchone()
        cur.execute(
            "SELECT uuid FROM contact_moments_contactmoment WHERE id = ANY(%s)"
            " AND (NOT confidential OR department_id = %s)",
            [rng.sample(range(lo, hi + 1), min(hi - lo + 1, count + count // 5)), department_id],
        )
        found = [str(r[0]) for r in cur.fetchall()]
    rng.shuffle(found)
    return found[:count]


def catalogue() -> dict[str, list[str]]:
    from balie.accounts.queries import active_departments
    from balie.contact_moments.queries import active_topics

    return {
        "topics": [str(u) for u in active_topics().values_list("uuid", flat=True)],
        "departments": [str(u) for u in active_departments().values_list("uuid", flat=True)],
    }


def create_body(rng: random.Random, *, party: str | None, handoff: bool, cat: dict[str, list[str]]) -> bytes:
    body: dict[str, Any] = {
        "channel": rng.choice(["phone", "email", "counter"]),
        "summary": "Vraag naar de openingsuren van het containerpark (benchmark).",
        "party": party,
        "topic": rng.choice(cat["topics"]),
    }
    if handoff:
        body["handoff"] = {"department": rng.choice(cat["departments"]), "description": "Terugbellen."}
    return json.dumps(body).encode()


# --- in-process: the real WSGI stack, one request at a time -----------------------------------


Request = tuple[str, str, str, str, bytes]  # (row label, method, path, query, body)


class ApiCaller:
    def __init__(self, client: WsgiClient, token: str) -> None:
        self.client = client
        self.headers = {
            "HTTP_AUTHORIZATION": f"Token {token}",
            "HTTP_ACCEPT": "application/json",
            "CONTENT_TYPE": "application/json",
        }

    def __call__(self, method: str, path: str, query: str = "", body: bytes = b"") -> tuple[int, bytes]:
        return self.client.request(method, path, query, body, self.headers)

    def next_of(self, path: str, query: str = "") -> tuple[str, str] | None:
        """The (path, query) of the page after this one, from its `next` link."""
        status, content = self("GET", path, query)
        assert status == 200, (status, path, query, content[:300])
        link = json.loads(content)["next"]
        if not link:
            return None
        parts = urlsplit(link)
        return parts.path, parts.query


def build_requests(
    call: ApiCaller, rng: random.Random, *, n: int, department_id: int
) -> tuple[list[Request], dict[str, Any]]:
    from balie.api.pagination import encode_cursor
    from balie.parties.identifiers import format_insz

    moments = sample_moments(2 * n, rng, department_id)
    parties = sample_parties(n, rng)
    cat = catalogue()
    listing = f"{API}/contact-moments"
    requests: list[Request] = []
    for _ in range(n // 2):
        requests.append(("contact moments: first page", "GET", listing, "", b""))
    # Following `next` from the first page, as a client that reads everything would.
    position: tuple[str, str] | None = (listing, "")
    for _ in range(n // 2):
        position = call.next_of(*position) if position else None
        if position is None:
            break
        requests.append(("contact moments: next pages (following `next`)", "GET", *position, b""))
    # A cursor is a signed position: one at a random row is the page a client reaches after
    # following `next` that far (page 100,000 of the table costs what page 2 costs, or should).
    for uuid in moments[n : n + n // 2]:
        query = urlencode({"cursor": encode_cursor("contact_moments", uuid)})  # type: ignore[arg-type]
        requests.append((ROWS[3], "GET", listing, query, b""))
    for p in parties:
        query = urlencode({"party": str(p["uuid"])})
        requests.append(("contact moments: filtered by party", "GET", listing, query, b""))
        if p["contacts"] > 50:
            after = call.next_of(listing, query)
            if after:
                requests.append(("contact moments: filtered by party, next page", "GET", *after, b""))
    for uuid in moments[:n]:
        requests.append(("contact moment by UUID", "GET", f"{listing}/{uuid}", "", b""))
    for p in parties:
        requests.append(("party by UUID", "GET", f"{API}/parties/{p['uuid']}", "", b""))
    for _ in range(n // 2):
        requests.append(("parties: first page (name order)", "GET", f"{API}/parties", "", b""))
    for p in parties[n // 2 :]:
        query = urlencode({"cursor": encode_cursor("parties", p["uuid"])})
        requests.append(("parties: deep page (cursor anywhere)", "GET", f"{API}/parties", query, b""))
    for i, p in enumerate(parties):
        number = format_insz(p["nn"]) if i % 2 else p["nn"]  # as read from an eID, or bare
        query = urlencode({"national_number": number})
        requests.append(("parties by national number", "GET", f"{API}/parties", query, b""))
    for i, p in enumerate(parties):
        name = f"{p['family']} {p['given']}" if i % 2 else p["family"]
        requests.append(("parties by name", "GET", f"{API}/parties", urlencode({"name": name}), b""))
    for i in range(n // 2):
        party = str(parties[i % len(parties)]["uuid"]) if i % 10 else None  # 10% anonymous
        for label, handoff in zip(CREATES, (False, True), strict=True):
            body = create_body(rng, party=party, handoff=handoff, cat=cat)
            requests.append((label, "POST", listing, "", body))
    rng.shuffle(requests)
    return requests, {"parties": parties, "moments": moments, "catalogue": cat}


def measure_in_process(
    call: ApiCaller, requests: list[Request], warmup: int
) -> tuple[dict[str, list[float]], dict[str, list[int]], dict[str, dict[int, int]], float]:
    from django.db import connection

    counter = QueryCounter()
    timings: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def timed(label: str, method: str, path: str, query: str, body: bytes) -> None:
        counter.count = 0
        start = time.perf_counter_ns()
        status, _ = call(method, path, query, body)
        timings[label].append((time.perf_counter_ns() - start) / 1e6)
        queries[label].append(counter.count)
        statuses[label][status] += 1

    print(f"warming up ({min(warmup, len(requests))} requests) …", flush=True)
    for _, method, path, query, body in requests[:warmup]:
        if method == "GET":
            call(method, path, query, body)
        call("GET", "/bench/bare")
    print(f"measuring {len(requests)} API requests, each followed by the bare view …", flush=True)
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for i, (label, method, path, query, body) in enumerate(requests, start=1):
            timed(label, method, path, query, body)
            timed(BARE, "GET", "/bench/bare", "", b"")
            if i % 500 == 0:
                print(f"  {i}/{len(requests)}", flush=True)
    return timings, queries, statuses, time.perf_counter() - started


# --- under load: a real server, 8 clients -------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`balie serve` (gunicorn) on a loopback port, with the bench URLconf, stopped on exit."""

    def __init__(self, db_url: str, workers: int | None, log: Path) -> None:
        self.port = free_port()
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(PROJECT_DIR / "src")]),
            "BALIE_SECURE": "false",
            "BALIE_DEBUG": "false",
            "BALIE_SECRET_KEY": SECRET_KEY,
            "BALIE_LOG_LEVEL": "WARNING",
            "BALIE_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        command = [str(Path(sys.executable).parent / "balie"), "serve", "--bind", f"127.0.0.1:{self.port}"]
        if workers:
            command += ["--workers", str(workers)]
        self.command = command
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.wait_until_ready()

    def wait_until_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if http_request(self.port, "GET", "/bench/bare")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"the server did not start; its log:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's master: graceful shutdown
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def http_request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def under_load(
    *,
    port: int,
    token: str,
    kinds: Mapping[str, Callable[[random.Random, int], tuple[str, str, bytes]]],
    clients: int,
    seconds: float,
    slices: int,
    seed: int,
) -> dict[str, dict[str, Any]]:
    """`clients` threads on each kind in turn, `slices` rounds of seconds/slices each, so that every
    kind sees the same drift of this machine. Per kind: latencies of each request and its statuses."""
    headers = {
        "Authorization": f"Token {token}",
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    results: dict[str, dict[str, Any]] = {
        kind: {"latencies": [], "statuses": defaultdict(int), "errors": [], "seconds": 0.0, "handoff_201": 0}
        for kind in kinds
    }
    lock = threading.Lock()
    max_per_client = 100_000  # a bound besides the clock

    def client(kind: str, number: int, deadline: float, rng: random.Random) -> None:
        make = kinds[kind]
        mine: list[tuple[float, int, bool]] = []
        errors: list[str] = []
        for i in range(max_per_client):
            if time.monotonic() >= deadline:
                break
            method, path, body = make(rng, number * max_per_client + i)
            start = time.perf_counter_ns()
            try:
                status, content = http_request(port, method, path, body, headers)
            except OSError as error:
                status, content = 0, str(error).encode()
            mine.append(((time.perf_counter_ns() - start) / 1e6, status, b'"handoff"' in body))
            if status >= 400 or status == 0:
                errors.append(f"{status} {content[:200]!r}")
        with lock:
            r = results[kind]
            r["latencies"] += [ms for ms, _, _ in mine]
            for _, status, handoff in mine:
                r["statuses"][status] += 1
                r["handoff_201"] += status == 201 and handoff
            r["errors"] += errors

    rng = random.Random(seed)
    for round_ in range(slices):
        for kind in kinds:
            started = time.monotonic()
            deadline = started + seconds / slices
            threads = [
                threading.Thread(target=client, args=(kind, n, deadline, random.Random(rng.random())))
                for n in range(clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=seconds + 120)
            results[kind]["seconds"] += time.monotonic() - started
        print(f"  round {round_ + 1}/{slices}", flush=True)
    return results


def measure_concurrency(
    *,
    db_url: str,
    token: str,
    application: Any,
    samples: dict[str, Any],
    clients: int,
    seconds: float,
    workers: int | None,
    seed: int,
) -> dict[str, Any]:
    from django.db import connection

    from balie.contact_moments.models import ContactMoment, InternalTask

    moments = samples["moments"]
    parties = [str(p["uuid"]) for p in samples["parties"]]
    cat = samples["catalogue"]

    def bare(rng: random.Random, i: int) -> tuple[str, str, bytes]:
        return "GET", "/bench/bare", b""

    def read(rng: random.Random, i: int) -> tuple[str, str, bytes]:
        return "GET", f"{API}/contact-moments/{rng.choice(moments)}", b""

    def create(rng: random.Random, i: int) -> tuple[str, str, bytes]:
        party = rng.choice(parties) if i % 10 else None
        return "POST", f"{API}/contact-moments", create_body(rng, party=party, handoff=bool(i % 2), cat=cat)

    log = Path(tempfile.mkdtemp(prefix="balie-bench-")) / "server.log"
    print(f"starting the server (log: {log}) …", flush=True)
    server = Server(db_url, workers, log)
    try:
        print(f"  {' '.join(server.command)} (pid {server.process.pid})", flush=True)
        warm = under_load(
            port=server.port, token=token, kinds={"bare": bare, "read": read}, clients=clients,
            seconds=4, slices=1, seed=seed,
        )  # fmt: skip
        assert not warm["read"]["errors"], warm["read"]["errors"][:3]
        connection.close()  # a fresh connection: the clock below is the database's
        with connection.cursor() as cur:
            cur.execute("SELECT now()")
            since = cur.fetchone()[0]
        print(f"{clients} clients, {seconds:.0f} s per kind, in alternating slices …", flush=True)
        kinds = {"bare Django view": bare, "read one contact moment": read, "create contact moment": create}
        results = under_load(
            port=server.port, token=token, kinds=kinds, clients=clients, seconds=seconds, slices=4,
            seed=seed + 1,
        )  # fmt: skip
    finally:
        server.stop()
        print(f"server stopped (exit {server.process.returncode})", flush=True)
    created = ContactMoment.objects.filter(employee_id=application.user_id, registered_at__gte=since)
    results["create contact moment"]["rows"] = created.count()
    results["create contact moment"]["task_rows"] = InternalTask.objects.filter(
        contact_moment__in=created
    ).count()
    return {"results": results, "command": " ".join(server.command), "clients": clients, "seconds": seconds}


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
    created_rows: int,
    load: dict[str, Any] | None,
) -> str:
    env = environment(db_url)
    counts = env["meta"].get("counts", {})
    base = summary(timings[BARE])
    lines = [
        f"# Balie API benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"- data: {counts.get('parties_party', '?'):,} persons, "
        f"{counts.get('contact_moments_contactmoment', '?'):,} contact moments (as loaded); "
        f"database {env['db_size'] / 2**30:.1f} GB",
        f"- machine: {env['cpus']} CPUs, PostgreSQL {env['postgres']} "
        f"(shared_buffers {env['shared_buffers']}), Python {env['python']}, commit {env['commit']}",
        "- in-process: every request through the real WSGI handler and middleware with an API token "
        "(application with every scope, front-desk department), each one followed by a request to the "
        "bare view (interleaved); page size 50",
        f"- measuring took {wall:.0f} s; load average (1 min) before {LOAD_BEFORE:.1f}, "
        f"after {os.getloadavg()[0]:.1f} (other work on this machine adds noise: compare the ratios)",
        "",
        "## API requests, one at a time (ms, whole request)",
        "",
        "| request | n | p50 | p95 | p99 | max | p50 ÷ bare | p95 ÷ bare | queries | status |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label in ROWS:
        values = timings.get(label)
        if not values:
            continue
        s = summary(values)
        status = ", ".join(f"{k}×{v}" for k, v in sorted(statuses[label].items()))
        name = label if label == BARE else f"**{label}**"
        lines.append(
            f"| {name} | {s['n']} | {s['p50']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} | {s['max']:.1f} "
            f"| {s['p50'] / base['p50']:.0f}× | {s['p95'] / base['p95']:.0f}× "
            f"| {queries_text(queries[label])} | {status} |"
        )
    created_201 = sum(statuses[label].get(201, 0) for label in CREATES)
    lines += [
        "",
        f"Creates answered 201: {created_201}; new contact moments in the database: {created_rows}.",
    ]
    if load:
        res = load["results"]
        bare = summary(res["bare Django view"]["latencies"])
        lines += [
            "",
            f"## Under load: {load['clients']} concurrent clients, real server (ms)",
            "",
            f"`{load['command']}` on loopback; client threads with http.client (a new connection per "
            f"request), {load['seconds']:.0f} s per kind in 4 alternating slices; the bare view under the "
            "same load is the baseline. Client and server share the machine's CPUs.",
            "",
            "| request | n | req/s | p50 | p95 | p99 | max | p50 ÷ bare | p95 ÷ bare | errors | status |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for kind, r in res.items():
            s = summary(r["latencies"])
            errors = sum(v for k, v in r["statuses"].items() if k == 0 or k >= 400)
            status = ", ".join(f"{k}×{v}" for k, v in sorted(r["statuses"].items()))
            lines.append(
                f"| {kind} | {s['n']} | {s['n'] / r['seconds']:.0f} | {s['p50']:.1f} | {s['p95']:.1f} "
                f"| {s['p99']:.1f} | {s['max']:.0f} "
                f"| {s['p50'] / bare['p50']:.0f}× | {s['p95'] / bare['p95']:.0f}× "
                f"| {errors} | {status} |"
            )
        c = res["create contact moment"]
        ok = c["statuses"].get(201, 0)
        equal = c["rows"] == ok and c["task_rows"] == c["handoff_201"]
        lines += [
            "",
            f"Creates under load: {ok} answered 201 ({c['handoff_201']} with hand-off); in the database "
            f"afterwards: {c['rows']} contact moments and {c['task_rows']} tasks by the bench application "
            f"since the start — {'✅ equal' if equal else '❌ NOT EQUAL'}.",
        ]
        for kind, r in res.items():
            if r["errors"]:
                lines.append(f"- first errors of {kind}: " + "; ".join(r["errors"][:3]))
    lines.append("")
    return "\n".join(lines)


def run(
    *,
    db_url: str,
    n: int,
    warmup: int,
    seed: int,
    output: Path | None,
    clients: int,
    seconds: float,
    workers: int | None,
) -> str:
    setup_django(db_url)
    from balie.contact_moments.models import ContactMoment

    rng = random.Random(seed)
    application, token = ensure_application()
    call = ApiCaller(WsgiClient(), token)
    print("drawing samples …", flush=True)
    requests, samples = build_requests(call, rng, n=n, department_id=application.department_id)
    mine = ContactMoment.objects.filter(employee_id=application.user_id)
    before = mine.count()
    timings, queries, statuses, wall = measure_in_process(call, requests, warmup)
    created_rows = mine.count() - before
    load = None
    if seconds > 0:
        load = measure_concurrency(
            db_url=db_url, token=token, application=application, samples=samples,
            clients=clients, seconds=seconds, workers=workers, seed=seed,
        )  # fmt: skip
    report = build_report(
        db_url=db_url, timings=timings, queries=queries, statuses=statuses, wall=wall,
        created_rows=created_rows, load=load,
    )  # fmt: skip
    print(report)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("a") as out:
            out.write(report + "\n")
        shown = output.relative_to(PROJECT_DIR) if output.is_relative_to(PROJECT_DIR) else output
        print(f"appended to {shown}")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="the loaded database [%(default)s]")
    parser.add_argument("-n", type=int, default=400, help="samples per kind of request [%(default)s]")
    parser.add_argument("--warmup", type=int, default=200, help="requests before measuring [%(default)s]")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients [%(default)s]")
    parser.add_argument(
        "--seconds", type=float, default=20, help="seconds under load per kind; 0 skips it [%(default)s]"
    )
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: balie serve's own)")
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH_DIR / "results" / f"{time.strftime('%Y-%m-%d')}-api.md",
        help="the markdown table is appended here [%(default)s]",
    )
    parser.add_argument("--no-output", action="store_true", help="print only")
    args = parser.parse_args(argv)
    run(
        db_url=args.db_url, n=args.n, warmup=args.warmup, seed=args.seed,
        output=None if args.no_output else args.output,
        clients=args.clients, seconds=args.seconds, workers=args.workers,
    )  # fmt: skip


if __name__ == "__main__":
    main()
