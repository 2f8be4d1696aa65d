"""Room reservation at size: 500,000 bookings on PostgreSQL.

    uv run python bench/reservations.py                 # load (once) + measure
    uv run python bench/reservations.py --fresh         # reload
    uv run python bench/reservations.py --bookings 50000 --rooms 250   # a quick check (not written)

Loads 250 rooms and 500,000 bookings (each with its occupancy row, buffers included, under the
exclusion constraint) into its own database, `balie_bench_reservations`, then measures:

- availability: the busy periods of 200 rooms over 30 days (`reservations.availability.room_spans`,
  the query the planning board and the public calendar use; the week summary of migration 0004),
  at a random start, against a bare `SELECT 1` round trip on the same connection, interleaved, so
  that the machine's noise falls on both; p50/p95 and the ratio;
- booking throughput: `reservations.actions.request_booking` (rules, occupancy under the
  exclusion constraint, gap-free number, frozen price, history, audit), one after the other and from
  4 processes at once, against a bare one-row INSERT transaction.

At full size the figures go to bench/results/<date>-reservations.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = "postgres://postgres:postgres@127.0.0.1:5432/balie_bench_reservations"
BASE = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)  # a Monday; bookings fill about two years from here
SLOTS = [(8, 11), (13, 16), (18, 21)]  # UTC hours: three blocks a day per room


def setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("BALIE_DATA_DIR", tempfile.gettempdir() + "/balie-bench-reservations")
    Path(os.environ["BALIE_DATA_DIR"], "static").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.conf.settings")
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    # set up as a web worker is (`balie serve`): settings, URLs and views loaded, and what was
    # loaded frozen out of the garbage collector's sight
    import balie.conf.wsgi  # noqa: F401


def ensure_database(db_url: str) -> None:
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    if name in ("postgres", "balie_dev"):
        raise SystemExit("refusing to use that database")
    with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def load(*, bookings: int, rooms: int) -> float:
    """Bulk load in SQL (generate_series): what the application would have made, minus the audit."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from balie.parties.models import Party, PartyKind
    from balie.reservations.models import Building, CustomerCategory, OpeningHours, Room, RoomLayout

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    with transaction.atomic():
        building = Building.objects.create(
            name="Bench", street="Straat", house_number="1", postcode="2645", municipality="Zonnedaal"
        )
        category = CustomerCategory.objects.create(code="bench", name="Bench", horizon_days=3650)
        party = Party.objects.create(kind=PartyKind.ASSOCIATION, name="Bench vzw")
        room_objs = Room.objects.bulk_create(
            [
                Room(
                    building=building,
                    code=f"bench-{n}",
                    name=f"Zaal {n}",
                    buffer_after=dt.timedelta(minutes=30),
                )
                for n in range(rooms)
            ]
        )
        RoomLayout.objects.bulk_create(
            [RoomLayout(room=r, layout="theatre", capacity=100) for r in room_objs]
        )
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(room=r, weekday=d, opens=dt.time(0), closes=dt.time(23, 59))
                for r in room_objs
                for d in range(7)
            ]
        )
    first_room = room_objs[0].id
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(
            """
            INSERT INTO reservations_booking (uuid, created_at, updated_at, number, room_id, party_id,
                category_id, status, starts_at, ends_at, buffer_before, buffer_after, layout, attendees,
                purpose, activity_type, total_excl_vat, total_vat, total, deposit, rules_overridden, channel,
                graph_event_id)
            SELECT gen_random_uuid(), now(), now(), 'B-' || i, %(first)s + i %% %(rooms)s, %(party)s,
                %(category)s, CASE WHEN i %% 10 = 0 THEN 'cancelled' ELSE 'confirmed' END,
                %(base)s + (k / 3) * interval '1 day' + (ARRAY[8, 13, 18])[k %% 3 + 1] * interval '1 hour',
                %(base)s + (k / 3) * interval '1 day' + (ARRAY[11, 16, 21])[k %% 3 + 1] * interval '1 hour',
                interval '0', interval '30 minutes', '', 20, 'Bench', '', 100, 21, 121, 0, false, 'web',
                ''
            FROM generate_series(0, %(n)s - 1) AS i, LATERAL (SELECT i / %(rooms)s AS k) AS slot
            """,
            {
                "first": first_room,
                "rooms": rooms,
                "party": party.id,
                "category": category.id,
                "base": BASE,
                "n": bookings,
            },
        )
        cursor.execute(
            """
            INSERT INTO reservations_occupancy (unit_id, booking_id, starts_at, ends_at, live)
            SELECT room_id, id, starts_at - buffer_before, ends_at + buffer_after, status <> 'cancelled'
            FROM reservations_booking WHERE number LIKE 'B-%%'
            """
        )
        cursor.execute("ANALYZE reservations_booking; ANALYZE reservations_occupancy;")
    return time.monotonic() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _former_spans(
    unit_list: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[int, int]]]:
    """Availability as it was before the covering indexes (a bitmap scan of the exclusion
    constraint's GiST index, numeric `extract`, ORDER BY): the in-run baseline for the new query."""
    from django.db import connection

    result: dict[int, list[tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, extract(epoch FROM starts_at)::bigint, extract(epoch FROM ends_at)::bigint "
            "FROM reservations_occupancy WHERE live AND unit_id = ANY(%s) "
            "AND tstzrange(starts_at, ends_at, '[)') && tstzrange(%s, %s, '[)') ORDER BY unit_id, starts_at",
            [unit_list, start, end],
        )
        for unit, s, e in cursor.fetchall():
            result.setdefault(unit, []).append((s, e))
    return result


def measure_availability(*, rounds: int, rooms: int) -> dict[str, Any]:
    from django.db import connection

    from balie.reservations.availability import busy_rooms, room_spans
    from balie.reservations.models import Room

    room_list = list(Room.objects.filter(code__startswith="bench-").order_by("id")[:rooms])
    rng = random.Random(8)
    timings: list[float] = []
    former: list[float] = []
    as_datetimes: list[float] = []
    bare: list[float] = []
    intervals = 0
    for _ in range(rounds):
        start = BASE + dt.timedelta(days=rng.randrange(0, 600))
        t0 = time.perf_counter()
        busy = room_spans(room_list, start, start + dt.timedelta(days=30))
        timings.append((time.perf_counter() - t0) * 1000)
        intervals = sum(len(v) for v in busy.values())
        t0 = time.perf_counter()
        before = _former_spans([r.id for r in room_list], start, start + dt.timedelta(days=30))
        former.append((time.perf_counter() - t0) * 1000)
        assert before == {k: v for k, v in busy.items() if v}, "the former query disagrees"
        t0 = time.perf_counter()
        busy_rooms(room_list, start, start + dt.timedelta(days=30))
        as_datetimes.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        bare.append((time.perf_counter() - t0) * 1000)
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 95),
        "former_p50": statistics.median(former),
        "former_p95": percentile(former, 95),
        "dt_p50": statistics.median(as_datetimes),
        "dt_p95": percentile(as_datetimes, 95),
        "bare_p50": statistics.median(bare),
        "bare_p95": percentile(bare, 95),
        "intervals": intervals,
        "rooms": len(room_list),
    }


