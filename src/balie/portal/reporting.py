"""The e-loket's complaints and reports: file a complaint, report a problem in the public space (a
place on a map, or coordinates or an address without JavaScript, and photos), and follow one's own
reports. Thin, like every e-loket page: validate, fetch for the party the citizen acts for, call
one action, render."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from balie.accounts.actions import system_account
from balie.accounts.models import Department, User
from balie.cases.queries import customer_status_history
from balie.cases.registries import Intake, intake_handlers
from balie.complaints.queries import complaint_intake_department
from balie.contact_moments.models import Channel
from balie.core.ratelimit import allow
from balie.documents.files import document_storage
from balie.reports.actions import register_report
from balie.reports.geo import boundary, centre
from balie.reports.photos import prepare_photo, thumbnail
from balie.reports.queries import (
    get_photo_of_reporter,
    get_report_of_reporter,
    leaf_categories,
    nearby_open_reports,
    photos_of_report,
)
from balie.reports.setup import report_case_type

from .access import CitizenRequest, citizen_required, pending_form
from .reporting_forms import ComplaintForm, ReportForm

HOUR = dt.timedelta(hours=1)


def _portal_account(department: Department) -> User:
    """The e-loket's system account, registering for `department` (call inside a transaction)."""
    return system_account(key="e-loket", name=_("E-loket"), department=department)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/too_many.html", status=429)


def _allowed(request: HttpRequest, scope: str) -> bool:
    citizen = cast(CitizenRequest, request)
    return allow(
        scope=scope,
        key=str(citizen.person.uuid),
        limit=settings.BALIE_PORTAL_QUESTIONS_PER_HOUR,
        per=HOUR,
    )


def _add_errors(form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """An action's refusal, shown next to the field it is about (else above the form)."""
    rename = rename or {}
    problems = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
    for field, texts in problems:
        target = rename.get(field, field)
        for text in texts:
            form.add_error(target if target in form.fields else None, text)


# -- a complaint ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@citizen_required
def complaint(request: HttpRequest) -> HttpResponse:
    """A complaint about what the municipality did or failed to do: the complaint flow's intake
    ("complaint" in cases.registries.intake_handlers) on the web channel, with the citizen (or the
    organisation they act for) as complainant. It is a case: the citizen follows it in "Mijn zaken"."""
    citizen = cast(CitizenRequest, request)
    form = ComplaintForm(request.POST or None, initial=pending_form(request))
    if request.method == "POST" and not _allowed(request, "portal.complaint"):
        return _too_many(request)
    if request.method == "POST" and form.is_valid():
        department = complaint_intake_department()
        if department is None:
            form.add_error(None, _("Een klacht indienen kan nu niet. Probeer het later opnieuw of bel ons."))
        else:
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    case = intake_handlers.get("complaint")(
                        Intake(
                            kind="complaint",
                            channel=Channel.WEB,
                            party=citizen.party,
                            subject=data["subject"],
                            text=data["text"],
                            received_at=timezone.now(),
                            by=_portal_account(department),
                            source="e-loket",
                            extra={"theme": data["theme"], "facts_on": data["facts_on"]},
                        )
                    )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Uw klacht is ontvangen met dossiernummer %(number)s.") % {"number": case.number},
                )
                return HttpResponseRedirect(reverse("portal:case", args=[case.uuid]))
    return render(
        request,
        "portal/complaint.html",
        {
            "form": form,
            "party": citizen.party,
            "person": citizen.person,
            "acknowledge_days": settings.BALIE_COMPLAINT_ACKNOWLEDGE_DAYS,
            "answer_days": settings.BALIE_COMPLAINT_ANSWER_DAYS,
        },
        status=400 if form.errors else 200,
    )


# -- a report -------------------------------------------------------------------------------------


