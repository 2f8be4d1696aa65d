"""Structured (JSON) log lines. Messages never carry personal data: log ids, not names.

Two guards back that rule up where code cannot choose what it logs: a request is logged by its
method and path only (a query string may hold a national number or a name), and anything shaped
like a national number or an e-mail address in a message or traceback is masked.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

_STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
_NATIONAL_NUMBER = re.compile(r"(?<!\w)\d{2}[.]?\d{2}[.]?\d{2}[-. ]?\d{3}[.]?\d{2}(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str) -> str:
    """Mask what looks like a national number or an e-mail address."""
    return _EMAIL.sub("[e-mail]", _NATIONAL_NUMBER.sub("[insz]", text))


def _plain(value: object) -> str | int | float | bool:
    if isinstance(value, HttpRequest):
        return f"{value.method} {value.path}"  # never the query string
    if isinstance(value, (str, int, float, bool)):
        return redact(value) if isinstance(value, str) else value
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = _plain(value)
        if record.exc_info:
            data["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


request_logger = logging.getLogger("balie.request")
_QUIET_PATHS = ("/health", "/static/")


class RequestLogMiddleware:
    """One line per request: method, path (without query string), status, time, user id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        level = logging.DEBUG if request.path.startswith(_QUIET_PATHS) else logging.INFO
        if request_logger.isEnabledFor(level):
            request_logger.log(
                level,
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": _user_id(request),
                },
            )
        return response


def _user_id(request: HttpRequest) -> str:
    """The public id of the logged-in user, if the request already loaded it (no extra query)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return ""
    return str(getattr(wrapped, "uuid", ""))
