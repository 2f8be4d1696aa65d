"""One search box for every key a caller may give: name, number, e-mail, phone, address."""

from __future__ import annotations

from django.db.models import Prefetch
from django.db.models.query import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balie.parties.models import Address
from balie.parties.queries import search_parties

from ..access import employee_required

MAX_QUERY_LENGTH = 100


@employee_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = search_parties(request.user, query) if query else []
    # One extra query for the current addresses, to tell two people of the same name apart.
    prefetch_related_objects(
        results, Prefetch("addresses", queryset=Address.objects.filter(valid_until__isnull=True))
    )
    context = {"query": query, "results": results}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "backoffice/search/_results.html", context)
    return render(request, "backoffice/search/search.html", context)
