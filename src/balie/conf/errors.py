"""Error pages in the face the visitor was using: the e-loket's own for a citizen under /e-loket/,
the back-office's for everyone else (Django's default views with another template)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views import defaults

PORTAL_PREFIX = "/e-loket/"


def _template(request: HttpRequest, name: str) -> str:
    return f"portal/{name}" if request.path.startswith(PORTAL_PREFIX) else name


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return defaults.page_not_found(request, exception, template_name=_template(request, "404.html"))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return defaults.permission_denied(request, exception, template_name=_template(request, "403.html"))


def server_error(request: HttpRequest) -> HttpResponse:
    return defaults.server_error(request, template_name=_template(request, "500.html"))
