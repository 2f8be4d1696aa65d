"""`balie export_openapi > openapi.json`: regenerate the committed OpenAPI document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from balie.api.openapi import render_openapi


class Command(BaseCommand):
    help = "Print Balie's OpenAPI document (commit it as openapi.json at the repository root)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Write to this file instead of standard output.")

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        document = render_openapi()
        if output is None:
            self.stdout.write(document, ending="")
        else:
            output.write_text(document, encoding="utf-8")
