"""/api/v1/… (the API and its openapi.json) and /api/docs (interactive documentation)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from .api import api


def api_docs(request: HttpRequest) -> HttpResponse:
    return api.docs.render_page(request, api)


urlpatterns = [
    path("v1/", api.urls),
    path("docs", api_docs, name="api-docs"),
]
