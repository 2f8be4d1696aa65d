"""Documents are stored under a MEDIA_ROOT of each test's own."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


from .signing_fixtures import (  # noqa: E402, F401 - fixtures of the signing tests
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
