"""Every error leaves the API as JSON: `{"detail": ...}`, and for invalid input (from the schemas or
from an action's ValidationError) `{"detail": ..., "errors": {"field": ["message", ...]}}` with 422."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)
PARAM_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


class BadCursor(HttpError):
    def __init__(self) -> None:
        super().__init__(400, _("Deze cursor is ongeldig of verlopen; begin opnieuw bij de eerste pagina."))


def field_errors(error: DjangoValidationError, *, prefix: str = "") -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}; errors without a field go under "__all__"."""
    if hasattr(error, "error_dict"):
        return {
            (f"{prefix}{field}" if field != NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD_ERRORS: error.messages}


def _schema_field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in PARAM_SOURCES:
        source = parts.pop(0)
        if source == "body" and parts:
            parts.pop(0)  # the name of the endpoint's payload argument
    return ".".join(parts) or NON_FIELD_ERRORS


def _schema_message(error: Mapping[str, Any]) -> str:
    """pydantic's messages in Dutch for the errors a caller commonly makes; its own text otherwise."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    messages = {
        "missing": _("Dit veld is verplicht."),
        "extra_forbidden": _("Dit veld bestaat niet."),
        "string_type": _("Geef tekst op."),
        "string_too_long": _("Gebruik hoogstens %(max_length)s tekens."),
        "string_too_short": _("Gebruik minstens %(min_length)s tekens."),
        "uuid_parsing": _("Dit is geen geldige id (UUID)."),
        "uuid_type": _("Dit is geen geldige id (UUID)."),
        "enum": _("Kies een van: %(expected)s."),
        "literal_error": _("Kies een van: %(expected)s."),
        "int_parsing": _("Geef een geheel getal op."),
        "int_type": _("Geef een geheel getal op."),
        "int_from_float": _("Geef een geheel getal op."),
        "greater_than_equal": _("Geef een waarde van minstens %(ge)s."),
        "less_than_equal": _("Geef een waarde van hoogstens %(le)s."),
        "bool_parsing": _("Geef true of false op."),
        "bool_type": _("Geef true of false op."),
        "date_parsing": _("Geef een datum op (JJJJ-MM-DD)."),
        "date_from_datetime_parsing": _("Geef een datum op (JJJJ-MM-DD)."),
        "date_type": _("Geef een datum op (JJJJ-MM-DD)."),
        "datetime_parsing": _("Geef een tijdstip op (ISO 8601, met tijdzone)."),
        "datetime_from_date_parsing": _("Geef een tijdstip op (ISO 8601, met tijdzone)."),
        "datetime_type": _("Geef een tijdstip op (ISO 8601, met tijdzone)."),
        "timezone_aware": _("Geef een tijdstip met tijdzone op, bv. 2026-03-01T09:30:00+01:00."),
        "model_type": _("Geef een object op."),
        "model_attributes_type": _("Geef een object op."),
        "dict_type": _("Geef een object op."),
        "list_type": _("Geef een lijst op."),
        "json_invalid": _("Dit is geen geldige JSON."),
    }
    template = messages.get(kind)
    if template is None:
        return str(error.get("msg", _("Ongeldige waarde.")))
    if "expected" in ctx:
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", " of ")}
    try:
        return template % dict(ctx)
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", template))


def invalid_input(api: NinjaAPI, request: HttpRequest, errors: Mapping[str, list[str]]) -> HttpResponse:
    body = {"detail": _("De invoer is ongeldig."), "errors": dict(errors)}
    return api.create_response(request, body, status=422)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Niet gevonden.")}, status=404)

    @api.exception_handler(DjangoValidationError)
    def on_action_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return invalid_input(api, request, field_errors(exc))

    @api.exception_handler(SchemaValidationError)
    def on_schema_refused(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        if any(tuple(error.get("loc", ()))[:1] == ("path",) for error in exc.errors):
            # A malformed id in the URL names nothing: the same answer as an unknown one.
            return on_not_found(request, Http404())
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_schema_field(error.get("loc", ())), []).append(_schema_message(error))
        return invalid_input(api, request, errors)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else _("Meld u aan met een sleutel.")
        response = api.create_response(request, {"detail": message}, status=401)
        response["WWW-Authenticate"] = 'Token realm="balie"'
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = exc.message
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = _("De inhoud van het verzoek is geen geldige JSON.")
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    @api.exception_handler(IntegrityError)
    def on_conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Two callers registered the same identifier at once; the action rolled back. A retry finds
        # the one that won. The database's message may hold an identifier: log the path only.
        logger.warning("API write refused by a database constraint", extra={"path": request.path})
        return api.create_response(
            request, {"detail": _("Dit botst met een gelijktijdige wijziging; probeer opnieuw.")}, status=409
        )
