"""`balie import_kbo <zip>`: import a KBO open-data ZIP (full or update), resuming an interrupted one."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from balie.authentic_sources.kbo.importer import CHUNK_BYTES, KboImportError, import_kbo


class ProgressBar:
    """One line on a terminal, redrawn in place: phase, file, a bar, megabytes, speed, elapsed. Off a
    terminal it writes a line per file."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.file = ""

    def __call__(self, phase: str, file: str, done: int, total: int) -> None:
        now = time.monotonic()
        elapsed = now - self.started
        if phase == "index":
            text = f"indexen bouwen: nog {total} te gaan  {elapsed:6.0f} s"
        else:
            share = done / total if total else 1.0
            filled = int(share * self.WIDTH)
            bar = "█" * filled + "·" * (self.WIDTH - filled)
            text = f"{file:<24} {bar} {share:6.1%} {done / 1e6:8.1f}/{total / 1e6:.1f} MB  {elapsed:6.0f} s"
        if self.tty:
            if now - self.last_draw >= 0.2 or phase != "load" or done >= total:
                self.stream.write("\r" + text[:120].ljust(120))
                self.stream.flush()
                self.last_draw = now
        elif phase == "load" and done >= total and file != self.file:
            self.file = file
            self.stream.write(text + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import a KBO open-data ZIP (KboOpenData_…_Full.zip or …_Update.zip). Run it again after an "
        "interruption or a fixed error: it continues where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("zip", help="The ZIP file as downloaded from the KBO.")
        parser.add_argument(
            "--chunk-mb", type=int, default=CHUNK_BYTES >> 20, help="MB of a file per commit [%(default)s]."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        bar = None if options["no_progress"] else ProgressBar(sys.stderr)
        started = time.monotonic()
        try:
            record = import_kbo(options["zip"], chunk_bytes=options["chunk_mb"] << 20, progress=bar)
        except KboImportError as error:
            raise CommandError(str(error)) from None
        finally:
            if bar:
                bar.close()
        lines = sum(f.lines_done for f in record.files.all())
        self.stdout.write(
            f"{record.file_name}: {record.get_kind_display()} extract {record.extract_number} "
            f"({record.snapshot_date:%d-%m-%Y}), {lines:,} regels in {time.monotonic() - started:.1f} s"
            f"{f' (gestart {record.runs}×)' if record.runs > 1 else ''}."
        )
