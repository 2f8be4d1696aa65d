"""The KBO open data at full size: import time against a raw COPY of the same files, an update
applied twice, and the name search.

    uv run python bench/kbo.py                     # full scale: ~1.9M enterprises, 36.7M activities
    uv run python bench/kbo.py --scale medium      # 100,000 enterprises: a quick check (prints only)

1. The data set is generated once in the exact open-data layout (`balie generate_kbo_testdata`) and
   kept in --data-dir (default /tmp/balie-kbo-bench), with the update that follows it.
2. Its own database (default `balie_kbo_bench`, made anew and migrated each run).
3. Alternating so that the machine's noise falls on both (B I B I B, --rounds imports): the
   baseline, a raw COPY of the nine CSV files into plain tables of text columns (schema `raw`,
   `unzip -p | psql -c "COPY … FROM STDIN"`, file after file), and `import_kbo` (COPY into new
   tables, indexes, the swap). Each import is compared with the mean of the baselines around it;
   the ratio reported is the median (target 1.5×).
4. The update is applied twice; every KBO table (all columns but the surrogate ids) must be the
   same after the second time as after the first.
5. Name search: `search_kbo` for --searches queries of each kind, drawn from the data (a name's
   first word cut short, its first two words, a word from the middle, a name written without its
   accents or in capitals), then `get_kbo_enterprise` for as many enterprises: database plus ORM,
   no page. Target: search p95 < 50 ms.

Results of the full scale go to bench/results/<date>-kbo.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / "src"), str(BENCH_DIR)]

from load import create_database, migrate  # noqa: E402

DEFAULT_DB_URL = os.environ.get(
    "BENCH_KBO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/balie_kbo_bench"
)
TARGET_RATIO = 1.5
TARGET_SEARCH_P95_MS = 50.0
SEED = 2025
KINDS = ["prefix", "two words", "middle word", "no accents", "capitals"]


def log(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(ordered) - 1)
    return ordered[f] + (ordered[c] - ordered[f]) * (k - f)


# --- data -----------------------------------------------------------------------------------------


def data_files(data_dir: Path, scale: str) -> tuple[Path, Path]:
    from balie.authentic_sources.kbo.generate import EXTRACT_NUMBER, SNAPSHOT, file_name

    data_dir.mkdir(parents=True, exist_ok=True)
    full = data_dir / f"{scale}-{SEED}-{file_name('full', EXTRACT_NUMBER, SNAPSHOT)}"
    update = (
        data_dir
        / f"{scale}-{SEED}-{file_name('update', EXTRACT_NUMBER + 1, SNAPSHOT + dt.timedelta(days=1))}"
    )
    return full, update


def ensure_data(data_dir: Path, scale: str) -> tuple[Path, Path, dict[str, float]]:
    from balie.authentic_sources.kbo.generate import Dataset, write_full, write_update

    full, update = data_files(data_dir, scale)
    timings: dict[str, float] = {}
    dataset = None
    if not full.exists():
        log(f"… generating {full.name} (once; kept in {data_dir})")
        started = time.perf_counter()
        dataset = Dataset(scale, SEED)
        partial = full.with_suffix(".partial")
        write_full(partial, scale, seed=SEED, dataset=dataset)
        partial.rename(full)
        timings["generate full"] = time.perf_counter() - started
        log(f"✓ {full.name}: {full.stat().st_size / 1e6:,.0f} MB in {timings['generate full']:.0f} s")
    if not update.exists():
        started = time.perf_counter()
        partial = update.with_suffix(".partial")
        write_update(partial, scale, number=1, seed=SEED, dataset=dataset)
        partial.rename(update)
        timings["generate update"] = time.perf_counter() - started
        log(f"✓ {update.name} in {timings['generate update']:.0f} s")
    return full, update, timings


def zip_counts(path: Path) -> dict[str, int]:
    """Lines per CSV (without the header), read from the ZIP."""
    counts = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            lines = 0
            with zf.open(info) as f:
                while block := f.read(1 << 24):
                    lines += block.count(b"\n")
            counts[info.filename] = lines - 1
    return counts


# --- baseline -------------------------------------------------------------------------------------


def raw_copy(url: str, path: Path) -> dict[str, float]:
    """Every CSV of the ZIP into a plain table of text columns, the way one would by hand:
    `unzip -p <zip> <file> | psql -c "COPY raw.<file> FROM STDIN (FORMAT csv, HEADER)"`, unzip and
    the server working at once. The least a load can do."""
    timings: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as conn, zipfile.ZipFile(path) as zf:
        conn.execute("DROP SCHEMA IF EXISTS raw CASCADE")
        conn.execute("CREATE SCHEMA raw")
        for info in zf.infolist():
            with zf.open(info) as f:
                header = f.readline().decode("utf-8-sig").strip()
            columns = [c.strip('"') for c in header.split(",")]
            table = "raw." + info.filename.rsplit(".", 1)[0]
            conn.execute(f"CREATE TABLE {table} ({', '.join(f'{c} text' for c in columns)})")
            started = time.perf_counter()
            unzip = subprocess.Popen(["unzip", "-p", str(path), info.filename], stdout=subprocess.PIPE)
            subprocess.run(
                ["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                 f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)"],
                stdin=unzip.stdout, check=True,
            )  # fmt: skip
            assert unzip.stdout is not None
            unzip.stdout.close()
            if unzip.wait() != 0:
                raise SystemExit(f"unzip failed on {info.filename}")
            timings[info.filename] = time.perf_counter() - started
        conn.execute("DROP SCHEMA raw CASCADE")
    return timings


# --- checks ---------------------------------------------------------------------------------------


def checksums(url: str) -> dict[str, tuple[int, int]]:
    """Per KBO table: rows and an order-independent hash of every row's file columns."""
    from balie.authentic_sources.kbo.layout import TABLES
    from balie.authentic_sources.models import kbo

    sums = {}
    with psycopg.connect(url) as conn:
        conn.execute("SET work_mem = '256MB'")
        for table in TABLES:
            model = getattr(kbo, table.model)
            columns = ", ".join(f"{c.field}::text" for c in table.columns)
            row = conn.execute(
                f"SELECT count(*), coalesce(sum(hashtextextended(concat_ws('|', {columns}), 0)), 0)"
                f" FROM {model._meta.db_table}"
            ).fetchone()
            assert row is not None
            sums[table.name] = (int(row[0]), int(row[1]))
    return sums


