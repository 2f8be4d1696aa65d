"""A citizen files a complaint and reports a problem in the e-loket, follows their reports, and
sees nobody else's, whatever id they guess. Refused input stores nothing."""

from __future__ import annotations

import io
import json
import os

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from balie.cases.models import Case, CaseDocument, RoleKind
from balie.complaints.models import Complaint
from balie.complaints.setup import setup_complaint_case_type
from balie.complaints.tests.conftest import communicatie, coordinator  # noqa: F401
from balie.core.models import RateWindow
from balie.documents.models import Document
from balie.parties.actions import (
    add_representation,
    register_party,
)
from balie.reports.actions import register_report
from balie.reports.models import Report
from balie.reports.tests.conftest import (  # noqa: F401
    INSIDE,
    OUTSIDE,
    admin,
    jpeg,
    loose_tile,
    report_type,
    roads,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint_type(communicatie, admin):  # noqa: F811
    return setup_complaint_case_type(department=communicatie, by=admin)


def _stored() -> tuple[int, int, int, int]:
    return Case.objects.count(), Report.objects.count(), Complaint.objects.count(), Document.objects.count()


def _report(loose_tile, **changes):  # noqa: F811
    data = {
        "category": str(loose_tile.pk),
        "description": "Een tegel ligt los voor de bakker.",
        "lat": str(INSIDE[0]),
        "lon": str(INSIDE[1]),
        "address": "",
    }
    data.update(changes)
    return data


def _complaint(**changes):
    data = {
        "subject": "Onvriendelijk onthaal",
        "text": "Ik werd aan het loket afgesnauwd toen ik een attest vroeg.",
        "theme": "staff_behaviour",
        "facts_on": "",
    }
    data.update(changes)
    return data


# -- a complaint -----------------------------------------------------------------------------------


def test_a_complaint_becomes_one_complaint_case_with_the_citizen_as_complainant(jan, complaint_type):
    client, party = jan

    response = client.post(reverse("portal:complaint"), _complaint())

    complaint = Complaint.objects.select_related("case").get()
    case = complaint.case
    assert response.status_code == 302 and response["Location"] == reverse("portal:case", args=[case.uuid])
    assert Case.objects.count() == 1
    assert list(case.roles.values_list("party_id", "kind")) == [(party.pk, RoleKind.INITIATOR)]
    assert (complaint.channel, complaint.theme, case.origin) == ("web", "staff_behaviour", "portal")
    assert (case.subject, case.case_type.code) == ("Onvriendelijk onthaal", "klacht")
    mine = client.get(reverse("portal:mine")).content.decode()
    assert "Onvriendelijk onthaal" in mine and "Klacht · " + case.number + " · Geregistreerd" in mine
    page = client.get(response["Location"])
    assert page.status_code == 200 and case.number in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": ""}, "Dit veld is verplicht."),
        ({"text": "Slecht."}, "Beschrijf uw klacht wat uitgebreider."),
        ({"subject": "  "}, "Dit veld is verplicht."),
        ({"facts_on": "2999-01-01"}, "Deze datum ligt in de toekomst."),
        ({"theme": "nonsense"}, "Selecteer een geldige keuze."),
        ({"website": "https://spam.example"}, "Controleer wat u invulde"),  # the honeypot
    ],
)
def test_a_refused_complaint_shows_why_and_stores_nothing(jan, complaint_type, changes, message):
    client, _party = jan
    before = _stored()

    response = client.post(reverse("portal:complaint"), _complaint(**changes))

    assert response.status_code == 400 and message in response.content.decode()
    assert _stored() == before


def test_without_the_complaint_flow_set_up_a_complaint_is_refused_and_nothing_stored(jan):
    client, _party = jan

    response = client.post(reverse("portal:complaint"), _complaint())

    assert response.status_code == 400 and "Een klacht indienen kan nu niet" in response.content.decode()
    assert _stored() == (0, 0, 0, 0)


def test_a_citizen_acting_for_an_organisation_files_the_complaint_in_its_name(jan, complaint_type):
    client, person = jan
    organisation, _created = register_party(
        kind="organisation", by=None, name="Bakkerij Peeters", enterprise_number="0403170701"
    )
    add_representation(representative=person, represented=organisation, capacity="zaakvoerder", by=None)
    client.post(reverse("portal:act_for"), {"party": str(organisation.uuid)})

    client.post(reverse("portal:complaint"), _complaint())

    case = Complaint.objects.get().case
    assert list(case.roles.values_list("party_id", flat=True)) == [organisation.pk]


def test_another_citizen_guessing_my_complaint_gets_not_found(jan, els, complaint_type):
    client, _party = jan
    client.post(reverse("portal:complaint"), _complaint())
    case = Complaint.objects.get().case
    other, _other_party = els

    assert other.get(reverse("portal:case", args=[case.uuid])).status_code == 404
    assert "Onvriendelijk onthaal" not in other.get(reverse("portal:mine")).content.decode()


# -- a report --------------------------------------------------------------------------------------