def _book_many(args: tuple[str, int, int, float]) -> tuple[int, int, float]:
    """One process: book free slots (far beyond the loaded ones) for `seconds`; (booked, refused, s)."""
    db_url, worker, limit, seconds = args
    setup(db_url)
    from django.core.exceptions import ValidationError

    from balie.accounts.models import User
    from balie.parties.models import Party
    from balie.reservations.actions import request_booking
    from balie.reservations.models import CustomerCategory, Room

    by = User.objects.get(username="bench-zalen")
    party = Party.objects.get(name="Bench vzw")
    category = CustomerCategory.objects.get(code="bench")
    rooms = list(Room.objects.filter(code__startswith="bench-").order_by("id"))
    booked = refused = 0
    start_at = BASE + dt.timedelta(days=900 + worker * 200)
    now = BASE
    t0 = time.perf_counter()
    n = 0
    while n < limit and time.perf_counter() - t0 < seconds:
        day, rest = divmod(n, len(rooms) * 3)
        room = rooms[rest % len(rooms)]
        hours = SLOTS[rest // len(rooms)]
        starts = start_at + dt.timedelta(days=day, hours=hours[0])
        try:
            request_booking(
                room=room,
                party=party,
                category=category,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                purpose="Bench",
                by=by,
                now=now,
            )
            booked += 1
        except ValidationError:
            refused += 1
        n += 1
    return booked, refused, time.perf_counter() - t0


def _bare_many(args: tuple[str, int, float]) -> tuple[int, float]:
    db_url, limit, seconds = args
    setup(db_url)
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, x int)")
    t0 = time.perf_counter()
    n = 0
    while n < limit and time.perf_counter() - t0 < seconds:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_bare (x) VALUES (%s)", [n])
        n += 1
    return n, time.perf_counter() - t0


