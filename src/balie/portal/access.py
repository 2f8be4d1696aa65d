"""Who is at the e-loket: a signed-in citizen and the party they act as (themselves, or an
organisation they represent). Everything a page shows is fetched for that party only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from balie.accounts.models import AccountKind
from balie.parties.actions import party_of_account
from balie.parties.models import Party, PartyKind, Representation

ACTING_FOR = "portal_acting_for"  # session: the uuid of the organisation the citizen acts for
PROVEN_ORGANISATIONS = "portal_proven_organisations"  # session: enterprise numbers the login vouched for
PENDING_FORM = "portal_pending_form"  # session: what was typed in a form sent after the session expired
NOT_KEPT = ("csrfmiddlewaretoken", "website")  # the CSRF token and the honeypot
KEPT_AT_MOST = 20_000  # characters: the longest form (an e-service) takes less

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
            if request.method == "POST":
                _keep_pending_form(request)
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


def _keep_pending_form(request: HttpRequest) -> None:
    """A form sent after the session expired: what was typed waits in the (new, anonymous) session,
    which the next login keeps, and fills the same form again there. Files cannot wait: the citizen
    is asked to add them again."""
    data = {key: request.POST.getlist(key) for key in request.POST if key not in NOT_KEPT}
    typed = [value for values in data.values() for value in values]
    if not any(value.strip() for value in typed) or sum(map(len, typed)) > KEPT_AT_MOST:
        return  # nothing typed, or more than any of our forms takes: not kept in a session
    request.session[PENDING_FORM] = {"path": request.path, "data": data}
    text = _("Uw sessie was verlopen. Meld u opnieuw aan: wat u invulde, is bewaard.")
    if request.FILES:
        text += " " + _("Voeg uw bestanden na het aanmelden opnieuw toe.")
    messages.info(request, text)


def pending_form(request: HttpRequest) -> dict[str, Any]:
    """What the citizen typed in this page's form before their session expired (once), as initial
    values; empty when nothing waits for this page."""
    if request.method != "GET":
        return {}
    pending = request.session.get(PENDING_FORM)
    if not pending or pending.get("path") != request.path:
        return {}
    del request.session[PENDING_FORM]
    messages.info(
        request,
        _("Wat u invulde voor uw sessie verliep, staat weer in het formulier. Kijk het na en verstuur."),
    )
    return {key: values[0] if len(values) == 1 else values for key, values in pending["data"].items()}
