"""Keyset pagination with an opaque cursor.

A page never counts the table and never skips with OFFSET: it continues after the last row seen.
The cursor names that row by its public UUID only (no internal id, no name in the URL or in logs),
signed so that a tampered or foreign cursor is refused (400) rather than misread.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from .errors import BadCursor

MAX_PAGE_SIZE = 200
T = TypeVar("T")


def page_size(requested: int | None) -> int:
    return requested or settings.BALIE_API_PAGE_SIZE


def encode_cursor(kind: str, last_uuid: uuid.UUID) -> str:
    return signing.dumps(str(last_uuid), salt=f"balie.api.cursor.{kind}")


def decode_cursor(kind: str, cursor: str) -> uuid.UUID:
    try:
        return uuid.UUID(signing.loads(cursor, salt=f"balie.api.cursor.{kind}"))
    except (signing.BadSignature, ValueError, TypeError):
        raise BadCursor from None


def split_page(rows: Sequence[T], size: int) -> tuple[list[T], bool]:
    """Rows were fetched with one extra: it tells whether another page follows."""
    return list(rows[:size]), len(rows) > size


def next_link(request: HttpRequest, kind: str, last: Any | None, has_more: bool) -> str | None:
    """The URL of the next page: the same query with the cursor after `last`."""
    if not has_more or last is None:
        return None
    query = request.GET.copy()
    query["cursor"] = encode_cursor(kind, last.uuid)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