def measure_throughput(db_url: str, *, sequential: int, processes: int, seconds: float) -> dict[str, Any]:
    from balie.accounts.models import User
    from balie.reservations.models import Booking

    User.objects.get_or_create(username="bench-zalen", defaults={"first_name": "Bench", "last_name": "Zalen"})
    # the bookings an earlier run made (beyond the loaded ones) go, so that every run books free slots
    Booking.objects.filter(number__startswith="ZR-").delete()
    booked, refused, elapsed = _book_many((db_url, 0, sequential, 3600))
    bare_n, bare_elapsed = _bare_many((db_url, sequential, 3600))
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        parallel = pool.map(_book_many, [(db_url, w + 1, 10**9, seconds) for w in range(processes)])
    with context.Pool(processes) as pool:
        parallel_bare = pool.map(_bare_many, [(db_url, 10**9, seconds) for _ in range(processes)])
    return {
        "seq_per_s": booked / elapsed,
        "seq_ms": elapsed / max(1, booked + refused) * 1000,
        "seq_refused": refused,
        "bare_seq_per_s": bare_n / bare_elapsed,
        "par_per_s": sum(b for b, _r, _s in parallel) / max(s for _b, _r, s in parallel),
        "par_refused": sum(r for _b, r, _s in parallel),
        "bare_par_per_s": sum(n for n, _s in parallel_bare) / max(s for _n, s in parallel_bare),
        "processes": processes,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=os.environ.get("BENCH_RESERVATIONS_DATABASE_URL", DEFAULT_DB_URL))
    parser.add_argument("--bookings", type=int, default=500_000)
    parser.add_argument("--rooms", type=int, default=250)
    parser.add_argument("--query-rooms", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--sequential", type=int, default=300)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    ensure_database(args.db_url)
    setup(args.db_url)
    from django.core.management import call_command
    from django.db import connection

    from balie.reservations.models import Booking

    call_command("migrate", verbosity=0)  # new migrations since the load; the data stays
    load_seconds = None
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('reservations_booking')")
        exists = cursor.fetchone()[0] is not None
    loaded = exists and Booking.objects.filter(number__startswith="B-").count() == args.bookings
    if args.fresh or not loaded:
        if exists:
            call_command("flush", interactive=False, verbosity=0)
        load_seconds = load(bookings=args.bookings, rooms=args.rooms)
        print(f"loaded {args.bookings} bookings on {args.rooms} rooms in {load_seconds:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT count(*) FROM reservations_occupancy")
        occupancies = cursor.fetchone()[0]
        # what autovacuum does on a settled table: the visibility map lets availability's covering
        # indexes answer without reading the table (index-only scan); cheap when nothing changed
        cursor.execute("VACUUM (ANALYZE) reservations_occupancy")
        # the week summary's rows are rewritten by every booking of their week: a load leaves
        # many dead versions behind, which autovacuum clears on a live system
        cursor.execute("VACUUM (ANALYZE) reservations_occupancy_week")
        load_avg = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    # warm up, then measure
    measure_availability(rounds=20, rooms=args.query_rooms)
    availability = measure_availability(rounds=args.rounds, rooms=args.query_rooms)
    throughput = measure_throughput(
        args.db_url, sequential=args.sequential, processes=args.processes, seconds=args.seconds
    )
    a, t = availability, throughput
    lines = [
        f"# Room reservation at {args.bookings:,} bookings — {dt.date.today():%Y-%m-%d}",
        "",
        f"`uv run python bench/reservations.py {' '.join(sys.argv[1:])}`".replace(" `", "`")
        + f" on {version}, {os.cpu_count()} cores, shared. Load average (1/5/15 min) at the start: "
        f"{load_avg}; at the end: {' / '.join(f'{v:.2f}' for v in os.getloadavg())}.",
        f"{args.rooms} rooms, {args.bookings:,} bookings (10% cancelled), {occupancies:,} occupancy rows "
        "under the exclusion constraint." + (f" Load: {load_seconds:.0f} s." if load_seconds else ""),
        "",
        "| measure | Balie | bare baseline | ratio |",
        "| --- | --- | --- | --- |",
        f"| availability of {a['rooms']} rooms over 30 days, p50 | {a['p50']:.1f} ms | "
        f"{a['bare_p50']:.2f} ms (`SELECT 1`) | {a['p50'] / a['bare_p50']:.0f}× |",
        f"| availability of {a['rooms']} rooms over 30 days, p95 (target < 20 ms) | "
        f"**{a['p95']:.1f} ms** | {a['bare_p95']:.2f} ms | {a['p95'] / a['bare_p95']:.0f}× |",
        f"| the former query (GiST bitmap scan, before the covering indexes), p50 / p95 | "
        f"{a['former_p50']:.1f} / {a['former_p95']:.1f} ms | "
        f"{a['p50']:.1f} / {a['p95']:.1f} ms (the new one) | "
        f"{a['former_p50'] / a['p50']:.1f}× / {a['former_p95'] / a['p95']:.1f}× faster now |",
        f"| the same as aware datetimes (`busy_rooms`), p50 / p95 | "
        f"{a['dt_p50']:.1f} / {a['dt_p95']:.1f} ms | "
        f"{a['bare_p50']:.2f} / {a['bare_p95']:.2f} ms | {a['dt_p95'] / a['bare_p95']:.0f}× (p95) |",
        f"| booking throughput, one after the other | {t['seq_per_s']:.0f}/s ({t['seq_ms']:.1f} ms each) | "
        f"{t['bare_seq_per_s']:.0f}/s (one-row INSERT transaction) | "
        f"{t['bare_seq_per_s'] / t['seq_per_s']:.1f}× slower |",
        f"| booking throughput, {t['processes']} processes for {t['seconds']:.0f} s | "
        f"{t['par_per_s']:.0f}/s | {t['bare_par_per_s']:.0f}/s | "
        f"{t['bare_par_per_s'] / t['par_per_s']:.1f}× slower |",
        "",
        "Availability is `reservations.availability.room_spans` (epoch seconds; the query the planning "
        "board, the public calendar and the feeds share), read from the per-unit week summary a trigger "
        "keeps (migration 0004), in a process set up as a web worker (`balie.conf.wsgi`). "
        f"{a['intervals']:,} busy periods returned by the last call; {args.rounds} calls at "
        "random 30-day windows. Throughput: every booking passes the rules, writes its occupancy under the "
        "exclusion constraint, takes a gap-free number, freezes its price and writes history and audit; "
        f"refused: {t['seq_refused']} sequential, {t['par_refused']} in parallel.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.bookings == 500_000:
        out = PROJECT_DIR / "bench" / "results" / f"{dt.date.today():%Y-%m-%d}-reservations.md"
        # a day's file gets one section per run: earlier runs stay for comparison
        earlier = out.read_text() + "\n" if out.exists() else ""
        out.write_text(earlier + report.replace("# Room", "## Room" if earlier else "# Room", 1))
        print(f"written to {out}")


if __name__ == "__main__":
    main()
