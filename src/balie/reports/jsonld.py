"""Reports as JSON-LD in the OSLO vocabulary for reports (Issue tracking voor burgers en
organisaties, https://data.vlaanderen.be/ns/melding#): a `Melding` with its title, summary, type
(the category), body (description), place (a WKT point, locn:geometry), address, status history
(`Meldingstatus`: value, date, changed by — the department, never a named employee), the handling
organisation and, only when `with_personal_data`, the reporter. Photos are named by their
documents' ids, never their contents.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from balie.cases.models import CaseDocument, CaseStatus

from .models import Report

CONTEXT: dict[str, Any] = {
    "melding": "https://data.vlaanderen.be/ns/melding#",
    "dct": "http://purl.org/dc/terms/",
    "as": "https://www.w3.org/ns/activitystreams#",
    "oa": "http://www.w3.org/ns/oa#",
    "locn": "http://www.w3.org/ns/locn#",
    "geosparql": "http://www.opengis.net/ont/geosparql#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "Melding": "melding:Melding",
    "MeldingBody": "melding:MeldingBody",
    "Meldingstatus": "melding:Meldingstatus",
    "titel": "dct:title",
    "samenvatting": "as:summary",
    "meldingstype": {"@id": "oa:motivatedBy", "@type": "@id"},
    "heeftBody": "oa:hasBody",
    "beschrijving": "dct:description",
    "bijlage": {"@id": "as:attachment", "@type": "@id"},
    "geometrie": "locn:geometry",
    "wkt": {"@id": "geosparql:asWKT", "@type": "geosparql:wktLiteral"},
    "adres": "locn:fullAddress",
    "indiener": "melding:indiener",
    "behandelaar": "melding:behandelaar",
    "meldingsorganisatie": "melding:meldingsorganisatie",
    "heeftStatus": "melding:heeftStatus",
    "statuswaarde": "melding:statuswaarde",
    "statusdatum": {"@id": "melding:statusdatum", "@type": "xsd:dateTime"},
    "statuswijzigingDoor": "melding:statuswijzigingDoor",
    "naam": "foaf:name",
    "prefLabel": "skos:prefLabel",
    "aangemaakt": {"@id": "dct:created", "@type": "xsd:dateTime"},
    "identificator": "dct:identifier",
}


def report_as_jsonld(
    report: Report, *, base_url: str = "", with_personal_data: bool = False
) -> dict[str, Any]:
    case = report.case
    base = base_url.rstrip("/")
    statuses = CaseStatus.objects.filter(case=case).select_related("status_type").order_by("sequence")
    document = {
        "@context": CONTEXT,
        "@id": f"{base}/meldingen/{report.uuid}",
        "@type": "Melding",
        "identificator": case.number,
        "titel": case.subject,
        "samenvatting": report.description[:200],
        "aangemaakt": report.reported_at.isoformat(),
        "meldingstype": {
            "@id": f"{base}/meldingen/categorieen/{report.category.code}",
            "@type": "skos:Concept",
            "prefLabel": str(report.category),
        },
        "heeftBody": {"@type": "MeldingBody", "beschrijving": report.description},
        "behandelaar": {"@type": "foaf:Organization", "naam": case.department.name},
        "meldingsorganisatie": {"@type": "foaf:Organization", "naam": settings.BALIE_MUNICIPALITY_NAME},
        "heeftStatus": [
            {
                "@type": "Meldingstatus",
                "statuswaarde": row.status_type.name,
                "statusdatum": row.set_at.isoformat(),
                "statuswijzigingDoor": {"@type": "foaf:Organization", "naam": case.department.name},
            }
            for row in statuses
        ],
        "bijlage": [
            f"{base}/documenten/{link.document.uuid}"
            for link in CaseDocument.objects.filter(case=case).select_related("document")
        ],
    }
    if report.lat is not None and report.lon is not None:
        document["geometrie"] = {"@type": "locn:Geometry", "wkt": f"POINT ({report.lon} {report.lat})"}
    if report.address:
        document["adres"] = report.address
    if with_personal_data and report.reporter is not None:
        document["indiener"] = {"@type": "foaf:Person", "naam": report.reporter.display_name}
    return document
