"""Measure the 360° view and the party search against a bare Django view, in the same run.

    uv run python bench/measure.py                # against the database bench/load.py made

Every request goes through Balie's real WSGI handler, middleware, session and login, as an
employee of the front desk; the bare view (bench_urls.bare) goes through the same stack and is
interleaved with them, one after each request, so that the noise of this machine falls on both.
Then the query functions are timed on their own (search_parties, get_party_for, timeline_for), to
tell database time from template time. Results: a table on stdout and in bench/results/<date>.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / "src"), str(BENCH_DIR)]

DEFAULT_DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/balie_bench")
LOAD_BEFORE = os.getloadavg()[0]
TARGETS_MS = {"360° view": 50.0, "search": 100.0}  # p95, from the foundation issue
SEARCH_KINDS = ["family name", "family given", "national number", "e-mail", "phone", "street number"]


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    # The manifest needs collectstatic; the plain storage is what is left without it.
    os.environ.setdefault(
        "BALIE_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    os.environ.setdefault("BALIE_LOG_LEVEL", "WARNING")
    import django

    django.setup()


# --- a WSGI client: what gunicorn does, without the socket ----------------------------------------


class WsgiClient:
    """Calls Django's WSGI application in-process over https, with the employee's session cookie."""

    def __init__(self, cookie: str = "") -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.app = WSGIHandler()
        self.cookie = cookie

    def get(self, path: str, query: str = "", headers: dict[str, str] | None = None) -> tuple[int, int]:
        status, body = self.request(
            "GET", path, query, headers={"HTTP_ACCEPT": "text/html", **(headers or {})}
        )
        return status, len(body)

    def request(
        self,
        method: str,
        path: str,
        query: str = "",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """One request of any method; `headers` are WSGI keys (HTTP_AUTHORIZATION, CONTENT_TYPE)."""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": "nl-BE,nl;q=0.9",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "https",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **({"HTTP_COOKIE": self.cookie} if self.cookie else {}),
            **({"CONTENT_LENGTH": str(len(body))} if body else {}),
            **(headers or {}),
        }
        status: list[str] = []

        def start_response(s: str, h: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(s)

        response = self.app(environ, start_response)
        try:
            content = b"".join(response)
        finally:
            response.close()
        return int(status[0].split()[0]), content


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


# --- samples -----------------------------------------------------------------------------------


def sample_parties(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Half drawn uniformly (most have a few contacts), half drawn through a random contact
    moment, so weighted by how often a party calls (the heavy ones with hundreds)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) FROM parties_party")
        lo, hi = cur.fetchone()
        cur.execute("SELECT min(id), max(id) FROM contact_moments_contactmoment")
        cm_lo, cm_hi = cur.fetchone()
        uniform = rng.sample(range(lo, hi + 1), count - count // 2)
        cur.execute(
            "SELECT party_id FROM contact_moments_contactmoment WHERE id = ANY(%s) AND party_id IS NOT NULL",
            [rng.sample(range(cm_lo, cm_hi + 1), count)],
        )
        weighted = [r[0] for r in cur.fetchall()][: count // 2]
        ids = uniform + weighted
        cur.execute(
            """
            SELECT p.id, p.uuid, p.family_name, p.given_name, p.national_number,
                (SELECT count(*) FROM contact_moments_contactmoment cm WHERE cm.party_id = p.id)
            FROM parties_party p WHERE p.id = ANY(%s)
            """,
            [ids],
        )
        rows = {r[0]: r for r in cur.fetchall()}
    return [
        {"id": i, "uuid": rows[i][1], "family": rows[i][2], "given": rows[i][3], "nn": rows[i][4],
         "contacts": rows[i][5]}
        for i in ids if i in rows
    ]  # fmt: skip


def sample_searches(count: int, rng: random.Random) -> dict[str, list[str]]:
    """What callers say at the counter, drawn from the data so that common names come up often."""
    from django.db import connection

    from balie.parties.identifiers import format_insz, format_phone

    queries: dict[str, list[str]] = {}
    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) FROM parties_party")
        lo, hi = cur.fetchone()
        cur.execute(
            "SELECT family_name, given_name, national_number FROM parties_party WHERE id = ANY(%s)",
            [rng.sample(range(lo, hi + 1), count)],
        )
        people = cur.fetchall()
        queries["family name"] = [f for f, _, _ in people]
        queries["family given"] = [f"{f} {g}" for f, g, _ in people]
        # As read from an eID card or typed bare, half and half.
        queries["national number"] = [format_insz(n) if i % 2 else n for i, (_, _, n) in enumerate(people)]
        cur.execute("SELECT min(id), max(id) FROM parties_contactpoint")
        cp_lo, cp_hi = cur.fetchone()
        for kind, label, fmt in (
            ("email", "e-mail", lambda v: v),
            ("mobile", "phone", format_phone),
        ):
            cur.execute(
                "SELECT value FROM parties_contactpoint WHERE id = ANY(%s) AND kind = %s",
                [rng.sample(range(cp_lo, cp_hi + 1), min(cp_hi - cp_lo + 1, count * 4)), kind],
            )
            queries[label] = [fmt(v) for (v,) in cur.fetchall()][:count]
        cur.execute("SELECT min(id), max(id) FROM parties_address")
        a_lo, a_hi = cur.fetchone()
        cur.execute(
            "SELECT street, house_number FROM parties_address WHERE id = ANY(%s) AND valid_until IS NULL",
            [rng.sample(range(a_lo, a_hi + 1), count + count // 10)],
        )
        queries["street number"] = [f"{s} {n}" for s, n in cur.fetchall()][:count]
    return queries


# --- statistics --------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(ordered) - 1)
    return ordered[f] + (ordered[c] - ordered[f]) * (k - f)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else float("nan"),
    }


# --- the run -----------------------------------------------------------------------------------


def run(
    *,
    db_url: str,
    parties: int,
    searches: int,
    warmup: int,
    seed: int,
    output: Path | None,
    only: str = "all",
) -> dict[str, Any]:
    setup_django(db_url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from balie.accounts.models import User
    from balie.contact_moments.queries import timeline_for
    from balie.parties.queries import get_party_for, search_parties

    rng = random.Random(seed)
    user = User.objects.get(username="onthaal1")
    login = Client()
    login.force_login(user)
    client = WsgiClient(f"{settings.SESSION_COOKIE_NAME}={login.cookies[settings.SESSION_COOKIE_NAME].value}")

    party_sample = sample_parties(parties, rng)
    search_sample = sample_searches(searches, rng)
    requests: list[tuple[str, str, str, str]] = []  # (group, row label, path, query)
    for p in party_sample:
        requests.append(("360° view", "360° view", f"/klanten/{p['uuid']}", ""))
    for kind, texts in search_sample.items():
        for q in texts:
            requests.append(("search", f"search: {kind}", "/zoeken", urlencode({"q": q})))
    rng.shuffle(requests)

    counter = QueryCounter()
    timings: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def timed(label: str, path: str, query: str) -> None:
        counter.count = 0
        start = time.perf_counter_ns()
        status, _ = client.get(path, query)
        elapsed = (time.perf_counter_ns() - start) / 1e6
        timings[label].append(elapsed)
        queries[label].append(counter.count)
        statuses[label][status] += 1

    wall = 0.0
    if only == "functions":
        requests = []
    print(f"warming up ({min(warmup, len(requests))} requests) …", flush=True)
    with connection.execute_wrapper(counter):
        for _, _, path, query in requests[:warmup]:
            client.get(path, query)
            client.get("/bench/bare")
        timings.clear()
        queries.clear()
        statuses.clear()
        print(f"measuring {len(requests)} requests, each followed by the bare view …", flush=True)
        started = time.perf_counter()
        for i, (group, label, path, query) in enumerate(requests, start=1):
            timed(label, path, query)
            if group != label:
                timings[group].append(timings[label][-1])
                queries[group].append(queries[label][-1])
            timed("bare Django view (baseline)", "/bench/bare", "")
            if i % 500 == 0:
                print(f"  {i}/{len(requests)}", flush=True)
        wall = time.perf_counter() - started

    # The query functions alone: database plus ORM, no middleware, no template.
    direct: dict[str, list[float]] = defaultdict(list)
    direct_queries: dict[str, list[int]] = defaultdict(list)

    def direct_timed(label: str, fn: Callable[[], Any]) -> Any:
        counter.count = 0
        start = time.perf_counter_ns()
        result = fn()
        direct[label].append((time.perf_counter_ns() - start) / 1e6)
        direct_queries[label].append(counter.count)
        return result

    calls: list[tuple[str, Any]] = [("party", p) for p in party_sample] + [
        (kind, q) for kind, qs in search_sample.items() for q in qs
    ]
    if only == "pages":
        calls = []
    rng.shuffle(calls)
    user = User.objects.select_related("department").get(pk=user.pk)
    with connection.execute_wrapper(counter):
        for kind, arg in calls:
            if kind == "party":
                party = direct_timed("get_party_for", partial(get_party_for, user, arg["uuid"]))
                direct_timed("timeline_for (21 entries)", partial(timeline_for, user, party, limit=21))
            else:
                direct_timed(f"search_parties: {kind}", partial(search_parties, user, arg))

    breakdown = measure_breakdown(client, requests[: min(len(requests), 1000)]) if only != "functions" else {}

    report = build_report(
        db_url=db_url,
        timings=timings,
        queries=queries,
        statuses=statuses,
        direct=direct,
        direct_queries=direct_queries,
        party_sample=party_sample,
        wall=wall,
        breakdown=breakdown,
    )
    print(report["markdown"])
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report["markdown"])
        print(
            f"written to {output.relative_to(PROJECT_DIR) if output.is_relative_to(PROJECT_DIR) else output}"
        )
    return report


def measure_breakdown(
    client: WsgiClient, requests: list[tuple[str, str, str, str]]
) -> dict[str, dict[str, list[float]]]:
    """Time SQL and template rendering inside each request: what the page costs besides the query
    functions. Instrumented, so run apart from the timed pass."""
    from django.db import connection
    from django.template.backends import django as backend

    state = {"sql": 0.0, "sql_in_template": 0.0, "template": 0.0, "depth": 0}

    def sql_timer(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            state["sql_in_template" if state["depth"] else "sql"] += time.perf_counter() - start

    original = backend.Template.render

    def timed_render(self: Any, *args: Any, **kwargs: Any) -> Any:
        state["depth"] += 1
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            state["depth"] -= 1
            if not state["depth"]:
                state["template"] += time.perf_counter() - start

    result: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    backend.Template.render = timed_render  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(sql_timer):
            for _, label, path, query in requests:
                state.update(sql=0.0, sql_in_template=0.0, template=0.0, depth=0)
                start = time.perf_counter()
                client.get(path, query)
                whole = time.perf_counter() - start
                parts = {
                    "whole": whole,
                    "SQL in the view": state["sql"],
                    "template (without its SQL)": state["template"] - state["sql_in_template"],
                    "SQL in the template": state["sql_in_template"],
                    "the rest": whole - state["template"] - state["sql"],
                }
                for name, seconds in parts.items():
                    result[label][name].append(seconds * 1000)
    finally:
        backend.Template.render = original  # type: ignore[method-assign]
    return result


def environment(db_url: str) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT value FROM bench.meta WHERE key = 'load'")
        row = cur.fetchone()
        meta = row[0] if row else {}
        if isinstance(meta, str):
            meta = json.loads(meta)
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        shared_buffers = cur.fetchone()[0]
        cur.execute("SELECT pg_database_size(current_database())")
        size = cur.fetchone()[0]
    commit = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    return {
        "meta": meta,
        "postgres": version,
        "shared_buffers": shared_buffers,
        "db_size": size,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def build_report(
    *,
    db_url: str,
    timings: dict[str, list[float]],
    queries: dict[str, list[int]],
    statuses: dict[str, dict[int, int]],
    direct: dict[str, list[float]],
    direct_queries: dict[str, list[int]],
    party_sample: list[dict[str, Any]],
    wall: float,
    breakdown: dict[str, dict[str, list[float]]],
) -> dict[str, Any]:
    env = environment(db_url)
    meta = env["meta"]
    base = summary(timings.get("bare Django view (baseline)") or [float("nan")])
    lines = [
        f"# Balie benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"- data: {meta.get('counts', {}).get('parties_party', '?'):,} persons, "
        f"{meta.get('counts', {}).get('contact_moments_contactmoment', '?'):,} contact moments, "
        f"{meta.get('counts', {}).get('parties_address', '?'):,} addresses, "
        f"{meta.get('counts', {}).get('parties_contactpoint', '?'):,} contact points, "
        f"{meta.get('counts', {}).get('contact_moments_internaltask', '?'):,} internal tasks; "
        f"database {env['db_size'] / 2**30:.1f} GB",
        f"- machine: {env['cpus']} CPUs, PostgreSQL {env['postgres']} "
        f"(shared_buffers {env['shared_buffers']}), Python {env['python']}, commit {env['commit']}",
        "- every request through the real WSGI handler, middleware and session, logged in as a "
        "front-desk employee; each one followed by a request to the bare view (interleaved)",
        f"- 360° view sample: {len(party_sample)} parties, half uniform, half weighted by contacts; "
        f"contacts per sampled party p50 {percentile([p['contacts'] for p in party_sample], 50):.0f}, "
        f"p95 {percentile([p['contacts'] for p in party_sample], 95):.0f}, "
        f"max {max(p['contacts'] for p in party_sample)}",
        f"- measuring took {wall:.0f} s; load average (1 min) before {LOAD_BEFORE:.1f}, "
        f"after {os.getloadavg()[0]:.1f} (other work on this machine adds noise: compare the ratios)",
    ]
    if meta.get("phases"):
        lines += ["", "## Load", "", "| phase | seconds |", "| --- | ---: |"]
        phases = meta["phases"].items() if isinstance(meta["phases"], dict) else meta["phases"]
        lines += [f"| {name} | {seconds:.1f} |" for name, seconds in phases]
        lines += [f"| **total** | **{meta['total_seconds']:.1f}** ({meta['total_seconds'] / 60:.1f} min) |"]

    lines += [
        "",
        "## Pages (ms, whole request)",
        "",
        "| request | n | p50 | p95 | p99 | max | p50 ÷ bare | p95 ÷ bare | queries | status | target p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    order = ["bare Django view (baseline)", "360° view", "search"] + [f"search: {k}" for k in SEARCH_KINDS]
    for label in order:
        values = timings.get(label, [])
        if not values:
            continue
        s = summary(values)
        q = queries[label]
        q_text = f"{min(q)}" if min(q) == max(q) else f"{min(q)}–{max(q)} (avg {statistics.mean(q):.1f})"
        status = (
            ", ".join(f"{k}×{v}" for k, v in sorted(statuses[label].items())) if label in statuses else ""
        )
        group = "360° view" if label == "360° view" else "search" if label.startswith("search") else ""
        target = ""
        if group:
            limit = TARGETS_MS[group]
            target = f"< {limit:.0f}: {'✅' if s['p95'] < limit else '❌'}"
        name = f"**{label}**" if label in ("360° view", "search") else label
        lines.append(
            f"| {name} | {s['n']} | {s['p50']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} | {s['max']:.1f} "
            f"| {s['p50'] / base['p50']:.0f}× | {s['p95'] / base['p95']:.0f}× "
            f"| {q_text} | {status} | {target} |"
        )
    lines += [
        "",
        "## Query functions alone (ms: database + ORM, no middleware, no template)",
        "",
        "| function | n | p50 | p95 | p99 | max | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    direct_order = ["get_party_for", "timeline_for (21 entries)"] + [
        f"search_parties: {k}" for k in SEARCH_KINDS
    ]
    for label in direct_order:
        values = direct.get(label) or []
        if not values:
            continue
        s = summary(values)
        q = direct_queries[label]
        q_text = f"{min(q)}" if min(q) == max(q) else f"{min(q)}–{max(q)}"
        lines.append(
            f"| {label} | {s['n']} | {s['p50']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} "
            f"| {s['max']:.1f} | {q_text} |"
        )
    if breakdown:
        parts = ["SQL in the view", "template (without its SQL)", "SQL in the template", "the rest"]
        lines += [
            "",
            "## Where a page's time goes (ms, p50 of each part; a separate pass, instrumented)",
            "",
            "| request | n | whole | " + " | ".join(parts) + " |",
            "| --- | ---: | ---: | " + " | ".join("---:" for _ in parts) + " |",
        ]
        for label in ["360° view"] + [f"search: {k}" for k in SEARCH_KINDS]:
            if label in breakdown:
                b = breakdown[label]
                cells = " | ".join(f"{percentile(b[part], 50):.2f}" for part in parts)
                lines.append(f"| {label} | {len(b['whole'])} | {percentile(b['whole'], 50):.2f} | {cells} |")
    lines.append("")
    return {"markdown": "\n".join(lines), "baseline": base}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="the loaded database [%(default)s]")
    parser.add_argument("--parties", type=int, default=500, help="360° views to open [%(default)s]")
    parser.add_argument("--searches", type=int, default=500, help="queries of each kind [%(default)s]")
    parser.add_argument("--warmup", type=int, default=200, help="requests before measuring [%(default)s]")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH_DIR / "results" / f"{time.strftime('%Y-%m-%d')}.md",
        help="where the markdown table goes [%(default)s]",
    )
    parser.add_argument("--no-output", action="store_true", help="print only")
    parser.add_argument(
        "--only", choices=["all", "pages", "functions"], default="all",
        help="pages through the whole stack, the query functions alone, or both [%(default)s]",
    )  # fmt: skip
    args = parser.parse_args(argv)
    run(
        db_url=args.db_url,
        parties=args.parties,
        searches=args.searches,
        warmup=args.warmup,
        seed=args.seed,
        output=None if args.no_output else args.output,
        only=args.only,
    )


if __name__ == "__main__":
    main()
