"""The customer 360° view and registering or changing a party."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from balie.audit.actions import log_personal_data_access
from balie.audit.models import AccessChannel
from balie.audit.queries import history_of
from balie.authentic_sources.kbo.queries import kbo_extract, kbo_record_for
from balie.cases.queries import cases_of_party
from balie.cases.queries import timeline_for as case_timeline_for
from balie.complaints.queries import complaints_of_party
from balie.contact_moments.queries import TIMELINE_KINDS, timeline_for
from balie.core.timeline import TimelineEntry
from balie.correspondence.queries import timeline_for as post_timeline_for
from balie.documents.queries import documents_of_party
from balie.mailboxes.queries import sent_mails_of_party
from balie.parties.actions import current_address, register_party, update_party
from balie.parties.identifiers import compact_digits
from balie.parties.models import Party, PartyKind
from balie.parties.queries import find_similar_organisations, find_similar_persons, get_party_for

from ..access import EmployeeRequest, employee_required
from ..forms.authentic_sources import lock_sourced_fields
from ..forms.common import add_domain_errors
from ..forms.contacts import ContactMomentForm
from ..forms.parties import initial_for, party_form
from .authentic_sources import source_context

TIMELINE_PAGE = 20
HISTORY_ON_PAGE = 8
# The timeline filter as it appears in the address bar (Dutch) and as the query knows it.
TIMELINE_FILTERS: dict[str, tuple[str, ...]] = {
    "": (*TIMELINE_KINDS, "case", "post_item"),
    "contacten": ("contact_moment",),
    "taken": ("task",),
    "zaken": ("case",),
    "post": ("post_item",),
}
CASES_ON_PAGE = 5
DOCUMENTS_ON_PAGE = 5


def log_access(request: EmployeeRequest, party: Party) -> None:
    """Whoever opens a person's data leaves a trace for the privacy officer."""
    if party.is_person:
        log_personal_data_access(
            by=request.user,
            subject_uuid=party.uuid,
            subject_type=party.kind,
            channel=AccessChannel.PAGE,
            location=request.path,
        )


def timeline_context(request: EmployeeRequest, party: Party) -> dict[str, Any]:
    kind = request.GET.get("soort", "")
    if kind not in TIMELINE_FILTERS:
        kind = ""
    before, shown = _timeline_cursor(request.GET.get("voor", ""), request.GET.getlist("gezien"))
    kinds = TIMELINE_FILTERS[kind]
    entries = timeline_for(
        request.user,
        party,
        before=before,
        shown=shown,
        limit=TIMELINE_PAGE + 1,
        kinds=kinds,
    )
    if "case" in kinds:
        entries = _with_cases(request, party, entries, before=before, shown=shown)
    if "post_item" in kinds:
        entries = _with_post(request, party, entries, before=before, shown=shown)
    more = len(entries) > TIMELINE_PAGE
    entries = entries[:TIMELINE_PAGE]
    last_at = entries[-1].at if more else None
    return {
        "timeline": entries,
        "timeline_kind": kind,
        "timeline_filters": [
            ("", _("Alles")),
            ("contacten", _("Contacten")),
            ("taken", _("Taken")),
            ("zaken", _("Zaken")),
            ("post", _("Post")),
        ],
        "timeline_older": last_at.isoformat() if last_at else "",
        # Entries at the boundary's exact time, so the next page neither skips nor repeats them.
        "timeline_shown": [e.uuid for e in entries if e.at == last_at] if last_at else [],
        "timeline_paged": before is not None,
    }


def _with_cases(
    request: EmployeeRequest,
    party: Party,
    entries: list[TimelineEntry],
    *,
    before: dt.datetime | None,
    shown: list[uuid.UUID],
) -> list[TimelineEntry]:
    """The party's cases merged into the timeline by time. The cases' query pages strictly
    before a time; asking a microsecond later and leaving out those shown pages as the others do."""
    cases = case_timeline_for(
        request.user,
        party,
        before=before + dt.timedelta(microseconds=1) if before else None,
        limit=TIMELINE_PAGE + 1 + len(shown),
    )
    merged = entries + [entry for entry in cases if entry.uuid not in shown]
    merged.sort(key=lambda entry: entry.at, reverse=True)
    return merged[: TIMELINE_PAGE + 1]


def _with_post(
    request: EmployeeRequest,
    party: Party,
    entries: list[TimelineEntry],
    *,
    before: dt.datetime | None,
    shown: list[uuid.UUID],
) -> list[TimelineEntry]:
    """The party's post items merged into the timeline by time (their query pages as the
    contacts' does: up to and including `before`, leaving out those shown)."""
    post = post_timeline_for(request.user, party, before=before, shown=shown, limit=TIMELINE_PAGE + 1)
    merged = entries + post
    merged.sort(key=lambda entry: entry.at, reverse=True)
    return merged[: TIMELINE_PAGE + 1]


def _timeline_cursor(before: str, shown: list[str]) -> tuple[dt.datetime | None, list[uuid.UUID]]:
    """The "older" link's position; anything malformed starts from the newest."""
    try:
        at = parse_datetime(before[:40]) if before else None
        return at, [uuid.UUID(value) for value in shown[: TIMELINE_PAGE + 1]] if at else []
    except ValueError:  # e.g. month 13, or a broken id
        return None, []


