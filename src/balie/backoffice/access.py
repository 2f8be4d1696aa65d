"""Who may open the back-office: employees only. Everyone else sees a login page or nothing."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers

from balie.accounts.permissions import is_employee

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from balie.accounts.models import User


class EmployeeRequest(HttpRequest):
    """What a view behind employee_required receives: a signed-in employee, htmx details."""

    user: User
    htmx: HtmxDetails


View = Callable[..., HttpResponseBase]


def employee_required(view: View) -> View:
    """Anonymous: to the login page (htmx: a client-side redirect). Not an employee: 404, so a
    citizen account learns nothing about what exists here."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            to_login = redirect_to_login(request.get_full_path())
            if getattr(request, "htmx", False):
                redirect = HttpResponse(status=204)
                redirect["HX-Redirect"] = to_login["Location"]
                return redirect
            return to_login
        if not is_employee(request.user):
            raise Http404
        response = view(request, *args, **kwargs)
        # Pages answer htmx requests with a fragment: caches must keep the two apart.
        patch_vary_headers(response, ("HX-Request",))
        return response

    return wrapper


def permission_required(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """An employee view that also needs a permission from balie.accounts.permissions."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return employee_required(guarded)

    return decorator
