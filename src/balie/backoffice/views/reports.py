"""Reports (meldingen) in the back-office: intake (a map with Leaflet, or plain fields without
JavaScript), the map of open reports, the report page with its actions, the category tree and
routing rules (functional administrator), stuck work orders."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from balie.accounts.models import Department
from balie.accounts.permissions import can_manage_catalogue, can_reopen_case
from balie.cases.models import CaseDocument
from balie.parties.queries import get_party_ref_for
from balie.reports import actions
from balie.reports.geo import boundary, centre
from balie.reports.jsonld import report_as_jsonld
from balie.reports.models import Category, Report, RoutingRule, SendState
from balie.reports.photos import prepare_photo
from balie.reports.queries import (
    categories,
    get_report_for,
    leaf_categories,
    nearby_open_reports,
    open_reports_on_map,
    stuck_work_orders,
)
from balie.reports.workflow import ReportStatus, allowed_next

from ..access import EmployeeRequest, employee_required, permission_required
from ..forms.common import add_domain_errors


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=gettext_lazy("Categorie"))
    description = forms.CharField(
        label=gettext_lazy("Wat is er aan de hand?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    lat = forms.FloatField(
        label=gettext_lazy("Breedtegraad"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    lon = forms.FloatField(
        label=gettext_lazy("Lengtegraad"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    address = forms.CharField(
        label=gettext_lazy("Adres of plaatsomschrijving"), required=False, max_length=200
    )
    photos = MultipleFileField(
        label=gettext_lazy("Foto's"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG of WebP; de plaats in de foto wordt voorgesteld."),
    )
    reporter = forms.UUIDField(required=False, widget=forms.HiddenInput)
    confirmed = forms.BooleanField(
        required=False,
        label=gettext_lazy("Dit is geen van de meldingen hierboven: toch registreren"),
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaves = leaf_categories()
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.filter(pk__in=[c.pk for c in leaves])


def _map_context() -> dict[str, Any]:
    return {
        "tile_url": settings.BALIE_REPORTS_TILE_URL,
        "tile_attribution": settings.BALIE_REPORTS_TILE_ATTRIBUTION,
        "map_centre": list(centre()),
        "map_boundary": [list(p) for p in boundary()],
    }


@employee_required
def report_register(request: EmployeeRequest) -> HttpResponse:
    reporter = None
    reporter_id = request.GET.get("klant") or request.POST.get("reporter")
    if reporter_id:
        reporter = get_party_ref_for(request.user, reporter_id)
    form = ReportForm(request.POST or None, request.FILES or None, initial={"reporter": reporter_id})
    nearby: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lat, lon = data["lat"], data["lon"]
        try:
            prepared = [prepare_photo(photo) for photo in data["photos"]]
        except ValidationError as error:
            add_domain_errors(form, error)
            prepared = []
        if not form.errors and lat is None and lon is None and not data["address"].strip():
            located = next((p.gps for p in prepared if p.gps), None)
            if located:
                lat, lon = located
                messages.info(request, _("De plaats is overgenomen uit de foto."))
        if not form.errors and lat is not None and lon is not None and not data["confirmed"]:
            nearby = nearby_open_reports(category=data["category"], lat=lat, lon=lon)
        if not form.errors and not nearby:
            try:
                report = actions.register_report(
                    category=data["category"],
                    by=request.user,
                    description=data["description"],
                    lat=lat,
                    lon=lon,
                    address=data["address"],
                    reporter=reporter,
                    channel="counter",
                    prepared_photos=prepared,
                )
            except ValidationError as error:
                add_domain_errors(form, error, rename={"location": "lat"})
            else:
                messages.success(
                    request, _("Melding %(number)s geregistreerd.") % {"number": report.case.number}
                )
                return redirect("backoffice:report", report.uuid)
        if nearby:
            shown = request.POST.copy()
            shown["lat"], shown["lon"] = str(lat), str(lon)
            form.data = shown
    return render(
        request,
        "backoffice/reports/register.html",
        {"form": form, "nearby": nearby, "reporter": reporter, **_map_context()},
    )


@employee_required
def report_map(request: EmployeeRequest) -> HttpResponse:
    category = None
    if request.GET.get("categorie"):
        category = Category.objects.filter(code=request.GET["categorie"]).first()
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    department_id = request.GET.get("dienst", "")
    reports = open_reports_on_map(
        request.user,
        category=category,
        status=status,
        department_id=int(department_id) if department_id.isdigit() else None,
    )
    points = [
        {
            "lat": r.lat,
            "lon": r.lon,
            "title": f"{r.case.number} {r.category}",
            "url": f"/meldingen/{r.uuid}",
            "status": r.get_status_display(),
        }
        for r in reports
    ]
    return render(
        request,
        "backoffice/reports/map.html",
        {
            "reports": reports,
            "points": points,
            "categories": categories(),
            "statuses": [(s, ReportStatus(s).label) for s in ("new", "forwarded", "in_progress")],
            "departments": Department.objects.order_by("name"),
            "chosen": {
                "categorie": request.GET.get("categorie", ""),
                "status": status,
                "dienst": department_id,
            },
            **_map_context(),
        },
    )


def _detail(request: EmployeeRequest, report: Report, status: int = 200, **extra: Any) -> HttpResponse:
    photos = CaseDocument.objects.filter(case=report.case).select_related("document").order_by("id")
    context = {
        "report": report,
        "case": report.case,
        "next_statuses": [
            (s, ReportStatus(s).label) for s in allowed_next(report.status) if s != ReportStatus.DUPLICATE
        ],
        "may_mark_duplicate": ReportStatus.DUPLICATE in allowed_next(report.status),
        "photos": photos,
        "duplicates": report.duplicates.select_related("case"),
        "reopen_requests": report.reopen_requests.order_by("-asked_at"),
        "may_decide_reopen": can_reopen_case(request.user),
        "may_forward": report.is_open
        and report.send_state == SendState.NOT_SENT
        and actions.work_orders_enabled(),
        "may_resend": report.send_state == SendState.FAILED,
        "nearby": nearby_open_reports(
            category=report.category, lat=report.lat, lon=report.lon, exclude=report
        )
        if report.lat is not None and report.lon is not None and report.is_open
        else [],
        **_map_context(),
        **extra,
    }
    return render(request, "backoffice/reports/detail.html", context, status=status)


@employee_required
def report_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _detail(request, get_report_for(request.user, uuid))


def _act(request: EmployeeRequest, uuid: uuid.UUID, do: Any, done: str) -> HttpResponse:
    report = get_report_for(request.user, uuid)
    try:
        do(report)
    except ValidationError as error:
        return _detail(request, report, status=400, errors=error.messages)
    messages.success(request, done)
    return redirect("backoffice:report", report.uuid)


@require_POST
@employee_required
def report_status(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        uuid,
        lambda r: actions.set_report_status(
            report=r, to=request.POST.get("to", ""), by=request.user, reason=request.POST.get("reason", "")
        ),
        _("De status is aangepast."),
    )


@require_POST
@employee_required
def report_duplicate(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    def do(report: Report) -> None:
        number = request.POST.get("of", "").strip().upper()
        original = Report.objects.filter(case__number=number).first()
        if original is None:
            raise ValidationError(_("Er is geen melding met nummer %(number)s.") % {"number": number})
        get_report_for(request.user, original.uuid)
        actions.mark_duplicate(
            report=report, of=original, by=request.user, reason=request.POST.get("reason", "")
        )

    return _act(request, uuid, do, _("De melding is als dubbel samengevoegd."))


@require_POST
@employee_required
def report_forward(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        uuid,
        lambda r: actions.forward_report(report=r, by=request.user),
        _("De melding wordt doorgestuurd."),
    )


@require_POST
@employee_required
def report_resend(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        uuid,
        lambda r: actions.resend_work_order(report=r, by=request.user),
        _("De werkorder wordt opnieuw verstuurd."),
    )


@require_POST
@employee_required
def report_ask_reopen(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        uuid,
        lambda r: actions.ask_reopen(report=r, by=request.user, text=request.POST.get("text", "")),
        _("De vraag om heropening is genoteerd."),
    )


@require_POST
@employee_required
def report_decide_reopen(request: EmployeeRequest, uuid: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    def do(report: Report) -> None:
        ask = report.reopen_requests.filter(uuid=request_id).first()
        if ask is None:
            raise ValidationError(_("Deze vraag bestaat niet."))
        actions.decide_reopen(
            request=ask,
            by=request.user,
            grant=request.POST.get("grant") == "1",
            reason=request.POST.get("reason", ""),
        )

    return _act(request, uuid, do, _("De beslissing is genoteerd."))


@employee_required
def report_jsonld(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    report = get_report_for(request.user, uuid)
    document = report_as_jsonld(report, base_url=request.build_absolute_uri("/").rstrip("/"))
    return JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


@employee_required
def work_orders_stuck(request: EmployeeRequest) -> HttpResponse:
    return render(
        request, "backoffice/reports/stuck.html", {"reports": stuck_work_orders(request.user)[:200]}
    )


# --- the functional administrator ----------------------------------------------------------


class CategoryForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code (Open311 service_code)"), max_length=60)
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=120)
    parent = forms.ModelChoiceField(
        queryset=Category.objects.filter(parent__isnull=True),
        required=False,
        label=gettext_lazy("Hoofdcategorie"),
    )
    description = forms.CharField(label=gettext_lazy("Omschrijving"), max_length=300, required=False)
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        label=gettext_lazy("Behandelende dienst"),
    )
    forward_to_work_orders = forms.BooleanField(
        label=gettext_lazy("Doorsturen naar het werkorderbeheer"), required=False
    )
    active = forms.BooleanField(label=gettext_lazy("Actief"), required=False, initial=True)


class RuleForm(forms.Form):
    order = forms.IntegerField(label=gettext_lazy("Volgorde"), initial=10, min_value=0)
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), required=False, label=gettext_lazy("Categorie (leeg: alle)")
    )
    area_name = forms.CharField(label=gettext_lazy("Gebied"), required=False, max_length=100)
    min_lat = forms.FloatField(label=gettext_lazy("Zuidgrens"), required=False)
    min_lon = forms.FloatField(label=gettext_lazy("Westgrens"), required=False)
    max_lat = forms.FloatField(label=gettext_lazy("Noordgrens"), required=False)
    max_lon = forms.FloatField(label=gettext_lazy("Oostgrens"), required=False)
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"), label=gettext_lazy("Dienst")
    )


@permission_required(can_manage_catalogue)
def manage_categories(request: EmployeeRequest) -> HttpResponse:
    editing = None
    if request.GET.get("categorie"):
        editing = Category.objects.filter(uuid=request.GET["categorie"]).first()
    initial = (
        {
            "code": editing.code,
            "name": editing.name,
            "parent": editing.parent,
            "description": editing.description,
            "department": editing.department,
            "forward_to_work_orders": editing.forward_to_work_orders,
            "active": editing.active,
        }
        if editing
        else {"active": True}
    )
    form = CategoryForm(request.POST or None, initial=initial, prefix="cat")
    rule_form = RuleForm(prefix="rule")
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_category(by=request.user, category=editing, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De categorie is bewaard."))
            return redirect("backoffice:manage_report_categories")
    return render(
        request,
        "backoffice/reports/categories.html",
        {
            "categories": categories(active_only=False).order_by("parent__name", "name"),
            "form": form,
            "editing": editing,
            "rule_form": rule_form,
            "rules": RoutingRule.objects.select_related("category", "department"),
        },
    )


@require_POST
@permission_required(can_manage_catalogue)
def manage_routing_rule_add(request: EmployeeRequest) -> HttpResponse:
    form = RuleForm(request.POST, prefix="rule")
    if form.is_valid():
        data = form.cleaned_data
        corners = [data["min_lat"], data["min_lon"], data["max_lat"], data["max_lon"]]
        try:
            actions.add_routing_rule(
                by=request.user,
                department=data["department"],
                category=data["category"],
                area_name=data["area_name"],
                box=(corners[0], corners[1], corners[2], corners[3]) if None not in corners else None,
                order=data["order"],
            )
            messages.success(request, _("De regel is toegevoegd."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Vul de regel volledig in."))
    return redirect("backoffice:manage_report_categories")


@require_POST
@permission_required(can_manage_catalogue)
def manage_routing_rule_remove(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    rule = RoutingRule.objects.filter(uuid=uuid).first()
    if rule is not None:
        actions.remove_routing_rule(rule=rule, by=request.user)
        messages.success(request, _("De regel is verwijderd."))
    return redirect("backoffice:manage_report_categories")
