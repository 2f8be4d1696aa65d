"""Who calls the API, and whether they may call this endpoint.

Two ways in: another system sends `Authorization: Token <token>` (or `Bearer <token>`) and acts as
its application's system account; an employee's own pages call with their session cookie and a CSRF
token. Each endpoint names one scope (see `requires`): a token without it, or a session of someone
who is not an employee, gets 403 before any input is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security.base import AuthBase

from balie.accounts.models import User
from balie.accounts.permissions import is_employee

from .actions import record_api_use
from .models import ApiApplication, Scope
from .queries import find_application_for_token

TOKEN_SCHEMES = ("token", "bearer")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, answering with a bare 403 rather than rendering the failure page."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        return HttpResponseForbidden(reason)


def _csrf_refused(request: HttpRequest) -> bool:
    check = _CsrfCheck(lambda _request: HttpResponse())
    check.process_request(request)
    return check.process_view(request, lambda _request: HttpResponse(), (), {}) is not None


@dataclass(frozen=True)
class Caller:
    """The one who asks: a user (an employee, or an application's system account)."""

    user: User
    application: ApiApplication | None = None

    @property
    def application_name(self) -> str:
        return self.application.name if self.application else ""

    @property
    def purpose(self) -> str:
        return self.application.purpose if self.application else ""


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    assert isinstance(caller, Caller), "endpoint declared without `requires(...)`"
    return caller


class TokenAuth(AuthBase):
    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = (
        "Sleutel van een API-toepassing: `Authorization: Token <sleutel>` of `Authorization: Bearer "
        "<sleutel>`. De toepassing handelt als haar systeemaccount, in haar dienst."
    )

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> Caller | None:
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() not in TOKEN_SCHEMES:
            return None  # no token: perhaps a session
        application = find_application_for_token(token.strip())
        if application is None:
            raise AuthenticationError(401, _("Deze sleutel is onbekend of ingetrokken."))
        record_api_use(application=application)
        if not application.has_scope(self.scope):
            raise AuthorizationError(
                403, _("Deze toepassing heeft het recht '%(scope)s' niet.") % {"scope": self.scope.value}
            )
        return Caller(user=application.user, application=application)


class SessionAuth(AuthBase):
    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = settings.SESSION_COOKIE_NAME
    openapi_description = "De sessie van een aangemelde medewerker; schrijven vraagt ook de CSRF-token."
    csrf = True

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> Caller | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and _csrf_refused(request):
            raise AuthorizationError(403, _("De CSRF-controle is mislukt; laad de pagina opnieuw."))
        if not is_employee(user):
            raise AuthorizationError(403, _("Alleen medewerkers kunnen dit opvragen."))
        assert isinstance(user, User)
        return Caller(user=user)


def requires(scope: Scope) -> dict[str, Any]:
    """Operation options for an endpoint that needs `scope`: `@router.get(..., **requires(...))`."""
    return {"auth": [TokenAuth(scope), SessionAuth(scope)], "openapi_extra": {"x-scope": scope.value}}