def test_a_report_with_a_photo_becomes_one_report_with_the_citizen_as_reporter(jan, loose_tile):  # noqa: F811
    client, party = jan

    response = client.post(reverse("portal:report_new"), {**_report(loose_tile), "photos": [jpeg()]})

    report = Report.objects.select_related("case").get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:report", args=[report.uuid]
    )
    assert Case.objects.count() == 1
    assert (report.reporter, report.channel, report.case.origin) == (party, "web", "portal")
    assert (report.lat, report.lon, report.category) == (INSIDE[0], INSIDE[1], loose_tile)
    assert list(report.case.roles.values_list("party_id", "kind")) == [(party.pk, RoleKind.INITIATOR)]
    photo = CaseDocument.objects.select_related("document").get(case=report.case)
    page = client.get(response["Location"]).content.decode()
    assert report.case.number in page and "Losliggende tegel" in page
    assert reverse("portal:report_photo_small", args=[report.uuid, photo.document.uuid]) in page
    small = client.get(reverse("portal:report_photo_small", args=[report.uuid, photo.document.uuid]))
    full = client.get(reverse("portal:report_photo", args=[report.uuid, photo.document.uuid]))
    assert small.status_code == 200 and small["Content-Type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(small.content)).size) == 480
    assert full.status_code == 200 and full["Cache-Control"] == "private, no-store"
    assert max(Image.open(io.BytesIO(b"".join(full.streaming_content))).size) == 1600


def test_a_report_with_an_address_only_is_accepted(jan, loose_tile):  # noqa: F811
    client, _party = jan

    response = client.post(
        reverse("portal:report_new"), _report(loose_tile, lat="", lon="", address="Kerkstraat 12")
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.address, report.lat, report.lon) == ("Kerkstraat 12", None, None)


def test_without_a_place_the_photos_position_is_taken(jan, loose_tile):  # noqa: F811
    client, _party = jan

    response = client.post(
        reverse("portal:report_new"),
        {**_report(loose_tile, lat="", lon=""), "photos": [jpeg(gps=(51.1912, 4.6031))]},
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.lat == pytest.approx(51.1912, abs=1e-4) and report.lon == pytest.approx(4.6031, abs=1e-4)


def _not_an_image():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 300, content_type="image/jpeg")


def _noisy_jpeg():
    """A photo of noise: more than 1 MB however well it is compressed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(out, format="JPEG", quality=95)
    assert out.tell() > 1024 * 1024
    return SimpleUploadedFile("ruis.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"lat": "", "lon": ""}, "lat", "Duid de plaats aan op de kaart of geef een adres."),
        ({"lat": str(OUTSIDE[0]), "lon": str(OUTSIDE[1])}, "lat", "Deze plaats ligt buiten"),
        ({"lat": str(INSIDE[0]), "lon": ""}, "lat", "Geef zowel de breedte- als de lengtegraad."),
        ({"photos": "not-an-image"}, "photos", "foto.jpg is geen foto (JPEG, PNG of WebP)."),
        ({"photos": "too-large"}, "photos", "De foto ruis.jpg is te groot (meer dan 1 MB)."),
        ({"description": "   "}, "description", "Dit veld is verplicht."),
        ({"category": ""}, "category", "Dit veld is verplicht."),
    ],
)
def test_a_refused_report_shows_the_error_next_to_the_field_and_stores_nothing(
    jan,
    loose_tile,  # noqa: F811
    settings,
    changes,
    field,
    message,
):
    client, _party = jan
    settings.BALIE_REPORTS_PHOTO_MAX_BYTES = 1024 * 1024
    photos = changes.pop("photos", None)
    data = _report(loose_tile, **changes)
    if photos == "not-an-image":
        data["photos"] = [_not_an_image()]
    elif photos == "too-large":
        data["photos"] = [_noisy_jpeg()]
    before = _stored()

    response = client.post(reverse("portal:report_new"), data)

    page = response.content.decode()
    assert response.status_code == 400
    error = page.split(f'id="id_{field}_error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert _stored() == before


def test_a_filled_in_honeypot_stores_no_report(jan, loose_tile):  # noqa: F811
    client, _party = jan

    response = client.post(reverse("portal:report_new"), _report(loose_tile, website="x"))

    assert response.status_code == 400 and Report.objects.count() == 0


def test_an_open_report_nearby_is_shown_first_and_the_citizen_may_still_send(
    jan,
    loose_tile,  # noqa: F811
    handler,
):
    client, _party = jan
    existing = register_report(
        category=loose_tile,
        by=handler,
        description="Tegel wiebelt, iemand struikelde",
        lat=INSIDE[0] + 0.0001,  # about 11 m north
        lon=INSIDE[1],
        address="Kerkstraat 10",
    )

    first = client.post(reverse("portal:report_new"), _report(loose_tile))
    again = client.post(reverse("portal:report_new"), _report(loose_tile, confirmed="on"))

    page = first.content.decode()
    assert first.status_code == 200 and "Dit werd in de buurt al gemeld" in page
    assert "Kerkstraat 10" in page and "op 11 m" in page
    assert existing.description not in page  # another reporter's words are not shown
    assert again.status_code == 302
    assert Report.objects.count() == 2


def test_a_confidential_report_nearby_is_not_shown(jan, loose_tile, handler):  # noqa: F811
    client, _party = jan
    existing = register_report(
        category=loose_tile, by=handler, description="x", lat=INSIDE[0], lon=INSIDE[1], address="Geheim 1"
    )
    Case.objects.filter(pk=existing.case_id).update(confidential=True)

    response = client.post(reverse("portal:report_new"), _report(loose_tile))

    assert response.status_code == 302 and Report.objects.count() == 2


def test_too_many_reports_in_an_hour_are_refused(jan, loose_tile, settings):  # noqa: F811
    client, _party = jan
    settings.BALIE_PORTAL_QUESTIONS_PER_HOUR = 1

    answers = [
        client.post(
            reverse("portal:report_new"), _report(loose_tile, address=f"Kerkstraat {n}", confirmed="on")
        )
        for n in (1, 2)
    ]

    assert [a.status_code for a in answers] == [302, 429]
    assert Report.objects.count() == 1 and RateWindow.objects.count() == 1


# -- my reports ------------------------------------------------------------------------------------


def test_my_reports_show_in_my_municipality_once_with_status_and_date(jan, loose_tile):  # noqa: F811
    client, _party = jan
    client.post(reverse("portal:report_new"), _report(loose_tile, address="Kerkstraat 12"))
    report = Report.objects.select_related("case").get()

    page = client.get(reverse("portal:mine")).content.decode()

    assert "Mijn meldingen" in page and "Losliggende tegel" in page
    my_cases = page.split('id="zaken"', 1)[1].split('id="brieven"', 1)[0]
    my_reports = page.split('id="meldingen"', 1)[1]
    assert report.case.number in my_reports and report.case.number not in my_cases  # listed once
    assert "Status: nieuw, sinds " in page


def test_an_employees_status_change_shows_in_my_reports(jan, loose_tile, handler):  # noqa: F811
    client, _party = jan
    client.post(reverse("portal:report_new"), {**_report(loose_tile), "photos": [jpeg()]})
    report = Report.objects.get()
    employee = Client()
    employee.force_login(handler)

    changed = employee.post(
        reverse("backoffice:report_status", args=[report.uuid]), {"to": "in_progress", "reason": "Ingepland"}
    )

    assert changed.status_code == 302
    mine = client.get(reverse("portal:mine")).content.decode()
    page = client.get(reverse("portal:report", args=[report.uuid])).content.decode()
    assert "Status: in behandeling, sinds " in mine
    assert "<strong>In behandeling</strong>" in page and "<strong>Nieuw</strong>" in page
    assert "Ingepland" not in page  # the employee's reason is not the citizen's


def test_another_citizen_guessing_my_report_or_photo_gets_not_found(jan, els, loose_tile):  # noqa: F811
    client, _party = jan
    client.post(reverse("portal:report_new"), {**_report(loose_tile), "photos": [jpeg()]})
    report = Report.objects.get()
    photo = CaseDocument.objects.get(case=report.case).document
    other, _other_party = els
    other.post(reverse("portal:report_new"), _report(loose_tile, address="Molenweg 3", confirmed="on"))
    theirs = Report.objects.exclude(pk=report.pk).get()

    assert other.get(reverse("portal:report", args=[report.uuid])).status_code == 404
    assert other.get(reverse("portal:report_photo", args=[report.uuid, photo.uuid])).status_code == 404
    assert other.get(reverse("portal:report_photo_small", args=[report.uuid, photo.uuid])).status_code == 404
    # my photo's id under their own report: still not found
    assert other.get(reverse("portal:report_photo", args=[theirs.uuid, photo.uuid])).status_code == 404
    assert other.get(reverse("portal:case", args=[report.case.uuid])).status_code == 404
    assert report.case.number not in other.get(reverse("portal:mine")).content.decode()
    assert Client().get(reverse("portal:report", args=[report.uuid])).status_code == 302


def test_a_document_of_the_case_that_is_no_photo_is_not_served(jan, loose_tile, handler):  # noqa: F811
    from balie.cases.actions import attach_document
    from balie.correspondence.tests.samples import letter_pdf, upload

    client, _party = jan
    client.post(reverse("portal:report_new"), _report(loose_tile))
    report = Report.objects.select_related("case").get()
    note = attach_document(
        case=report.case, by=handler, file=upload("nota.pdf", letter_pdf("x", "y")), title="Nota"
    )

    response = client.get(reverse("portal:report_photo", args=[report.uuid, note.document.uuid]))

    assert response.status_code == 404


def test_the_data_download_holds_my_reports(jan, loose_tile):  # noqa: F811
    client, _party = jan
    client.post(reverse("portal:report_new"), _report(loose_tile, address="Kerkstraat 12"))

    data = json.loads(client.get(reverse("portal:my_data")).content)

    assert [(m["categorie"], m["adres"], m["status"]) for m in data["meldingen"]] == [
        ("Wegdek › Losliggende tegel", "Kerkstraat 12", "nieuw")
    ]
