"""The OpenAPI document as committed in openapi.json: generated from the code, compared in a test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from ninja.responses import NinjaJSONEncoder

from .api import api

COMMITTED_PATH = Path(settings.PROJECT_DIR) / "openapi.json"


def openapi_document() -> dict[str, Any]:
    """The document as plain JSON data (what /api/v1/openapi.json serves)."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def render_openapi() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
