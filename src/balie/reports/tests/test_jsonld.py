"""A report exported as JSON-LD in the OSLO Melding vocabulary."""

from __future__ import annotations

import json

from balie.reports.actions import register_report, set_report_status
from balie.reports.jsonld import report_as_jsonld
from balie.reports.workflow import ReportStatus

from .conftest import INSIDE


def test_a_report_as_oslo_melding(handler, loose_tile, reporter):
    report = register_report(
        category=loose_tile,
        by=handler,
        description="Tegel ligt los",
        lat=INSIDE[0],
        lon=INSIDE[1],
        reporter=reporter,
    )
    report = set_report_status(report=report, to=ReportStatus.IN_PROGRESS, by=handler, reason="x")
    document = report_as_jsonld(report, base_url="https://balie.zonnedaal.be")
    assert document["@type"] == "Melding"
    assert document["@context"]["Melding"] == "melding:Melding"
    assert document["@context"]["melding"] == "https://data.vlaanderen.be/ns/melding#"
    assert document["meldingstype"]["prefLabel"] == "Wegdek › Losliggende tegel"
    assert document["geometrie"]["wkt"] == f"POINT ({INSIDE[1]} {INSIDE[0]})"
    assert [s["statuswaarde"] for s in document["heeftStatus"]] == ["Nieuw", "In behandeling"]
    assert "indiener" not in document and "Melder" not in json.dumps(document)
    assert report_as_jsonld(report, with_personal_data=True)["indiener"]["naam"] == reporter.display_name
