"""A GeoReport v2 client, written from the spec (http://wiki.open311.org/GeoReport_v2), lists the
services, reads a definition, posts a request with its api_key, and reads it back, in JSON and XML;
bad requests get the spec's error list and store nothing."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from balie.api.actions import create_api_application
from balie.api.models import Scope
from balie.cases.models import Case
from balie.parties.models import ContactPoint
from balie.reports.models import Report
from balie.reports.tests.conftest import INSIDE, OUTSIDE


class GeoReportClient:
    """The client side of GeoReport v2: format by extension, form-encoded POST, XML or JSON."""

    def __init__(self, base: str, fmt: str, jurisdiction: str = "zonnedaal.be") -> None:
        self.http = Client()
        self.base, self.fmt, self.jurisdiction = base, fmt, jurisdiction

    def _parse(self, response: Any) -> tuple[int, Any]:
        if self.fmt == "json":
            return response.status_code, json.loads(response.content)
        root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
        return response.status_code, root

    def get(self, path: str, **params: str) -> tuple[int, Any]:
        query = urllib.parse.urlencode({"jurisdiction_id": self.jurisdiction, **params})
        return self._parse(self.http.get(f"{self.base}{path}.{self.fmt}?{query}", secure=True))

    def post(self, path: str, **fields: str) -> tuple[int, Any]:
        body = urllib.parse.urlencode({"jurisdiction_id": self.jurisdiction, **fields})
        return self._parse(
            self.http.post(
                f"{self.base}{path}.{self.fmt}",
                data=body,
                content_type="application/x-www-form-urlencoded",
                secure=True,
            )
        )


def _rows(fmt: str, answer: Any) -> list[dict[str, str]]:
    """Both formats as a list of flat dicts (XML: children of the root, their text)."""
    if fmt == "json":
        return [
            {k: "" if v is None else str(v) for k, v in row.items() if not isinstance(v, (list, dict))}
            for row in answer
        ]
    return [{child.tag: child.text or "" for child in element} for element in answer]


@pytest.fixture
def api_key(omgeving) -> str:
    _application, token = create_api_application(
        name="Meldingsapp", department=omgeving, scopes=[Scope.REPORTS_WRITE], by=None
    )
    return token


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_client_lists_posts_and_reads_back(fmt, api_key, loose_tile, street_light, settings):
    settings.BALIE_REPORTS_WORK_ORDER_URL = "off"
    client = GeoReportClient("/api/open311/v2/", fmt)

    status, discovery = client.get("discovery")
    assert status == 200
    if fmt == "json":
        assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    else:
        assert (
            discovery.find("endpoints/endpoint/specification").text == "http://wiki.open311.org/GeoReport_v2"
        )

    status, services = client.get("services")
    listed = _rows(fmt, services)
    assert status == 200
    assert [(s["service_code"], s["group"], s["type"]) for s in listed] == [
        ("straatlicht", "", "realtime"),
        ("losse-tegel", "Wegdek", "realtime"),
    ]

    status, definition = client.get("services/losse-tegel")
    assert status == 200
    code = definition["service_code"] if fmt == "json" else definition.find("service_code").text
    assert code == "losse-tegel"

    status, created = client.post(
        "requests",
        api_key=api_key,
        service_code="losse-tegel",
        lat=str(INSIDE[0]),
        long=str(INSIDE[1]),
        description="Tegel ligt los aan de bushalte",
        email="jan@example.be",
        first_name="Jan",
        last_name="Janssens",
    )
    assert status == 200
    [row] = _rows(fmt, created)
    request_id = row["service_request_id"]
    report = Report.objects.get(case__number=request_id)
    assert (report.channel, report.reporter.family_name) == ("open311", "Janssens")
    assert ContactPoint.objects.filter(party=report.reporter, value="jan@example.be").exists()

    status, resolved = client.get(f"tokens/{row['token']}")
    assert _rows(fmt, resolved)[0]["service_request_id"] == request_id

    status, one = client.get(f"requests/{request_id}")
    [read] = _rows(fmt, one)
    assert status == 200
    assert (read["status"], read["service_code"], read["description"]) == (
        "open",
        "losse-tegel",
        "Tegel ligt los aan de bushalte",
    )
    assert float(read["lat"]) == INSIDE[0] and float(read["long"]) == INSIDE[1]
    assert "Janssens" not in json.dumps(read) and "jan@example.be" not in json.dumps(read)

    status, found = client.get("requests", status="open", service_code="losse-tegel")
    assert [r["service_request_id"] for r in _rows(fmt, found)] == [request_id]
    status, none_closed = client.get("requests", status="closed")
    assert _rows(fmt, none_closed) == []


@pytest.mark.parametrize(
    ("fields", "status", "description"),
    [
        (
            {"service_code": "losse-tegel", "lat": str(INSIDE[0]), "long": str(INSIDE[1])},
            400,
            "api_key missing",
        ),
        (
            {"api_key": "bal_wrong", "service_code": "losse-tegel", "address_string": "Kerkstraat 1"},
            403,
            "api_key not valid",
        ),
        ({"service_code": "onbekend", "address_string": "Kerkstraat 1"}, 404, "service_code not found"),
        ({"service_code": "losse-tegel"}, 400, "lat and long, address_string or address_id required"),
        (
            {
                "service_code": "losse-tegel",
                "lat": str(OUTSIDE[0]),
                "long": str(OUTSIDE[1]),
                "email": "x@example.be",
            },
            400,
            "Deze plaats ligt buiten Gemeente Zonnedaal: wij kunnen er niets aan doen.",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_requests_get_the_spec_errors_and_store_nothing(
    fmt, fields, status, description, api_key, loose_tile
):
    client = GeoReportClient("/api/open311/v2/", fmt)
    if description != "api_key missing" and "api_key" not in fields:
        fields = {"api_key": api_key, **fields}
    answer_status, answer = client.post("requests", **fields)
    assert answer_status == status
    assert _rows(fmt, answer) == [{"code": str(status), "description": description}]
    assert (
        Report.objects.count(),
        Case.objects.count(),
        ContactPoint.objects.filter(value="x@example.be").count(),
    ) == (0, 0, 0)


def test_a_wrong_jurisdiction_is_not_found(loose_tile):
    status, answer = GeoReportClient("/api/open311/v2/", "json", jurisdiction="elders.be").get("services")
    assert (status, answer) == (404, [{"code": 404, "description": "jurisdiction_id not found"}])
