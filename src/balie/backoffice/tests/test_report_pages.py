"""The report pages: intake without JavaScript (and the nearby check before submitting), the map,
the report page's actions, JSON-LD, stuck work orders, the category admin; outsiders see nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from balie.reports.actions import register_report, save_category
from balie.reports.models import Category, Report, RoutingRule
from balie.reports.setup import ensure_report_case_type
from balie.reports.tests.conftest import INSIDE, jpeg
from balie.reports.workflow import ReportStatus

from .conftest import client_for, html


@pytest.fixture
def report_type(omgeving, functional_admin):
    return ensure_report_case_type(department=omgeving, by=functional_admin)


@pytest.fixture
def loose_tile(report_type, functional_admin, omgeving) -> Category:
    roads = save_category(by=functional_admin, code="wegdek", name="Wegdek", department=omgeving)
    return save_category(by=functional_admin, code="losse-tegel", name="Losliggende tegel", parent=roads)


@pytest.fixture
def reports_client(handler) -> Client:
    return client_for(handler)


def test_intake_without_javascript_then_the_nearby_check(reports_client, handler, loose_tile, settings):
    settings.BALIE_REPORTS_WORK_ORDER_URL = "off"
    url = reverse("backoffice:report_register")
    page = reports_client.get(url)
    assert page.status_code == 200 and 'name="lat"' in html(page) and "leaflet.js" in html(page)
    fields = {"category": loose_tile.pk, "description": "Tegel ligt los", "lat": INSIDE[0], "lon": INSIDE[1]}
    first = reports_client.post(url, fields)
    report = Report.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("backoffice:report", args=[report.uuid])
    # a second one at the same place: the open report nearby is shown, nothing registered yet
    again = reports_client.post(url, fields)
    assert again.status_code == 200 and report.case.number in html(again) and Report.objects.count() == 1
    confirmed = reports_client.post(url, {**fields, "confirmed": "on"})
    assert confirmed.status_code == 302 and Report.objects.count() == 2


def test_the_place_from_the_photo_is_taken_over(reports_client, loose_tile, settings):
    settings.BALIE_REPORTS_WORK_ORDER_URL = "off"
    answer = reports_client.post(
        reverse("backoffice:report_register"),
        {"category": loose_tile.pk, "description": "Foto", "photos": jpeg(gps=(51.1912, 4.6031))},
    )
    assert answer.status_code == 302
    report = Report.objects.get()
    assert (round(report.lat, 4), round(report.lon, 4)) == (51.1912, 4.6031)


def test_a_place_outside_the_municipality_is_shown_at_the_field(reports_client, loose_tile):
    answer = reports_client.post(
        reverse("backoffice:report_register"),
        {"category": loose_tile.pk, "description": "x", "lat": 50.85, "lon": 4.35},
    )
    assert answer.status_code == 200 and "buiten Gemeente Zonnedaal" in html(answer)
    assert Report.objects.count() == 0


def test_map_detail_status_and_jsonld(reports_client, handler, loose_tile):
    report = register_report(
        category=loose_tile, by=handler, description="Tegel", lat=INSIDE[0], lon=INSIDE[1]
    )
    page = reports_client.get(reverse("backoffice:reports") + f"?categorie={loose_tile.code}&status=new")
    assert page.status_code == 200
    assert report.case.number in html(page) and '"lat": 51.19' in html(page)
    detail = reports_client.get(reverse("backoffice:report", args=[report.uuid]))
    assert detail.status_code == 200 and "Nieuwe status" in html(detail)
    moved = reports_client.post(
        reverse("backoffice:report_status", args=[report.uuid]), {"to": "in_progress", "reason": "Ploeg"}
    )
    assert moved.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS
    refused = reports_client.post(reverse("backoffice:report_status", args=[report.uuid]), {"to": "closed"})
    assert refused.status_code == 400 and "kan een melding niet naar" in html(refused)
    ld = reports_client.get(reverse("backoffice:report_jsonld", args=[report.uuid]))
    assert ld["Content-Type"] == "application/ld+json" and json.loads(ld.content)["@type"] == "Melding"
    assert reports_client.get(reverse("backoffice:report_work_orders")).status_code == 200
    # the case page (where the 360° view leads) links to the report
    case_page = reports_client.get(reverse("backoffice:case", args=[report.case.uuid]))
    assert reverse("backoffice:report", args=[report.uuid]) in html(case_page)


def test_the_administrator_keeps_the_categories_and_rules(handler, report_type, omgeving):
    from balie.accounts.actions import create_employee
    from balie.accounts.models import Role

    beheer = create_employee(
        username="beheer2",
        first_name="B",
        last_name="B",
        email="b2@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )
    client = client_for(beheer)
    url = reverse("backoffice:manage_report_categories")
    assert client.get(url).status_code == 200
    created = client.post(
        url,
        {"cat-code": "graffiti", "cat-name": "Graffiti", "cat-department": omgeving.pk, "cat-active": "on"},
    )
    assert created.status_code == 302 and Category.objects.get(code="graffiti").department == omgeving
    rule = client.post(
        reverse("backoffice:manage_routing_rule_add"),
        {
            "rule-order": 5,
            "rule-area_name": "Centrum",
            "rule-min_lat": 51.18,
            "rule-min_lon": 4.58,
            "rule-max_lat": 51.2,
            "rule-max_lon": 4.62,
            "rule-department": omgeving.pk,
        },
    )
    assert rule.status_code == 302 and RoutingRule.objects.get().area_name == "Centrum"
    # a handler is no administrator
    assert client_for(handler).get(url).status_code in (403, 404)


def test_outsiders_see_no_report_page(citizen, handler, loose_tile):
    report = register_report(
        category=loose_tile, by=handler, description="Tegel", lat=INSIDE[0], lon=INSIDE[1]
    )
    pages = [
        reverse("backoffice:reports"),
        reverse("backoffice:report_register"),
        reverse("backoffice:report_work_orders"),
        reverse("backoffice:report", args=[report.uuid]),
        reverse("backoffice:report_jsonld", args=[report.uuid]),
        reverse("backoffice:manage_report_categories"),
    ]
    posts = [
        reverse("backoffice:report_status", args=[report.uuid]),
        reverse("backoffice:report_duplicate", args=[report.uuid]),
        reverse("backoffice:report_forward", args=[report.uuid]),
        reverse("backoffice:report_resend", args=[report.uuid]),
        reverse("backoffice:report_ask_reopen", args=[report.uuid]),
        reverse("backoffice:manage_routing_rule_add"),
    ]
    outsider = client_for(citizen)
    anonymous = Client()
    for url in pages:
        assert outsider.get(url).status_code == 404, url
        assert anonymous.get(url).status_code == 302, url
    for url in posts:
        assert outsider.post(url, {"to": "in_progress", "text": "x"}).status_code == 404, url
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW and report.reopen_requests.count() == 0
