"""One search box for every key a caller may give: name, number, e-mail, phone, address."""

from __future__ import annotations

from django.db.models import Prefetch
from django.db.models.query import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import render

from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.parties.models import Address, PartyKind
from balie.parties.queries import search_parties

from ..access import EmployeeRequest, employee_required

MAX_QUERY_LENGTH = 100


@employee_required
def search(request: EmployeeRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = search_parties(request.user, query) if query else []
    # One extra query for the current addresses, to tell two people of the same name apart.
    prefetch_related_objects(
        results, Prefetch("addresses", queryset=Address.objects.filter(valid_until__isnull=True))
    )
    # A result shows birth date, national number and address: each person listed is an access.
    log_personal_data_accesses(
        by=request.user,
        subject_uuids=[p.uuid for p in results if p.kind == PartyKind.PERSON],
        subject_type=PartyKind.PERSON,
        channel=AccessChannel.PAGE,
        location=request.path,
    )
    context = {"query": query, "results": results}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "backoffice/search/_results.html", context)
    return render(request, "backoffice/search/search.html", context)