# --- search ---------------------------------------------------------------------------------------


def sample_queries(url: str, count: int, rng: random.Random) -> dict[str, list[str]]:
    from balie.authentic_sources.kbo.layout import fold, words

    with psycopg.connect(url) as conn:
        total = conn.execute("SELECT count(*) FROM authentic_sources_kbodenomination").fetchone()[0]
        share = min(100.0, 100.0 * count * 12 / max(total, 1))
        names = [
            r[0]
            for r in conn.execute(
                f"SELECT denomination FROM authentic_sources_kbodenomination TABLESAMPLE SYSTEM ({share:.4f})"
            )
        ]
        accented = [
            r[0]
            for r in conn.execute(
                "SELECT denomination FROM authentic_sources_kbodenomination"
                " WHERE search_name <> lower(denomination) LIMIT %s",
                [count * 20],
            )
        ]
    rng.shuffle(names)
    queries: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for name in names:
        parts = [w for w in name.replace(",", " ").split() if any(c.isalpha() for c in w)]
        if not parts:
            continue
        if len(queries["prefix"]) < count and len(parts[0]) >= 4:
            queries["prefix"].append(parts[0][: rng.randint(4, max(4, len(parts[0])))])
        elif len(queries["two words"]) < count and len(parts) >= 2:
            queries["two words"].append(f"{parts[0]} {parts[1][: rng.randint(2, max(2, len(parts[1])))]}")
        elif len(queries["middle word"]) < count and len(parts) >= 2 and len(parts[-1]) >= 4:
            queries["middle word"].append(parts[-1])
        elif len(queries["capitals"]) < count:
            queries["capitals"].append(" ".join(parts[:2]).upper())
    rng.shuffle(accented)
    for name in accented[:count]:
        plain = " ".join(words(fold(name)))  # what someone types without accents
        queries["no accents"].append(plain[: rng.randint(min(6, len(plain)), len(plain))])
    return queries


def timed(function: Any, arguments: list[Any]) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for argument in arguments:
        started = time.perf_counter()
        result = function(argument)
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(result) if isinstance(result, list) else int(result is not None))
    return times, sizes


