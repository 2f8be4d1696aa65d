"""`balie generate_kbo_testdata --scale full|small out.zip`: a fictional KBO data set in the exact
open-data layout (and, with --update N, the N-th update after it)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from balie.authentic_sources.kbo.generate import SCALES, write_full, write_update


class Command(BaseCommand):
    help = (
        "Write a fictional KBO open-data ZIP (full, or an update with --update N) for tests and benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="The ZIP to write.")
        parser.add_argument("--scale", choices=list(SCALES), default="small", help="[%(default)s]")
        parser.add_argument("--seed", type=int, default=2025, help="[%(default)s]")
        parser.add_argument(
            "--update", type=int, default=0, help="Write update N after the full set instead."
        )
        parser.add_argument(
            "--churn", type=float, default=0.004, help="Share of enterprises an update changes."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(name: str, rows: int) -> None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{name:<20} {rows:>12,} regels  {time.monotonic() - started:6.0f} s")
                sys.stderr.flush()

        if options["update"]:
            counts = write_update(
                options["out"], options["scale"], number=options["update"], seed=options["seed"],
                churn=options["churn"],
            )  # fmt: skip
        else:
            counts = write_full(options["out"], options["scale"], seed=options["seed"], progress=progress)
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        for name, count in counts.items():
            self.stdout.write(f"{name:<28} {count:>12,}")
        self.stdout.write(f"{options['out']} in {time.monotonic() - started:.1f} s")
