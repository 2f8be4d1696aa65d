"""Adding a contact point or an address to a party, and merging two parties."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from balie.accounts.permissions import can_merge_parties
from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.authentic_sources.addresses.register import advise_on_address
from balie.parties.actions import add_address, add_contact_point, merge_parties
from balie.parties.models import PartyKind
from balie.parties.queries import get_party_for, search_parties

from ..access import EmployeeRequest, employee_required, permission_required
from ..forms.common import add_domain_errors
from ..forms.parties import AddressForm, ContactPointForm, MergeForm
from .addresses import municipality_names
from .parties import log_access
from .search import MAX_QUERY_LENGTH


@employee_required
def contact_point_add(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    party = get_party_for(request.user, uuid)
    if party.uuid != uuid:
        return redirect("backoffice:contact_point_add", uuid=party.uuid)
    form = ContactPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_contact_point(party=party, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het contactgegeven is toegevoegd."))
            return redirect("backoffice:party", uuid=party.uuid)
    return render(request, "backoffice/parties/contact_point_form.html", {"party": party, "form": form})


@employee_required
def address_add(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    party = get_party_for(request.user, uuid)
    if party.uuid != uuid:
        return redirect("backoffice:address_add", uuid=party.uuid)
    form = AddressForm(request.POST or None)
    advice = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirmed")
        # A Flemish address is checked in the address register first; one it does not know is
        # saved only once confirmed. A register that does not answer never stops the saving.
        advice = None if confirmed else advise_on_address(**_register_fields(data))
        if advice is None or not advice.confirm:
            try:
                add_address(party=party, by=request.user, **data)
            except ValidationError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Het adres is toegevoegd."))
                if advice is not None and advice.message:
                    messages.warning(request, advice.message)
                return redirect("backoffice:party", uuid=party.uuid)
    return render(
        request,
        "backoffice/parties/address_form.html",
        {
            "party": party,
            "form": form,
            "advice": advice,
            "municipality_names": municipality_names(
                form["postcode"].value() or "", form["country"].value() or ""
            ),
        },
    )


def _register_fields(data: dict[str, Any]) -> dict[str, str]:
    keys = ("street", "house_number", "box", "postcode", "municipality", "country")
    return {key: data[key] for key in keys}


@permission_required(can_merge_parties)
def merge_pick(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """Step 1: find the other party (the duplicate or the one to keep)."""
    party = get_party_for(request.user, uuid)
    if party.uuid != uuid:
        return redirect("backoffice:merge_pick", uuid=party.uuid)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = (
        [p for p in search_parties(request.user, query) if p.pk != party.pk and p.kind == party.kind]
        if query
        else []
    )
    log_personal_data_accesses(
        by=request.user,
        subject_uuids=[p.uuid for p in results if p.is_person],
        subject_type=PartyKind.PERSON,
        channel=AccessChannel.PAGE,
        location=request.path,
    )
    return render(
        request, "backoffice/parties/merge_pick.html", {"party": party, "query": query, "results": results}
    )


@permission_required(can_merge_parties)
def merge_confirm(request: EmployeeRequest, uuid: uuid.UUID, other: uuid.UUID) -> HttpResponse:
    """Step 2: both side by side, choose which one stays, confirm."""
    first = get_party_for(request.user, uuid)
    second = get_party_for(request.user, other)
    if first.pk == second.pk:
        raise Http404
    form = MergeForm(request.POST or None, first=first, second=second)
    if request.method == "POST" and form.is_valid():
        survivor, duplicate = (
            (first, second) if form.cleaned_data["survivor"] == str(first.uuid) else (second, first)
        )
        try:
            merge_parties(
                survivor=survivor, duplicate=duplicate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De klanten zijn samengevoegd."))
            return redirect("backoffice:party", uuid=survivor.uuid)
    for party in (first, second):
        log_access(request, party)
    return render(
        request, "backoffice/parties/merge_confirm.html", {"first": first, "second": second, "form": form}
    )