def measure_search(url: str, searches: int) -> dict[str, Any]:
    from django.db import connection, reset_queries

    from balie.authentic_sources.kbo.queries import get_kbo_enterprise, search_kbo

    rng = random.Random(SEED)
    user = SimpleNamespace(is_authenticated=True, is_active=True, kind="employee", department_id=1)
    queries = sample_queries(url, searches, rng)
    # Warm up the connection and the caches a little (not measured).
    for text in queries["prefix"][:20]:
        search_kbo(user, text)
    results: dict[str, Any] = {}
    everything: list[float] = []
    for kind in KINDS:
        times, sizes = timed(lambda text: search_kbo(user, text), queries[kind])
        everything += times
        results[kind] = {"n": len(times), "times": times, "empty": sum(1 for s in sizes if s == 0),
                         "examples": queries[kind][:4]}  # fmt: skip
    results["all"] = {
        "n": len(everything),
        "times": everything,
        "empty": sum(r["empty"] for r in results.values()),
    }
    with psycopg.connect(url) as conn:
        numbers = [
            r[0]
            for r in conn.execute(
                "SELECT enterprise_number FROM authentic_sources_kboenterprise"
                " TABLESAMPLE SYSTEM (1) LIMIT %s",
                [searches],
            )
        ]
    reset_queries()
    times, sizes = timed(lambda number: get_kbo_enterprise(user, number), numbers)
    results["lookup"] = {"n": len(times), "times": times, "empty": sum(1 for s in sizes if s == 0)}
    connection.close()
    return results


def timed_baseline(url: str, path: Path, number: int) -> dict[str, float]:
    log(f"… baseline {number}: raw COPY")
    timings = raw_copy(url, path)
    log(f"✓ baseline {number}: {sum(timings.values()):.1f} s")
    return timings


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.conf.settings"
    os.environ.setdefault("BALIE_LOG_LEVEL", "WARNING")
    import logging

    import django

    django.setup()
    # The importer's index jobs that take more than a second, on stdout.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("  %(message)s"))
    importer_log = logging.getLogger("balie.authentic_sources.kbo.importer")
    importer_log.handlers = [handler]
    importer_log.setLevel(logging.INFO)
    importer_log.propagate = False


