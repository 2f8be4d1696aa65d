"""Open311 GeoReport v2 server (http://wiki.open311.org/GeoReport_v2) under `/api/open311/v2/`.

Discovery, the service list (the active leaf report categories: `service_code` is the category's
code, `group` its parent), service definitions, creating a service request (with `api_key`: the
token of an API application with the scope `reports:write`, acting as its system account),
tokens, searching requests and reading one, each in XML (`.xml`) and JSON (`.json`). Errors are the
spec's list of `{code, description}` with a 4xx status. Reads are public, as the spec means them:
never the reporter, nothing of a confidential case.

A request is registered through `reports.actions.register_report`, like one from the counter: the
same checks (a place in the municipality, a known category), the same case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from balie.reports.actions import check_report, register_report
from balie.reports.models import Category, Report
from balie.reports.queries import leaf_categories, public_reports, reporter_for_contact

from .models import Scope
from .queries import find_application_for_token

FORMATS = ("json", "xml")
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000


# --- answers -----------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, name: str, value: Any) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, list):
        item_name = {
            "keywords": "keyword",
            "formats": "format",
            "values": "value",
            "attributes": "attribute",
            "endpoints": "endpoint",
        }.get(name, "item")
        for item in value:
            if isinstance(item, Mapping):
                element = ET.SubElement(child, item_name)
                for key, sub in item.items():
                    _xml_value(element, key, sub)
            else:
                ET.SubElement(child, item_name).text = _text(item)
    elif isinstance(value, Mapping):
        for key, sub in value.items():
            _xml_value(child, key, sub)
    else:
        child.text = _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _answer(
    fmt: str, root: str, item: str, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any], status: int = 200
) -> HttpResponse:
    """A list of objects (or one object, for discovery and a service definition)."""
    if fmt == "json":
        return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    top = ET.Element(root)
    if isinstance(rows, Mapping):
        for key, value in rows.items():
            _xml_value(top, key, value)
    else:
        for row in rows:
            element = ET.SubElement(top, item)
            for key, value in row.items():
                _xml_value(element, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(
        top, encoding="utf-8", xml_declaration=False
    )
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _answer(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


def _jurisdiction_error(request: HttpRequest, fmt: str) -> HttpResponse | None:
    given = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if given and given != settings.BALIE_OPEN311_JURISDICTION:
        return _error(fmt, 404, "jurisdiction_id not found")
    return None


def _iso(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/api/open311/v2/")


# --- discovery and services ------------------------------------------------------------------


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return _error(fmt, 405, "method not allowed")
    body = {
        "changeset": "2026-11-29T00:00:00+01:00",
        "contact": f"{settings.BALIE_MUNICIPALITY_NAME}, {settings.BALIE_MUNICIPALITY_EMAIL}",
        "key_service": "Vraag een API-sleutel aan bij de functioneel beheerder van de gemeente.",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": _base(request).rstrip("/"),
                "changeset": "2026-11-29T00:00:00+01:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return _answer(fmt, "discovery", "", body)


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.parent.name if category.parent_id and category.parent else "",
    }


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return _error(fmt, 405, "method not allowed")
    if (refused := _jurisdiction_error(request, fmt)) is not None:
        return refused
    return _answer(fmt, "services", "service", [_service(c) for c in leaf_categories()])


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if (refused := _jurisdiction_error(request, fmt)) is not None:
        return refused
    category = next((c for c in leaf_categories() if c.code == code), None)
    if category is None:
        return _error(fmt, 404, "service_code not found")
    return _answer(fmt, "service_definition", "", {"service_code": category.code, "attributes": []})


# --- requests --------------------------------------------------------------------------------


def _request_row(report: Report) -> dict[str, Any]:
    return {
        "service_request_id": report.case.number,
        "status": "open" if report.is_open else "closed",
        "status_notes": report.get_status_display(),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.case.department.name,
        "service_notice": "",
        "requested_datetime": _iso(report.reported_at),
        "updated_datetime": _iso(report.updated_at),
        "expected_datetime": _iso(
            timezone.make_aware(dt.datetime.combine(report.case.deadline, dt.time(17, 0)))
        ),
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": report.lat if report.lat is not None else "",
        "long": report.lon if report.lon is not None else "",
        "media_url": "",
    }


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = data.get("api_key", "").strip()
    if not key:
        return _error(fmt, 400, "api_key missing")
    application = find_application_for_token(key)
    if application is None or not application.has_scope(Scope.REPORTS_WRITE):
        return _error(fmt, 403, "api_key not valid")
    if (refused := _jurisdiction_error(request, fmt)) is not None:
        return refused
    code = data.get("service_code", "").strip()
    if not code:
        return _error(fmt, 400, "service_code missing")
    category = next((c for c in leaf_categories() if c.code == code), None)
    if category is None:
        return _error(fmt, 404, "service_code not found")
    lat, lon = _float(data.get("lat", "")), _float(data.get("long", ""))
    address = (data.get("address_string") or data.get("address_id") or "").strip()[:200]
    if (lat is None or lon is None) and not address:
        return _error(fmt, 400, "lat and long, address_string or address_id required")
    description = data.get("description", "").strip() or category.name
    by = application.user
    try:
        check_report(
            category=category, description=description, lat=lat, lon=lon, address=address, reporter=None
        )
        with transaction.atomic():
            reporter = reporter_for_contact(
                email=data.get("email", ""),
                given_name=data.get("first_name", ""),
                family_name=data.get("last_name", ""),
                phone=data.get("phone", ""),
                by=by,
            )
            report = register_report(
                category=category,
                by=by,
                description=description[:5000],
                lat=lat,
                lon=lon,
                address=address,
                reporter=reporter,
                channel="open311",
            )
    except ValidationError as error:
        return _error(fmt, 400, " ".join(error.messages)[:500])
    row = {
        "service_request_id": report.case.number,
        "token": str(report.uuid),
        "service_notice": "",
        "account_id": "",
    }
    return _answer(fmt, "service_requests", "request", [row])


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    query = request.GET
    rows = public_reports()
    ids = [part.strip() for part in query.get("service_request_id", "").split(",") if part.strip()]
    if ids:
        rows = rows.filter(case__number__in=ids[:MAX_REQUESTS])
    else:
        if query.get("service_code"):
            rows = rows.filter(category__code__in=[c.strip() for c in query["service_code"].split(",")])
        start = parse_datetime(query.get("start_date", "")) if query.get("start_date") else None
        end = parse_datetime(query.get("end_date", "")) if query.get("end_date") else None
        if (query.get("start_date") and start is None) or (query.get("end_date") and end is None):
            return _error(fmt, 400, "start_date and end_date are W3C dates (2026-11-29T10:00:00+01:00)")
        if start is None and end is None:
            start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
        if start is not None:
            rows = rows.filter(reported_at__gte=start)
        if end is not None:
            rows = rows.filter(reported_at__lte=end)
        status = query.get("status", "").strip()
        if status and status not in ("open", "closed"):
            return _error(fmt, 400, "status is open or closed")
        if status:
            rows = rows.filter(is_open=status == "open")
    found = rows.order_by("-reported_at", "-id")[:MAX_REQUESTS]
    return _answer(fmt, "service_requests", "request", [_request_row(r) for r in found])


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return _error(fmt, 405, "method not allowed")
    if (refused := _jurisdiction_error(request, fmt)) is not None:
        return refused
    return _search(request, fmt)


def one_request(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if (refused := _jurisdiction_error(request, fmt)) is not None:
        return refused
    report = public_reports().filter(case__number=request_id).first()
    if report is None:
        return _error(fmt, 404, "service_request_id not found")
    return _answer(fmt, "service_requests", "request", [_request_row(report)])


def token(request: HttpRequest, token_id: str, fmt: str) -> HttpResponse:
    report = None
    try:
        report = public_reports().filter(uuid=token_id).first()
    except ValidationError:
        report = None
    if report is None:
        return _error(fmt, 404, "token not found")
    return _answer(
        fmt, "service_requests", "request", [{"service_request_id": report.case.number, "token": token_id}]
    )
