"""Balie's REST API, version 1: one NinjaAPI with a router per resource and JSON errors."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, render_template
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from .endpoints import cases, catalogue, contact_moments, documents, parties, post_items
from .errors import install_error_handlers

DESCRIPTION = """\
De REST API van Balie, voor andere systemen van de gemeente en voor de eigen schermen.

**Aanmelden.** Een ander systeem stuurt de sleutel van zijn API-toepassing mee:
`Authorization: Token <sleutel>` (of `Bearer <sleutel>`). Het handelt als het systeemaccount van die
toepassing, in haar dienst: het ziet wat die dienst ziet. Elk endpoint vraagt één recht (`x-scope`);
zonder dat recht volgt 403 en verandert er niets. De schermen van Balie gebruiken de sessie van de
aangemelde medewerker, met CSRF-token bij elke wijziging.

**Fouten** zijn JSON: `{"detail": "..."}`; ongeldige invoer geeft 422 met ook
`{"errors": {"veld": ["melding", ...]}}`. Een onbekende of onzichtbare id geeft 404.

**Lijsten** komen per pagina; volg de `next`-link tot die leeg is.

**Inzage.** Elke keer dat een antwoord een persoon toont, staat dat in het inzagelogboek
(wie, over wie, via welk endpoint, met welke toepassing).

**Webhooks.** Wie wil weten wat er met zaken gebeurt, hoeft niet te pollen: de functioneel beheerder
maakt een webhook (Beheer › Webhooks) en Balie POST elke gebeurtenis (bv. `be.balie.case.status`)
als CloudEvent 1.0 (`application/cloudevents+json`), ondertekend volgens Standard Webhooks:
`Webhook-Signature: v1,<base64 HMAC-SHA256 over "<Webhook-Id>.<Webhook-Timestamp>.<inhoud>">` met het
geheim (`whsec_<base64-sleutel>`). Een bericht dat niet met 2xx beantwoord wordt, komt later opnieuw,
met dezelfde `Webhook-Id` (ook `Idempotency-Key`): wie die id al heeft, antwoordt 2xx en negeert het.
De berichten aan één webhook komen in volgorde aan.
"""


class SwaggerWithCsrf(Swagger):
    """Ninja's Swagger page, sending the CSRF token so that a logged-in employee can try writes."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": True}
        return render_template(request, self.template, self.template_cdn, context)


class BalieAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        """Answers may show personal data: no browser or proxy keeps a copy."""
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        response["Cache-Control"] = "no-store"
        return response

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """OpenAPI 3.1 lets a security requirement name the roles it needs: put each endpoint's
        scope on its token requirement."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                scope = operation.get("x-scope")
                if scope:
                    operation["security"] = [{"TokenAuth": [scope]}, {"SessionAuth": []}]
        return schema


api = BalieAPI(
    title="Balie API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=SwaggerWithCsrf(),
    docs_url=None,  # the docs live at /api/docs, beside the versions (see urls.py)
)
install_error_handlers(api)
api.add_router("/parties", parties.router)
api.add_router("/contact-moments", contact_moments.router)
api.add_router("/cases", cases.router)
api.add_router("/documents", documents.router)
api.add_router("/post-items", post_items.router)
api.add_router("/", catalogue.router)
