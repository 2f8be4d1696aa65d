"""The e-loket's public pages and the public availability calendar under 50 concurrent users.

    uv run python bench/portal.py                     # load (once) + measure, 50 clients
    uv run python bench/portal.py --clients 50 --seconds 60 --fresh

A real server (`balie serve`: gunicorn, the production settings but plain http, on a loopback
port) over its own PostgreSQL database, `balie_bench_portal`, which holds the rooms and bookings of
bench/reservations.py's loader (100 rooms, 200,000 bookings by default: about two years of three
blocks a day in every room, today included). `clients` threads, each a citizen's phone that opens
one page after the other, on each kind of page in turn in alternating slices, so that the machine's
drift falls on all of them alike:

- the bare Django view (the baseline: a view that returns "ok" through the same server and
  middleware),
- the e-loket's home page, its sign-in page, its list of rooms to book, the form of an e-service
  (when one is published),
- a random room's public availability (two weeks, busy periods only) and its iCal feed.

Every answer must be a 200; anything else is counted and printed. Per kind: requests per second,
p50, p95 and p99, and the ratio of its p95 and throughput to the bare view's. At the default size
the results are appended to bench/results/<date>-portal.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

DEFAULT_DB_URL = "postgres://postgres:postgres@127.0.0.1:5432/balie_bench_portal"
ROOMS = 100
BOOKINGS = 200_000


def prepare(db_url: str, *, fresh: bool, rooms: int, bookings: int) -> dict[str, Any]:
    import reservations as loader  # bench/reservations.py

    loader.ensure_database(db_url)
    if fresh:
        import psycopg

        name = db_url.rsplit("/", 1)[1]
        with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("BALIE_DATA_DIR", tempfile.gettempdir() + "/balie-bench-portal")
    Path(os.environ["BALIE_DATA_DIR"], "static").mkdir(parents=True, exist_ok=True)
    from measure import setup_django

    setup_django(db_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from balie.reservations.models import Room

    if not Room.objects.filter(code__startswith="bench-").exists():
        print(f"loading {rooms} rooms and {bookings:,} bookings …", flush=True)
        seconds = loader.load(bookings=bookings, rooms=rooms)
        print(f"  loaded in {seconds:.0f} s", flush=True)
    from balie.cases.queries import e_services

    room_ids = [str(u) for u in Room.objects.filter(code__startswith="bench-").values_list("uuid", flat=True)]
    services = [version.case_type.code for version in e_services()]
    return {"rooms": room_ids, "e_services": services}


def measure(
    db_url: str, samples: dict[str, Any], *, clients: int, seconds: float, workers: int | None
) -> dict:
    from django.db import connection
    from measure_api import Server, under_load

    rooms = samples["rooms"]
    kinds: dict[str, Any] = {
        "bare Django view (baseline)": lambda rng, i: ("GET", "/bench/bare", b""),
        "e-loket home": lambda rng, i: ("GET", "/e-loket/", b""),
        "e-loket sign-in page": lambda rng, i: ("GET", "/e-loket/aanmelden", b""),
        "e-loket rooms to book": lambda rng, i: ("GET", "/e-loket/zalen", b""),
        "room availability (2 weeks)": lambda rng, i: (
            "GET",
            f"/zalen/{rng.choice(rooms)}/beschikbaarheid",
            b"",
        ),
        "room availability (iCal)": lambda rng, i: (
            "GET",
            f"/zalen/{rng.choice(rooms)}/beschikbaarheid.ics",
            b"",
        ),
    }
    if samples["e_services"]:
        code = samples["e_services"][0]
        kinds["e-service form"] = lambda rng, i: ("GET", f"/e-loket/aanvragen/{code}", b"")
    connection.close()
    log = Path(tempfile.mkdtemp(prefix="balie-bench-portal-")) / "server.log"
    print(f"starting the server (log: {log}) …", flush=True)
    server = Server(db_url, workers, log)
    try:
        print(f"  {' '.join(server.command)} (pid {server.process.pid})", flush=True)
        under_load(
            port=server.port, token="", kinds=kinds, clients=clients, seconds=len(kinds) * 2, slices=1, seed=1
        )
        print(f"{clients} clients, {seconds:.0f} s per kind, in 4 alternating slices …", flush=True)
        results = under_load(
            port=server.port, token="", kinds=kinds, clients=clients, seconds=seconds, slices=4, seed=2
        )
    finally:
        server.stop()
    return {"results": results, "command": " ".join(server.command)}


def report(measured: dict[str, Any], *, clients: int, seconds: float, rooms: int, bookings: int) -> str:
    from measure import summary

    results = measured["results"]
    bare_name = next(iter(results))
    bare = results[bare_name]
    bare_rps = len(bare["latencies"]) / bare["seconds"]
    bare_p95 = summary(bare["latencies"])["p95"]
    load = os.getloadavg()
    lines = [
        f"## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC — {clients} concurrent clients, "
        f"{seconds:.0f} s per kind",
        "",
        f"Server: `{measured['command']}` over PostgreSQL with {rooms} rooms and {bookings:,} bookings. "
        f"Load average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (2 cores; clients and "
        "server share them).",
        "",
        "| page | requests | req/s | p50 ms | p95 ms | p99 ms | non-200 | p95 / bare | bare req/s / req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        s = summary(r["latencies"])
        rps = len(r["latencies"]) / r["seconds"]
        bad = sum(n for status, n in r["statuses"].items() if status != 200)
        lines.append(
            f"| {name} | {s['n']:,} | {rps:.0f} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {bad} | "
            f"{s['p95'] / bare_p95:.1f}× | {bare_rps / rps:.1f}× |"
        )
    errors = [e for r in results.values() for e in r["errors"]]
    if errors:
        lines += ["", f"First errors ({len(errors)} in all):", ""] + [f"- `{e}`" for e in errors[:5]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=os.environ.get("BENCH_PORTAL_DATABASE_URL", DEFAULT_DB_URL))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=40.0, help="per kind of page, over 4 slices")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: balie serve's own)")
    parser.add_argument("--rooms", type=int, default=ROOMS)
    parser.add_argument("--bookings", type=int, default=BOOKINGS)
    parser.add_argument("--fresh", action="store_true", help="drop and reload the database")
    args = parser.parse_args()
    name = args.db_url.rsplit("/", 1)[1]
    if name in ("postgres", "balie_dev"):
        raise SystemExit("refusing to use that database")
    samples = prepare(args.db_url, fresh=args.fresh, rooms=args.rooms, bookings=args.bookings)
    measured = measure(args.db_url, samples, clients=args.clients, seconds=args.seconds, workers=args.workers)
    text = report(
        measured, clients=args.clients, seconds=args.seconds, rooms=args.rooms, bookings=args.bookings
    )
    print()
    print(text)
    if args.rooms == ROOMS and args.bookings == BOOKINGS and args.clients == 50:
        out = BENCH_DIR / "results" / f"{dt.date.today():%Y-%m-%d}-portal.md"
        if not out.exists():
            out.write_text("# The e-loket under load (bench/portal.py)\n\n")
        with out.open("a") as f:
            f.write("\n" + text)
        print(f"appended to {out}")


if __name__ == "__main__":
    main()
