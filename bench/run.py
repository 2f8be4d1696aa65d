"""Load the benchmark data set (unless it is there already) and measure: one command.

    uv run python bench/run.py                                   # 1M persons, 10M contacts, 1M cases
    uv run python bench/run.py --persons 100000 --contacts 1000000 --cases 100000   # a quick check
    uv run python bench/run.py --only cases                      # the case pages, API and registering
    uv run python bench/run.py --only kbo                        # the KBO open data (its own database)
    uv run python bench/run.py --only ocr                        # OCR of scanned letters (its own database)
    uv run python bench/run.py --only letters                    # 1,000 letters: LibreOffice kept running

The database (default balie_bench) is reloaded when it holds another size or with --fresh;
otherwise it is migrated (new indexes apply) and measured as it is. The cases (load_cases.py) are
added when the database holds another number of them. Results of the full size go to
bench/results/<date>.md and <date>-cases.md; a smaller run prints only, unless --output is given.
The KBO open data (kbo.py) has its own database, balie_kbo_bench, and data set, generated once;
OCR (ocr.py) and the letters (letters.py) have their own, balie_ocr_bench and balie_letters_bench,
made anew each run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR)]

from load import DEFAULT_DB_URL, migrate  # noqa: E402
from load_cases import loaded_cases  # noqa: E402

FULL = {"persons": 1_000_000, "contacts": 10_000_000}
FULL_CASES = 1_000_000


def loaded_size(url: str) -> dict[str, int] | None:
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT value FROM bench.meta WHERE key = 'load'").fetchone()
    except psycopg.Error:
        return None
    if row is None:
        return None
    meta = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    return {"persons": meta["persons"], "contacts": meta["contacts"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="the benchmark's own database [%(default)s]")
    parser.add_argument("--persons", type=int, default=FULL["persons"])
    parser.add_argument("--contacts", type=int, default=FULL["contacts"])
    parser.add_argument("--fresh", action="store_true", help="reload even if the size matches")
    parser.add_argument("--parties", type=int, default=500, help="360° views to open [%(default)s]")
    parser.add_argument("--searches", type=int, default=500, help="queries of each kind [%(default)s]")
    parser.add_argument("--cases", type=int, default=FULL_CASES, help="cases to load (0: none) [%(default)s]")
    parser.add_argument(
        "--only", choices=["all", "contacts", "cases", "kbo", "ocr", "letters"], default="all",
        help="measure the counter's pages (measure.py), the cases (measure_cases.py), the KBO open data "
             "(kbo.py), OCR (ocr.py), a mass mailing of letters (letters.py) or all [%(default)s]",
    )  # fmt: skip
    parser.add_argument(
        "--kbo-scale", choices=["full", "medium", "small"], default="full", help="[%(default)s]"
    )
    parser.add_argument("--output", help="results file (default: bench/results/<date>.md at full size)")
    args = parser.parse_args(argv)

    size = {"persons": args.persons, "contacts": args.contacts}
    python = [sys.executable]
    kbo = [*python, str(BENCH_DIR / "kbo.py"), "--scale", args.kbo_scale]
    ocr = [*python, str(BENCH_DIR / "ocr.py")]
    letters = [*python, str(BENCH_DIR / "letters.py")]
    if args.only == "kbo":
        subprocess.run(kbo, check=True)
        return
    if args.only == "ocr":
        subprocess.run(ocr, check=True)
        return
    if args.only == "letters":
        subprocess.run(letters, check=True)
        return
    if args.fresh or loaded_size(args.db_url) != size:
        subprocess.run(
            [*python, str(BENCH_DIR / "load.py"), "--db-url", args.db_url,
             "--persons", str(args.persons), "--contacts", str(args.contacts)],
            check=True,
        )  # fmt: skip
    else:
        print(f"✓ {args.db_url} holds {args.persons:,} persons and {args.contacts:,} contacts; migrating")
        migrate(args.db_url)
    if args.cases and loaded_cases(args.db_url) != args.cases:
        subprocess.run(
            [*python, str(BENCH_DIR / "load_cases.py"), "--db-url", args.db_url, "--cases", str(args.cases),
             "--fresh"],
            check=True,
        )  # fmt: skip
    if args.only in ("all", "contacts"):
        measure = [*python, str(BENCH_DIR / "measure.py"), "--db-url", args.db_url,
                   "--parties", str(args.parties), "--searches", str(args.searches)]  # fmt: skip
        if args.output:
            measure += ["--output", args.output]
        elif size != FULL:
            measure += ["--no-output"]
        subprocess.run(measure, check=True)
    if args.cases and args.only in ("all", "cases"):
        measure = [*python, str(BENCH_DIR / "measure_cases.py"), "--db-url", args.db_url]
        if size != FULL or args.cases != FULL_CASES:
            measure += ["--no-output"]
        subprocess.run(measure, check=True)
    if args.only == "all":
        subprocess.run(kbo, check=True)
        subprocess.run(ocr, check=True)
        subprocess.run(letters, check=True)


if __name__ == "__main__":
    main()