def _map_context() -> dict[str, Any]:
    return {
        "tile_url": settings.BALIE_REPORTS_TILE_URL,
        "tile_attribution": settings.BALIE_REPORTS_TILE_ATTRIBUTION,
        "map_centre": list(centre()),
        "map_boundary": [list(p) for p in boundary()],
    }


@require_http_methods(["GET", "POST"])
@citizen_required
def report_new(request: HttpRequest) -> HttpResponse:
    """A problem in the public space (a loose tile, a broken street light): a category, a place and
    photos. Open reports of the same category close by are shown first, so that the same problem
    is not reported twice; the citizen may still send theirs."""
    citizen = cast(CitizenRequest, request)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        categories=leaf_categories(),
        initial=pending_form(request),
    )
    nearby: list[Any] = []
    if request.method == "POST" and not _allowed(request, "portal.report"):
        return _too_many(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lat, lon, address = data["lat"], data["lon"], data["address"]
        prepared = []
        try:
            prepared = [prepare_photo(photo) for photo in data["photos"]]
        except ValidationError as error:
            _add_errors(form, error)
        if not form.errors and lat is None and lon is None and not address.strip():
            located = next((p.gps for p in prepared if p.gps), None)
            if located:
                lat, lon = located
                messages.info(request, _("De plaats is overgenomen uit uw foto."))
        if not form.errors and lat is not None and lon is not None and not data["confirmed"]:
            nearby = nearby_open_reports(category=data["category"], lat=lat, lon=lon, public_only=True)
        case_type = report_case_type()
        if not form.errors and not nearby and case_type is None:
            form.add_error(None, _("Een probleem melden kan nu niet. Probeer het later opnieuw of bel ons."))
        elif not form.errors and not nearby and case_type is not None:
            try:
                with transaction.atomic():
                    report = register_report(
                        category=data["category"],
                        by=_portal_account(case_type.department),
                        description=data["description"],
                        lat=lat,
                        lon=lon,
                        address=address,
                        reporter=citizen.party,
                        channel="web",
                        prepared_photos=prepared,
                    )
            except ValidationError as error:
                _add_errors(form, error, rename={"location": "lat"})
            else:
                messages.success(
                    request,
                    _("Uw melding is ontvangen met nummer %(number)s. Hier volgt u ze op.")
                    % {"number": report.case.number},
                )
                return HttpResponseRedirect(reverse("portal:report", args=[report.uuid]))
        if nearby:
            shown = request.POST.copy()
            shown["lat"], shown["lon"] = str(lat), str(lon)
            form.data = shown
    return render(
        request,
        "portal/report_new.html",
        {
            "form": form,
            "nearby": nearby,
            "had_photos": bool(request.FILES),
            "party": citizen.party,
            "person": citizen.person,
            **_map_context(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@citizen_required
def report_page(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """One of the citizen's own reports: where, what, its status history and its photos."""
    citizen = cast(CitizenRequest, request)
    report = get_report_of_reporter(citizen.party, report_id)
    return render(
        request,
        "portal/report.html",
        {
            "report": report,
            "case": report.case,
            "history": customer_status_history(report.case),
            "photos": list(photos_of_report(report)),
            **_map_context(),
        },
    )


@require_GET
@citizen_required
def report_photo(
    request: HttpRequest, report_id: uuid.UUID, photo_id: uuid.UUID, small: bool = False
) -> HttpResponseBase:
    """A photo of the citizen's own report (small: a thumbnail), shown in the page, never cached."""
    citizen = cast(CitizenRequest, request)
    version = get_photo_of_reporter(citizen.party, report_id, photo_id)
    if not version.file.name:
        raise Http404
    try:
        handle = document_storage().open(version.file.name, "rb")
    except OSError:
        raise Http404 from None
    response: HttpResponseBase
    if small:
        with handle:
            try:
                response = HttpResponse(thumbnail(handle.read()), content_type="image/jpeg")
            except (OSError, ValueError):  # not (or no longer) a readable image
                raise Http404 from None
    else:
        response = FileResponse(handle, content_type=version.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
