"""Who is at the e-loket: a signed-in citizen and the party they act as (themselves, or an
organisation they represent). Everything a page shows is fetched for that party only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from balie.accounts.models import AccountKind
from balie.parties.actions import party_of_account
from balie.parties.models import Party, PartyKind, Representation

ACTING_FOR = "portal_acting_for"  # session: the uuid of the organisation the citizen acts for
PROVEN_ORGANISATIONS = "portal_proven_organisations"  # session: enterprise numbers the login vouched for

View = Callable[..., HttpResponseBase]


class CitizenRequest(HttpRequest):
    person: Party  # the signed-in citizen's own party
    party: Party  # whom they act for now: themselves or an organisation


def organisations_of(request: HttpRequest, person: Party) -> list[Party]:
    """The organisations the citizen may act for: granted by an employee (a representation valid
    today) or proven by this login (the government login's enterprise number)."""
    today = timezone.localdate()
    granted = (
        Representation.objects.filter(representative=person)
        .exclude(valid_from__gt=today)
        .exclude(valid_until__lt=today)
        .values("represented")
    )
    proven = request.session.get(PROVEN_ORGANISATIONS, [])
    found = Party.objects.filter(merged_into__isnull=True).filter(
        Q(pk__in=granted) | Q(kind=PartyKind.ORGANISATION, enterprise_number__in=proven)
    )
    return list(found.distinct().order_by("display_name"))


def citizen_required(view: View) -> View:
    """Anonymous: to the e-loket's login page. An employee or a system account, or a local account
    whose address is not proven yet: signed out and sent to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        login_url = reverse("portal:login") + "?" + urlencode({"next": request.get_full_path()})
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(login_url)
        person = party_of_account(user) if getattr(user, "kind", "") == AccountKind.CITIZEN else None
        if person is None:
            logout(request)
            return HttpResponseRedirect(login_url)
        acting = request.session.get(ACTING_FOR)
        party = person
        if acting:
            party = next((o for o in organisations_of(request, person) if str(o.uuid) == acting), person)
        request.person, request.party = person, party  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def start_citizen_session(request: HttpRequest) -> None:
    """A citizen's session lasts BALIE_PORTAL_SESSION_SECONDS (shorter than an employee's)."""
    request.session.set_expiry(settings.BALIE_PORTAL_SESSION_SECONDS)
