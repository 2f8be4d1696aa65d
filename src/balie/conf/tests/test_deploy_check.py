"""Production settings pass Django's deployment checklist; the demo's defaults do not."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings


def _check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BALIE_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "balie.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, "DJANGO_SETTINGS_MODULE": "balie.conf.settings", "BALIE_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_from_the_environment_pass_check_deploy(tmp_path: Path) -> None:
    result = _check_deploy(
        tmp_path,
        BALIE_SECRET_KEY=secrets.token_urlsafe(50),
        BALIE_DEBUG="false",
        BALIE_ALLOWED_HOSTS="balie.zonnedaal.be",
        DATABASE_URL="postgres://balie:secret@127.0.0.1:5432/balie",
        BALIE_ADDRESS_REGISTER_URL="https://api.basisregisters.vlaanderen.be",
        BALIE_MAGDA_URL="off",  # not connected to MAGDA (connected, it needs certificates and a signer)
        BALIE_SIGNING_PLATFORM_URL="off",  # no external signing platform
        BALIE_EBOX_URL="off",  # no eBox channel (connected, it needs https and the real client secret)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_refuses_the_built_in_demo_secret_key(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, BALIE_DEBUG="false")

    assert result.returncode == 1
    assert "security.W009" in result.stderr


def test_check_deploy_refuses_debug_and_plain_http(tmp_path: Path) -> None:
    result = _check_deploy(
        tmp_path, BALIE_SECRET_KEY=secrets.token_urlsafe(50), BALIE_DEBUG="true", BALIE_SECURE="false"
    )

    assert result.returncode == 1
    for warning in ("security.W018", "security.W008", "security.W012", "security.W016", "security.W004"):
        assert warning in result.stderr


@override_settings(
    SECRET_KEY=secrets.token_urlsafe(50),
    DEBUG=False,
    ALLOWED_HOSTS=["balie.zonnedaal.be"],
    BALIE_FICTIONAL_POSTCODES=False,
    BALIE_ADDRESS_REGISTER_URL="https://api.basisregisters.vlaanderen.be",
    BALIE_MAGDA_URL="off",
    BALIE_SIGNING_PLATFORM_URL="off",
    BALIE_EBOX_URL="off",
)
def test_the_settings_module_passes_check_deploy_in_process() -> None:
    call_command("check", deploy=True, fail_level="WARNING")