def party_page(
    request: EmployeeRequest,
    party: Party,
    *,
    contact_form: ContactMomentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole 360° page, also when the quick contact form comes back with errors."""
    log_access(request, party)
    history = list(history_of(party.uuid)[: HISTORY_ON_PAGE + 1])
    addresses = list(party.addresses.all())
    context = {
        "party": party,
        "contact_form": contact_form or ContactMomentForm(),
        "main_address": current_address(party),
        "current_addresses": [a for a in addresses if a.is_current],
        "past_addresses": [a for a in addresses if not a.is_current],
        "history": history[:HISTORY_ON_PAGE],
        "history_more": len(history) > HISTORY_ON_PAGE,
        "party_cases": cases_of_party(request.user, party, limit=CASES_ON_PAGE + 1),
        "cases_on_page": CASES_ON_PAGE,
        "party_documents": documents_of_party(request.user, party, limit=DOCUMENTS_ON_PAGE + 1),
        "documents_on_page": DOCUMENTS_ON_PAGE,
        "sent_mails": sent_mails_of_party(request.user, party),
        **timeline_context(request, party),
        **source_context(party),  # fields from the Rijksregister / KBO: read-only, with source and date
        **kbo_open_data_context(request, party),
        "party_complaints": complaints_of_party(request.user, party),
    }
    return render(request, "backoffice/parties/detail.html", context, status=status)


def kbo_open_data_context(request: EmployeeRequest, party: Party) -> dict[str, Any]:
    """The KBO open data's record of an organisation, when the open data has been imported."""
    if party.is_person or not party.enterprise_number:
        return {}
    extract = kbo_extract()
    if extract is None:
        return {}
    return {"kbo_extract": extract, "kbo": kbo_record_for(request.user, party)}


@require_GET
@employee_required
def party_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    party = get_party_for(request.user, uuid)
    if party.uuid != uuid:
        return redirect("backoffice:party", uuid=party.uuid)
    if request.htmx and request.htmx.target in ("timeline", "timeline-more"):
        log_access(request, party)
        template = "_timeline.html" if request.htmx.target == "timeline" else "_timeline_entries.html"
        return render(
            request, f"backoffice/parties/{template}", {"party": party, **timeline_context(request, party)}
        )
    return party_page(request, party)


@require_GET
@employee_required
def party_history(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    party = get_party_for(request.user, uuid)
    if party.uuid != uuid:
        return redirect("backoffice:party_history", uuid=party.uuid)
    return render(
        request, "backoffice/parties/history.html", {"party": party, "history": history_of(party.uuid)[:500]}
    )


def _kind_from(request: EmployeeRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("soort") or PartyKind.PERSON
    return kind if kind in PartyKind.values else PartyKind.PERSON


def _prefill(kind: str, text: str) -> dict[str, str]:
    """Start the new-party form from what was searched for."""
    text = text.strip()[:100]
    digits = compact_digits(text)
    if not text:
        return {}
    if kind == PartyKind.PERSON:
        if len(digits) == 11 and not any(c.isalpha() for c in text):
            return {"national_number": text}
        if any(c.isdigit() for c in text) or "@" in text:
            return {}
        return {"family_name": text}
    if len(digits) in (9, 10) and not any(c.isalpha() for c in text.upper().removeprefix("BE")):
        return {"enterprise_number": text}
    return {} if any(c.isdigit() for c in text) else {"name": text}


def _similar(kind: str, data: dict[str, Any]) -> list[Party]:
    if kind == PartyKind.PERSON:
        return find_similar_persons(
            family_name=data.get("family_name") or "",
            given_name=data.get("given_name") or "",
            birth_date=data.get("birth_date"),
        )
    return find_similar_organisations(name=data.get("name") or "")


@employee_required
def party_create(request: EmployeeRequest) -> HttpResponse:
    kind = _kind_from(request)
    similar: list[Party] = []
    if request.method == "POST":
        form = party_form(kind, request.POST)
        if form.is_valid():
            if request.POST.get("confirmed") != "1":
                similar = _similar(kind, form.cleaned_data)
            if not similar:
                try:
                    party, created = register_party(kind=kind, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    add_domain_errors(form, error)
                else:
                    if created:
                        messages.success(request, _("De klant is geregistreerd."))
                    else:
                        messages.info(
                            request, _("Deze klant bestond al met dit nummer. U ziet de bestaande gegevens.")
                        )
                    return redirect("backoffice:party", uuid=party.uuid)
    else:
        form = party_form(kind, initial=_prefill(kind, request.GET.get("q", "")))
    first = "family_name" if kind == PartyKind.PERSON else "name"
    form.fields[first].widget.attrs["autofocus"] = True
    context = {
        "form": form,
        "kind": kind,
        "kinds": PartyKind.choices,
        "similar": similar,
        "kind_label": PartyKind(kind).label,
    }
    return render(request, "backoffice/parties/create.html", context)


@require_GET
@employee_required
def party_similar(request: EmployeeRequest) -> HttpResponse:
    """Live duplicate suggestions while the new-party form is filled in (htmx)."""
    kind = _kind_from(request)
    form = party_form(kind, request.GET)
    form.is_valid()  # partial input is fine: suggest from what is already clean
    data = getattr(form, "cleaned_data", {})
    return render(
        request, "backoffice/parties/_similar.html", {"similar": _similar(kind, data), "live": True}
    )


@employee_required
def party_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    party = get_party_for(request.user, uuid)
    if party.uuid != uuid:
        return redirect("backoffice:party_edit", uuid=party.uuid)
    if request.method == "POST":
        # Fields an authentic source filled are disabled: they keep the saved value (initial).
        form = party_form(party.kind, request.POST, initial=initial_for(party))
        lock_sourced_fields(form, party)
        if form.is_valid():
            try:
                update_party(party=party, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("De gegevens zijn bewaard."))
                return redirect("backoffice:party", uuid=party.uuid)
    else:
        form = party_form(party.kind, initial=initial_for(party))
        lock_sourced_fields(form, party)
    log_access(request, party)
    return render(request, "backoffice/parties/edit.html", {"party": party, "form": form})
