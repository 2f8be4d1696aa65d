"""Documents are stored under a MEDIA_ROOT of each test's own. The signing tests' fixtures (a test
certification authority, the people who sign, the demo signing platform) are registered here."""

from __future__ import annotations

from pathlib import Path

import pytest

from .platform_fixtures import balie_server, platform, platform_procedure  # noqa: F401
from .signing_fixtures import (  # noqa: F401
    adjunct,
    approved_letter_procedure,
    burgemeester,
    directeur,
    directeur_function,
    lead,
    letter,
    municipality_certificate,
    personal_dir,
    seal,
    secretariaat,
    test_root,
    two_signers_procedure,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root