def environment(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        version = conn.execute("SELECT version()").fetchone()[0].split(" on ")[0]
        shared = conn.execute("SHOW shared_buffers").fetchone()[0]
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {"postgres": version, "shared_buffers": shared, "db_size": size, "commit": commit,
            "python": platform.python_version(), "cpus": str(os.cpu_count())}  # fmt: skip


# --- report ---------------------------------------------------------------------------------------


def stats_row(label: str, data: dict[str, Any]) -> str:
    times = data["times"]
    return (
        f"| {label} | {data['n']} | {percentile(times, 50):.2f} | {percentile(times, 95):.2f} | "
        f"{percentile(times, 99):.2f} | {max(times) if times else float('nan'):.1f} | {data['empty']} |"
    )


def ratios(run: dict[str, Any]) -> list[float]:
    """Each import against the mean of the baselines just before and after it."""
    totals = [sum(b.values()) for b in run["baselines"]]
    return [imp["seconds"] / statistics.mean(totals[i : i + 2]) for i, imp in enumerate(run["imports"])]


def report(run: dict[str, Any]) -> str:
    imports, baselines = run["imports"], run["baselines"]
    per_round = ratios(run)
    ratio = statistics.median(per_round)
    search = run["search"]
    p95 = percentile(search["all"]["times"], 95)
    lines = [
        f"# Balie KBO open data benchmark, {run['date']}",
        "",
        f"- data: the generated full set in the open-data layout, scale `{run['scale']}` "
        f"({run['zip_mb']:,.0f} MB ZIP, {run['csv_mb']:,.0f} MB of CSV): "
        + ", ".join(f"{name} {count:,}" for name, count in run["counts"].items()),
        f"- machine: {run['env']['cpus']} CPUs shared with other work, {run['env']['postgres']} "
        f"(shared_buffers {run['env']['shared_buffers']}), Python {run['env']['python']}, "
        f"commit {run['env']['commit']}; database after the run {run['env']['db_size']}",
        f"- load average (1 min) before {run['load_before']:.1f}, after {run['load_after']:.1f}",
        f"- command: `{run['command']}`",
        "",
        "## Import against a raw COPY of the same files",
        "",
        "Baseline: each CSV of the same ZIP into a plain table of text columns, no index, nothing else:",
        '`unzip -p <zip> <file> | psql -c "COPY raw.<file> FROM STDIN (FORMAT csv, HEADER)"`, one file',
        "after the other. Baselines and imports alternate (B I B I B); each import is compared",
        "with the mean of the baselines before and after it. The second import replaces the first's data,",
        "as a monthly full extract does.",
        "",
        "| file | rows | "
        + " | ".join(f"baseline {i + 1} (s)" for i in range(len(baselines)))
        + " | "
        + " | ".join(f"import {i + 1}: load (s)" for i in range(len(imports)))
        + " |",
        "| --- | ---: |" + " ---: |" * (len(baselines) + len(imports)),
    ]
    for name, count in run["counts"].items():
        if name == "meta.csv":
            continue
        lines.append(
            f"| {name} | {count:,} | "
            + " | ".join(f"{b.get(name, 0):.1f}" for b in baselines)
            + " | "
            + " | ".join(f"{imp['files'].get(name, 0):.1f}" for imp in imports)
            + " |"
        )
    lines += [
        "| **total** | | "
        + " | ".join(f"**{sum(b.values()):.1f}**" for b in baselines)
        + " | "
        + " | ".join(f"{sum(imp['files'].values()):.1f}" for imp in imports)
        + " |",
        "| **import, all of it** (opening the ZIP … the committed swap) | | "
        + " | ".join("" for _ in baselines)
        + " | "
        + " | ".join(f"**{imp['seconds']:.1f}**" for imp in imports)
        + " |",
        "",
        "An import's time is its loads (COPY; the indexes of each table are built on a second connection",
        "while the next file loads) plus what remains after the last load: the last indexes, ANALYZE and",
        "the swap.",
        "",
        "Ratio import ÷ raw COPY per round: "
        + ", ".join(
            f"{r:.2f}× (load average {imp['load']:.1f} at its start)"
            for r, imp in zip(per_round, imports, strict=True)
        )
        + ".",
        "",
        f"**Ratio import ÷ raw COPY (median): {ratio:.2f}×** (target ≤ {TARGET_RATIO}×: "
        f"{'✅' if ratio <= TARGET_RATIO else '❌'}).",
        "",
        "## Update applied twice",
        "",
        f"Update ZIP: {', '.join(f'{k} {v:,}' for k, v in run['update_counts'].items() if v)}.",
        "",
        f"- first application {run['update'][0]:.1f} s, second {run['update'][1]:.1f} s",
        "- every KBO table after the second application equals the first (rows and a hash of all file "
        "columns): "
        f"**{'yes ✅' if run['update_equal'] else 'NO ❌'}**",
        "",
        "| table | rows after the full import | after the update | after it again |",
        "| --- | ---: | ---: | ---: |",
    ]
    for table, (rows, _) in run["sums"][0].items():
        lines.append(f"| {table} | {rows:,} | {run['sums'][1][table][0]:,} | {run['sums'][2][table][0]:,} |")
    lines += search_section(search, p95)
    return "\n".join(lines)


def search_section(search: dict[str, Any], p95: float) -> list[str]:
    lines = [
        "",
        "## Name search and look-up (`search_kbo`, `get_kbo_enterprise`; ms, database + ORM)",
        "",
        "| queries | n | p50 | p95 | p99 | max | no result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        stats_row("**all searches**", search["all"]),
    ]
    for kind in KINDS:
        lines.append(
            stats_row(
                f"{kind} (e.g. {', '.join(repr(e) for e in search[kind]['examples'][:3])})", search[kind]
            )
        )
    lines += [
        stats_row("look-up by enterprise number (the 360° card's data)", search["lookup"]),
        "",
        f"**Search p95 {p95:.1f} ms** (target < {TARGET_SEARCH_P95_MS:.0f} ms: "
        f"{'✅' if p95 < TARGET_SEARCH_P95_MS else '❌'}).",
        "",
    ]
    return lines


def search_only(args: argparse.Namespace) -> None:
    """Only the name search, on the database a full run left (no import): for a quiet minute."""
    load_before = os.getloadavg()[0]
    setup_django(args.db_url)
    log("… search (on the data the last full run imported)")
    search = measure_search(args.db_url, args.searches)
    p95 = percentile(search["all"]["times"], 95)
    env = environment(args.db_url)
    text = "\n".join([
        f"# Balie KBO name search, {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- database: the full set as the last `bench/kbo.py` run imported it ({args.db_url})",
        f"- machine: {env['cpus']} CPUs shared with other work, {env['postgres']}, commit {env['commit']}",
        f"- load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}",
        f"- command: `uv run python bench/kbo.py --search-only --searches {args.searches}`",
        *search_section(search, p95),
    ])  # fmt: skip
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")
        log(f"→ {args.output}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="the benchmark's own database [%(default)s]")
    parser.add_argument("--scale", default="full", choices=["full", "medium", "small"], help="[%(default)s]")
    parser.add_argument(
        "--data-dir",
        default="/tmp/balie-kbo-bench",  # noqa: S108 - the benchmark's own cache
        help="where the ZIPs are kept [%(default)s]",
    )
    parser.add_argument("--searches", type=int, default=300, help="queries of each kind [%(default)s]")
    parser.add_argument(
        "--rounds", type=int, default=2, help="imports, each between two baselines [%(default)s]"
    )
    parser.add_argument("--output", help="results file (default: bench/results/<date>-kbo.md at full scale)")
    parser.add_argument("--no-output", action="store_true")
    parser.add_argument(
        "--search-only", action="store_true", help="only the name search, on the data already imported"
    )
    args = parser.parse_args(argv)
    if args.search_only:
        search_only(args)
        return

    load_before = os.getloadavg()[0]
    full, update, _ = ensure_data(Path(args.data_dir), args.scale)
    counts = zip_counts(full)
    with zipfile.ZipFile(full) as zf:
        csv_mb = sum(i.file_size for i in zf.infolist()) / 1e6
    log(f"… database {args.db_url}")
    create_database(args.db_url)
    migrate(args.db_url)
    setup_django(args.db_url)
    from balie.authentic_sources.kbo.importer import import_kbo

    # Baseline and import alternate (B I B I B): each import is compared with the baselines just
    # before and after it, so that a busy minute on this shared machine falls on both.
    baselines: list[dict[str, float]] = []
    imports: list[dict[str, Any]] = []
    for round_number in range(1, args.rounds + 1):
        if round_number == 1:
            baselines.append(timed_baseline(args.db_url, full, len(baselines) + 1))
        log(f"… import_kbo (full), round {round_number}")
        load = os.getloadavg()[0]
        started = time.perf_counter()
        record = import_kbo(full)
        seconds = time.perf_counter() - started
        imports.append({"seconds": seconds, "files": {f.file_name: f.seconds for f in record.files.all()},
                        "load": load})  # fmt: skip
        log(f"✓ import: {seconds:.1f} s")
        baselines.append(timed_baseline(args.db_url, full, len(baselines) + 1))

    sums = [checksums(args.db_url)]
    update_seconds = []
    for attempt in (1, 2):
        started = time.perf_counter()
        import_kbo(update)
        update_seconds.append(time.perf_counter() - started)
        sums.append(checksums(args.db_url))
        log(f"✓ update, application {attempt}: {update_seconds[-1]:.1f} s")
    equal = sums[1] == sums[2]
    log(f"{'✓' if equal else '✗'} the update applied twice equals applied once: {equal}")

    log("… search")
    search = measure_search(args.db_url, args.searches)
    p95 = percentile(search["all"]["times"], 95)
    log(f"✓ search p50 {percentile(search['all']['times'], 50):.1f} ms, p95 {p95:.1f} ms")

    run = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "scale": args.scale,
        "counts": counts,
        "zip_mb": full.stat().st_size / 1e6,
        "csv_mb": csv_mb,
        "env": environment(args.db_url),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "command": "uv run python bench/kbo.py" + (f" --scale {args.scale}" if args.scale != "full" else ""),
        "baselines": baselines,
        "imports": imports,
        "update": update_seconds,
        "update_counts": zip_counts(update),
        "sums": sums,
        "update_equal": equal,
        "search": search,
    }
    text = report(run)
    print(text)
    output = args.output or (
        None
        if args.no_output or args.scale != "full"
        else str(BENCH_DIR / "results" / f"{dt.date.today()}-kbo.md")
    )
    if output:
        Path(output).write_text(text + "\n")
        log(f"→ {output}")
    (Path(args.data_dir) / "last-run.json").write_text(
        json.dumps({k: v for k, v in run.items() if k != "search"}, default=str)
    )
    if not equal:
        raise SystemExit("the update applied twice differs from applied once")


if __name__ == "__main__":
    main()
