"""The committed openapi.json is the contract other systems build on: it must be what the code says.

After changing the API: `uv run balie export_openapi > openapi.json` and commit the result.
"""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.test import Client

from balie.api.openapi import COMMITTED_PATH, openapi_document


def test_the_committed_openapi_document_matches_the_code() -> None:
    # given
    committed = json.loads(COMMITTED_PATH.read_text(encoding="utf-8"))
    # then
    assert committed == openapi_document(), (
        "openapi.json is stale: run `uv run balie export_openapi > openapi.json`"
    )


def test_the_export_command_prints_the_document() -> None:
    # given
    out = StringIO()
    # when
    call_command("export_openapi", stdout=out)
    # then
    assert json.loads(out.getvalue()) == openapi_document()


def test_the_api_serves_the_same_document(db: None) -> None:
    # when
    response = Client().get("/api/v1/openapi.json")
    # then
    assert response.status_code == 200
    assert response.json() == openapi_document()
    assert response.json()["openapi"].startswith("3.")
