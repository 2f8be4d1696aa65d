"""/api/v1/… (the API and its openapi.json) and /api/docs (interactive documentation)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from .api import api
from .payment_provider import payment_provider_webhook
from .signing_platform import signing_platform_callback
from .work_order_callback import work_order_callback


def api_docs(request: HttpRequest) -> HttpResponse:
    return api.docs.render_page(request, api)


urlpatterns = [
    path("v1/", api.urls),
    path("docs", api_docs, name="api-docs"),
    # The external signing platform calls back here (not part of the REST API: its own token).
    path(
        "ondertekening/platform/<uuid:uuid>",
        signing_platform_callback,
        name="signing_platform_callback",
    ),
    # The payment provider's signed webhook (payments).
    path("betalingen/webhook", payment_provider_webhook, name="payment_provider_webhook"),
    # Reports: the work-order system's signed status callback, and the Open311 GeoReport v2 server.
    path("meldingen/werkorders/terugmelding", work_order_callback, name="report_work_order_callback"),
    path("open311/v2/", include("balie.api.open311_urls")),
]
