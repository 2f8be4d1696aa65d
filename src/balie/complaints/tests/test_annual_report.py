"""The annual complaint report: exact figures on a seeded year, and the DOCX and PDF exports open
and hold them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document as Docx

from balie.complaints.export import report_docx, report_pdf
from balie.complaints.models import Complaint
from balie.complaints.report import annual_report
from balie.documents.tests.signing_fixtures import pdftotext

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def seeded_year(make_complaint, omgeving, burgerzaken):
    """2025: seven complaints (a December 2024 one and a 2026 one do not count)."""

    def seed(department, channel, theme, **fields):
        complaint = make_complaint(department=department, channel=channel, theme=theme)
        received = fields.setdefault("received_on", D(2025, 3, 1))
        fields.setdefault("acknowledge_due", received + dt.timedelta(days=10))
        fields.setdefault("answer_due", received + dt.timedelta(days=45))
        Complaint.objects.filter(pk=complaint.pk).update(**fields)

    answered = {"state": "closed", "admissible": True}
    # answered in time (lead times 20, 30, 40 days), one acknowledged late
    seed(
        omgeving,
        "phone",
        "staff_behaviour",
        **answered,
        acknowledged_on=D(2025, 3, 5),
        answered_on=D(2025, 3, 21),
        outcome="founded",
        improvement_action="Opleiding onthaal",
    )
    seed(
        omgeving,
        "email",
        "delay",
        **answered,
        acknowledged_on=D(2025, 3, 12),
        answered_on=D(2025, 3, 31),
        outcome="unfounded",
    )
    seed(
        burgerzaken,
        "letter",
        "staff_behaviour",
        **answered,
        acknowledged_on=D(2025, 3, 3),
        answered_on=D(2025, 4, 10),
        outcome="partly_founded",
        improvement_action="Wachtrij herzien",
    )
    # answered late (60 days, not extended)
    seed(
        burgerzaken,
        "email",
        "delay",
        **answered,
        acknowledged_on=D(2025, 3, 4),
        answered_on=D(2025, 4, 30),
        outcome="no_judgement",
    )
    # extended and answered within the extension (80 days)
    seed(
        omgeving,
        "counter",
        "procedure",
        **answered,
        acknowledged_on=D(2025, 3, 4),
        answered_on=D(2025, 5, 20),
        outcome="founded",
        improvement_action="Procedure vereenvoudigd",
        extension_days=45,
        extension_reason="Advies nodig",
        answer_due=D(2025, 6, 29),
    )
    # inadmissible (anonymous) and converted
    seed(omgeving, "web", "other", state="inadmissible", admissible=False, inadmissible_reason="anonymous")
    seed(
        omgeving, "phone", "other", state="converted", admissible=False, inadmissible_reason="not_a_complaint"
    )
    # outside the year
    seed(omgeving, "phone", "other", received_on=D(2024, 12, 31))
    seed(omgeving, "phone", "other", received_on=D(2026, 1, 1))


def test_the_annual_report_counts_exactly(seeded_year):
    report = annual_report(2025, today=D(2026, 1, 15))

    assert report.total == 7
    assert report.admissible == 5
    assert report.inadmissible == 1
    assert report.converted == 1
    assert report.open == 0
    assert [(r.label, r.count) for r in report.by_department] == [("Omgeving", 3), ("Burgerzaken", 2)]
    assert [(r.label, r.count) for r in report.by_theme] == [
        ("houding van medewerkers", 2),
        ("termijnen en wachttijden", 2),
        ("procedure of werkwijze", 1),
    ]
    assert [(r.label, r.count) for r in report.by_channel] == [
        ("e-mail", 2),
        ("telefoon", 2),
        ("balie", 1),
        ("brief", 1),
        ("website", 1),
    ]
    assert [(r.label, r.count) for r in report.by_outcome] == [
        ("gegrond", 2),
        ("deels gegrond", 1),
        ("ongegrond", 1),
        ("geen oordeel", 1),
    ]
    assert [(r.label, r.count) for r in report.by_inadmissible_reason] == [("anoniem", 1)]
    assert report.answered == 5
    assert report.answered_in_time == 4
    assert report.answered_in_time_percent == 80.0
    assert report.acknowledged == 5
    assert report.acknowledged_in_time == 4
    assert report.extended == 1
    assert report.lead_time_median == 40.0
    assert report.lead_time_mean == 46.0  # (20 + 30 + 40 + 60 + 80) / 5
    assert report.lead_time_max == 80
    assert [i.action for i in report.improvements] == [
        "Opleiding onthaal",
        "Wachtrij herzien",
        "Procedure vereenvoudigd",
    ]


def test_the_docx_export_opens_and_holds_the_figures(seeded_year):
    data = report_docx(annual_report(2025, today=D(2026, 1, 15)))

    doc = Docx(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert "Jaarverslag klachten 2025" in text
    assert "Procedure vereenvoudigd" in text
    assert "Klachten ontvangen" in cells and "7" in cells
    assert "4 (80,0 %)" in cells
    assert "Omgeving" in cells and "Burgerzaken" in cells


def test_the_pdf_export_opens_and_holds_the_figures(seeded_year, tmp_path):
    data = report_pdf(annual_report(2025, today=D(2026, 1, 15)))

    assert data.startswith(b"%PDF")
    text = pdftotext(data, tmp_path)
    assert "Jaarverslag klachten 2025" in text
    assert "4 (80,0 %)" in text
    assert "Wachtrij herzien" in text
