"""The `balie` command dispatches its own commands and Django's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _balie(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "balie.cli", *args],
        env={**os.environ, "BALIE_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_balie_worker_lists_the_schedule(tmp_path: Path) -> None:
    result = _balie(tmp_path, "worker", "--schedule")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert (
        "audit.purge_expired_access_log           daily at 03:30           "
        "balie.audit.tasks.purge_expired_access_log"
    ) in lines
    assert (
        "core.prune_finished_tasks                daily at 04:10           "
        "balie.core.tasks.prune_finished_tasks"
    ) in lines


def test_balie_help_lists_its_own_commands_and_djangos(tmp_path: Path) -> None:
    result = _balie(tmp_path, "help")

    assert result.returncode == 0, result.stderr
    for command in ("balie demo", "balie serve", "balie worker", "balie load_demo_data", "migrate"):
        assert command in result.stdout


def test_balie_demo_refuses_a_port_that_is_taken(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = _balie(tmp_path, "demo", "--port", str(port))

    assert result.returncode == 1
    assert f"Poort {port} is al in gebruik" in result.stdout
    assert not (tmp_path / "balie.sqlite3").exists()
