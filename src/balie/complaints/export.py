"""The annual complaint report as a DOCX (python-docx) and as a PDF (the DOCX converted by
LibreOffice, documents.conversion). Each breakdown is a table with a bar drawn in characters,
so the figures read the same on paper, in Word and to a screen reader."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.document import Document as Docx
from docx.shared import Pt

from balie.documents.conversion import convert_to_pdf

from .report import AnnualReport, Row


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


def _days(value: float | int | None) -> str:
    return "—" if value is None else f"{value:g}".replace(".", ",")


def _table(doc: Docx, title: str, rows: list[Row]) -> None:
    doc.add_heading(title, level=2)
    if not rows:
        doc.add_paragraph(_("Geen klachten."))
        return
    top = max(row.count for row in rows) or 1
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[1].text, head[2].text = title, _("Aantal"), ""
    for row in rows:
        cells = table.add_row().cells
        cells[0].text = row.label
        cells[1].text = str(row.count)
        cells[2].text = "█" * max(1, round(20 * row.count / top))


def report_docx(report: AnnualReport) -> bytes:
    doc = new_docx()
    doc.styles["Normal"].font.name = "Liberation Sans"
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(_("Jaarverslag klachten %(year)s") % {"year": report.year}, level=1)
    doc.add_paragraph(
        _("%(municipality)s — opgemaakt op %(date)s (Decreet Lokaal Bestuur, art. 303).")
        % {
            "municipality": settings.BALIE_MUNICIPALITY_NAME,
            "date": timezone.localdate().strftime("%d/%m/%Y"),
        }
    )
    doc.add_heading(_("Overzicht"), level=2)
    summary = [
        (_("Klachten ontvangen"), str(report.total)),
        (_("Ontvankelijk"), str(report.admissible)),
        (_("Onontvankelijk"), str(report.inadmissible)),
        (_("Omgezet (geen klacht)"), str(report.converted)),
        (_("Nog open"), str(report.open)),
        (_("Open en over de antwoordtermijn"), str(report.open_overdue)),
        (_("Beantwoord"), str(report.answered)),
        (_("Tijdig beantwoord"), f"{report.answered_in_time} ({_percent(report.answered_in_time_percent)})"),
        (
            _("Tijdig ontvangst bevestigd"),
            f"{report.acknowledged_in_time} ({_percent(report.acknowledged_in_time_percent)})",
        ),
        (_("Verlengd"), str(report.extended)),
        (_("Doorlooptijd mediaan (dagen)"), _days(report.lead_time_median)),
        (_("Doorlooptijd gemiddeld (dagen)"), _days(report.lead_time_mean)),
        (_("Doorlooptijd langst (dagen)"), _days(report.lead_time_max)),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in summary:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    _table(doc, _("Per dienst"), report.by_department)
    _table(doc, _("Per thema"), report.by_theme)
    _table(doc, _("Per kanaal"), report.by_channel)
    _table(doc, _("Per oordeel"), report.by_outcome)
    _table(doc, _("Onontvankelijk, per reden"), report.by_inadmissible_reason)
    doc.add_heading(_("Verbeteracties"), level=2)
    if not report.improvements:
        doc.add_paragraph(_("Geen verbeteracties."))
    for item in report.improvements:
        doc.add_paragraph(
            f"{item.number} ({item.department}, {item.theme}, {item.outcome}): {item.action}",
            style="List Bullet",
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_pdf(report: AnnualReport) -> bytes:
    return convert_to_pdf(report_docx(report))
