"""Registering a report: its case, routing, photos, the boundary, and refusals that leave nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from balie.cases.models import Case, CaseDocument, RoleKind
from balie.documents.models import Document
from balie.reports.actions import add_routing_rule, register_report
from balie.reports.models import Report
from balie.reports.photos import prepare_photo
from balie.reports.workflow import ReportStatus

from .conftest import INSIDE, OUTSIDE, jpeg


def test_a_report_gets_its_case_in_the_routed_department(
    front_desk, loose_tile, reporter, groendienst, admin
):
    # given a rule: loose tiles in the north go to the green service
    add_routing_rule(
        by=admin, department=groendienst, category=loose_tile, area_name="Noord", box=(51.18, 4.5, 51.3, 4.7)
    )
    # when the counter registers one there
    report = register_report(
        category=loose_tile,
        by=front_desk,
        description="Tegel ligt los",
        lat=INSIDE[0],
        lon=INSIDE[1],
        reporter=reporter,
    )
    # then the case is a report case in that department, with the reporter as initiator
    assert report.case.case_type.code == "melding"
    assert report.case.department == groendienst
    assert report.case.status_type.name == "Nieuw"
    assert report.status == ReportStatus.NEW and report.is_open
    assert list(report.case.roles.values_list("party_id", "kind")) == [(reporter.pk, RoleKind.INITIATOR)]
    assert report.cell is not None


def test_without_a_rule_the_category_department_decides(front_desk, loose_tile, omgeving):
    report = register_report(category=loose_tile, by=front_desk, description="x", address="Kerkstraat 1")
    assert report.case.department == omgeving
    assert report.lat is None and report.address == "Kerkstraat 1"
    assert report.anonymous


def test_photos_are_resized_and_stripped_and_their_gps_offered(front_desk, loose_tile):
    photo = prepare_photo(jpeg(gps=(51.1912, 4.6031)))
    assert photo.gps == pytest.approx((51.1912, 4.6031), abs=1e-4)
    assert max(photo.width, photo.height) == 1600
    stored = Image.open(photo.file)
    assert dict(stored.getexif()) == {}
    report = register_report(
        category=loose_tile,
        by=front_desk,
        description="x",
        lat=photo.gps[0],
        lon=photo.gps[1],
        photos=[jpeg()],
    )
    link = CaseDocument.objects.get(case=report.case)
    assert link.document_type.name == "Foto"
    assert link.document.current_version.mime_type == "image/jpeg"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({}, "location"),
        ({"lat": OUTSIDE[0], "lon": OUTSIDE[1]}, "location"),
        ({"lat": INSIDE[0], "lon": INSIDE[1], "photos": "not-an-image"}, "photos"),
        ({"lat": INSIDE[0], "lon": INSIDE[1], "photos": "huge"}, "photos"),
        ({"lat": INSIDE[0], "lon": None}, "location"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(front_desk, loose_tile, settings, fields, error):
    settings.BALIE_REPORTS_PHOTO_MAX_BYTES = 50_000
    if fields.get("photos") == "not-an-image":
        fields["photos"] = [
            SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        ]
    elif fields.get("photos") == "huge":
        fields["photos"] = [jpeg(size=(4000, 4000))]
    with pytest.raises(ValidationError) as refused:
        register_report(category=loose_tile, by=front_desk, description="Tegel", **fields)
    assert error in refused.value.message_dict
    assert (Report.objects.count(), Case.objects.count(), Document.objects.count()) == (0, 0, 0)


def test_outside_the_municipality_says_so(front_desk, loose_tile):
    with pytest.raises(ValidationError) as refused:
        register_report(category=loose_tile, by=front_desk, description="x", lat=OUTSIDE[0], lon=OUTSIDE[1])
    assert refused.value.message_dict["location"] == [
        "Deze plaats ligt buiten Gemeente Zonnedaal: wij kunnen er niets aan doen."
    ]


def test_a_parent_category_is_not_enough(front_desk, roads, loose_tile):
    with pytest.raises(ValidationError) as refused:
        register_report(category=roads, by=front_desk, description="x", address="Kerkstraat 1")
    assert refused.value.message_dict["category"] == ["Kies een categorie binnen 'Wegdek'."]


def test_a_citizen_cannot_register_through_the_action(citizen, loose_tile):
    with pytest.raises(ValidationError):
        register_report(category=loose_tile, by=citizen, description="x", address="Kerkstraat 1")
    assert Report.objects.count() == 0
