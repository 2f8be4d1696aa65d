"""Authentic sources in the back-office: "fetch from the Rijksregister / the KBO" on a party (the
purpose first, then the differences, then apply), the privacy officer's consultation log, and the
legal purposes under Beheer."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.accounts.permissions import can_manage_catalogue, can_read_audit
from balie.audit.actions import log_personal_data_access
from balie.audit.models import AccessChannel
from balie.authentic_sources.consultations import ConsultationError, search_consultations
from balie.authentic_sources.magda.client import magda_enabled
from balie.authentic_sources.magda_actions import apply_sealed, fetch_enterprise, fetch_person, seal
from balie.authentic_sources.models import ConsultationOutcome, MagdaService
from balie.authentic_sources.purposes import (
    all_purposes,
    create_legal_purpose,
    get_purpose,
    set_legal_purpose_active,
    update_legal_purpose,
)
from balie.parties.models import Party
from balie.parties.queries import get_party_for, parties_for

from ..access import EmployeeRequest, employee_required, permission_required
from ..forms.authentic_sources import ConsultationSearchForm, FetchForm, LegalPurposeForm
from ..forms.common import add_domain_errors

LOG_PAGE = 50


def _source_label(party: Party) -> str:
    """The source with its article, as it reads in a sentence."""
    return _("het Rijksregister") if party.is_person else _("de KBO")


def _fetchable(party: Party) -> bool:
    return magda_enabled() and bool(party.national_number if party.is_person else party.enterprise_number)


@employee_required
def party_fetch(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """Step 1: the purpose. Step 2 (after the call): what the source says beside what Balie has."""
    party = get_party_for(request.user, uuid)
    if party.uuid != uuid:
        return redirect("backoffice:party_fetch", uuid=party.uuid)
    if not _fetchable(party):
        raise Http404
    form = FetchForm(request.POST or None)
    context: dict[str, Any] = {"party": party, "form": form, "source": _source_label(party)}
    if request.method == "POST" and form.is_valid():
        purpose = form.cleaned_data["purpose"]
        fetch = fetch_person if party.is_person else fetch_enterprise
        try:
            fetched = fetch(party=party, purpose=purpose, by=request.user)
        except ConsultationError as error:
            context["failure"] = error.message
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            context.update(fetched=fetched, token=seal(fetched), purpose=purpose)
            if party.is_person:
                # The page shows the person's data from the source: a read, with its purpose.
                log_personal_data_access(
                    by=request.user,
                    subject_uuid=party.uuid,
                    subject_type=party.kind,
                    channel=AccessChannel.SOURCE,
                    location=request.path,
                    purpose=f"{purpose.description} ({purpose.capacity_code})",
                    application="MAGDA",
                )
    return render(request, "backoffice/authentic_sources/fetch.html", context)


@require_POST
@employee_required
def party_fetch_apply(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    party = get_party_for(request.user, uuid)
    if party.uuid != uuid or not _fetchable(party):
        raise Http404
    try:
        apply_sealed(party=party, token=request.POST.get("antwoord", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("backoffice:party_fetch", uuid=party.uuid)
    messages.success(
        request,
        _("De gegevens uit het Rijksregister zijn toegepast.")
        if party.is_person
        else _("De gegevens uit de KBO zijn toegepast."),
    )
    return redirect("backoffice:party", uuid=party.uuid)


# -- the privacy officer: the consultation log ------------------------------------------------------


def _page_number(request: EmployeeRequest) -> int:
    try:
        return max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        return 1


@require_GET
@permission_required(can_read_audit)
def consultation_log(request: EmployeeRequest) -> HttpResponse:
    form = ConsultationSearchForm(request.GET or None, user=request.user)
    rows: list[Any] = []
    page, has_next = _page_number(request), False
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        start = (page - 1) * LOG_PAGE
        found = list(search_consultations(**filters)[start : start + LOG_PAGE + 1])  # no COUNT over ten years
        has_next = len(found) > LOG_PAGE
        rows = found[:LOG_PAGE]
    subjects = parties_for(request.user).in_bulk({r.subject_uuid for r in rows}, field_name="uuid")
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "rows": [(row, subjects.get(row.subject_uuid)) for row in rows],
        "page": page,
        "has_next": has_next,
        "query": query.urlencode(),
    }
    return render(request, "backoffice/authentic_sources/consultation_log.html", context)


def _safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@permission_required(can_read_audit)
def consultation_log_csv(request: EmployeeRequest) -> HttpResponseBase:
    form = ConsultationSearchForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return consultation_log(request)
    rows = search_consultations(**(form.filters() if form.is_bound else {}))
    writer = csv.writer(_Echo(), delimiter=";")
    outcomes = dict(ConsultationOutcome.choices)
    services = dict(MagdaService.choices)

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(
            [
                _("tijdstip"),
                _("toepassing"),
                _("medewerker"),
                _("medewerker-id"),
                _("over (id)"),
                _("soort"),
                _("dienst"),
                _("versie"),
                _("hoedanigheid"),
                _("doel"),
                _("MAGDA-referte"),
                _("resultaat"),
                _("uitzonderingscode"),
                _("duur (ms)"),
            ]
        )
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                    _safe(row.application),
                    _safe(row.actor_label),
                    row.actor_uuid or "",
                    row.subject_uuid,
                    _safe(row.subject_type),
                    services.get(row.service, row.service),
                    _safe(row.service_version),
                    _safe(row.purpose_code),
                    _safe(row.purpose_label),
                    row.reference,
                    outcomes.get(row.outcome, row.outcome),
                    _safe(row.exception_code),
                    "" if row.duration_ms is None else row.duration_ms,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="raadplegingen-{stamp}.csv"'
    return response


# -- Beheer: legal purposes ---------------------------------------------------------------------------

admin_required = permission_required(can_manage_catalogue)


@require_GET
@admin_required
def purpose_list(request: EmployeeRequest) -> HttpResponse:
    return render(request, "backoffice/authentic_sources/purpose_list.html", {"purposes": all_purposes()})


@admin_required
def purpose_create(request: EmployeeRequest) -> HttpResponse:
    form = LegalPurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_legal_purpose(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het doel is toegevoegd."))
            return redirect("backoffice:manage_purposes")
    return render(request, "backoffice/authentic_sources/purpose_form.html", {"form": form, "purpose": None})


@admin_required
def purpose_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    purpose = get_purpose(uuid)
    initial = {
        "capacity_code": purpose.capacity_code,
        "description": purpose.description,
        "legal_basis": purpose.legal_basis,
    }
    form = LegalPurposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_legal_purpose(purpose=purpose, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het doel is gewijzigd."))
            return redirect("backoffice:manage_purposes")
    return render(
        request, "backoffice/authentic_sources/purpose_form.html", {"form": form, "purpose": purpose}
    )


@require_POST
@admin_required
def purpose_active(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    purpose = set_legal_purpose_active(
        purpose=get_purpose(uuid), active=request.POST.get("active") == "1", by=request.user
    )
    if purpose.active:
        messages.success(
            request, _("Het doel „%(name)s” kan weer gekozen worden.") % {"name": purpose.description}
        )
    else:
        messages.success(
            request, _("Het doel „%(name)s” kan niet meer gekozen worden.") % {"name": purpose.description}
        )
    return redirect("backoffice:manage_purposes")


# -- on the 360° view and the edit form ----------------------------------------------------------------


def source_context(party: Party) -> dict[str, Any]:
    """What the party page shows of the authentic sources: per field, "bron: Rijksregister,
    29/11/2026" (keys with _ for ., e.g. address_residence), and the records per source."""
    from balie.authentic_sources.magda_queries import sourced_records_of
    from balie.parties.registries import locked_fields

    from ..forms.authentic_sources import source_note

    notes = {
        name.replace(".", "_"): source_note(lock.source_label, lock.since)
        for name, lock in locked_fields(party).items()
    }
    sources = sourced_records_of(party)
    for record in sources.values():
        for key in ("start_date", "deceased_on"):  # ISO dates in the record, dates on the page
            if record.data.get(key):
                record.data[key] = dt.date.fromisoformat(record.data[key])
    return {"source_notes": notes, "sources": sources, "can_fetch": _fetchable(party)}
