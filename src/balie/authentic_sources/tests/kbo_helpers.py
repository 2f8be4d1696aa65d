"""Helpers of the KBO tests: generated open-data ZIPs, broken ones, and the tables' contents."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from balie.authentic_sources.kbo.generate import write_full, write_update
from balie.authentic_sources.kbo.layout import TABLES
from balie.authentic_sources.models import kbo as kbo_models

CHURN = 0.05  # an update of the small set that touches a few dozen enterprises


def full_zip(directory: Path, *, scale: str = "small", seed: int = 2025, name: str = "") -> Path:
    path = directory / (name or f"KboOpenData_0140_2025_10_05_Full_{scale}_{seed}.zip")
    write_full(path, scale, seed=seed)
    return path


def update_zip(directory: Path, *, number: int = 1, scale: str = "small", seed: int = 2025) -> Path:
    path = directory / f"KboOpenData_{140 + number:04d}_Update_{scale}_{seed}.zip"
    write_update(path, scale, number=number, seed=seed, churn=CHURN)
    return path


def rewrite(path: Path, target: Path, changes: dict[str, Callable[[bytes], bytes]]) -> Path:
    """A copy of the ZIP with some members changed (a missing column, a wrong date, …)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in changes:
                data = changes[info.filename](data)
            out.writestr(info.filename, data)
    return target


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def replace_line(number: int, change: Callable[[str], str]) -> Callable[[bytes], bytes]:
    """Change line `number` of a CSV (the header is line 1)."""

    def apply(data: bytes) -> bytes:
        lines = data.decode().split("\n")
        lines[number - 1] = change(lines[number - 1])
        return "\n".join(lines).encode()

    return apply


def counts(path: Path) -> dict[str, int]:
    """Data lines per CSV of a ZIP."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info).count(b"\n") - 1 for info in zf.infolist()}


def table_contents() -> dict[str, list[tuple[Any, ...]]]:
    """Every KBO table as sorted rows of its file's columns (surrogate ids left out)."""
    contents = {}
    for table in TABLES:
        model = getattr(kbo_models, table.model)
        rows = model.objects.values_list(*[c.field for c in table.columns])
        contents[table.name] = sorted(rows, key=lambda row: tuple("" if v is None else str(v) for v in row))
    return contents


def table_counts() -> dict[str, int]:
    return {table.name: getattr(kbo_models, table.model).objects.count() for table in TABLES}


def in_memory(path: Path) -> io.BytesIO:
    return io.BytesIO(path.read_bytes())
