"""Management figures for team leads and functional administrators: the page with its weekly chart
(inline SVG, drawn here, with the same numbers as a table), and the export to Excel and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from balie.accounts.permissions import can_read_management_figures
from balie.cases.figures import Figures, Row, Week, management_figures

from ..access import EmployeeRequest, permission_required
from ..forms.case_figures import FiguresFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _figures(request: EmployeeRequest) -> tuple[FiguresFilterForm, Figures]:
    form = FiguresFilterForm(request.GET or None)
    return form, management_figures(request.user, form.figure_filter())


@require_GET
@permission_required(can_read_management_figures)
def case_figures(request: EmployeeRequest) -> HttpResponse:
    form, figures = _figures(request)
    context = {
        "form": form,
        "figures": figures,
        "chart": week_chart(figures.weeks),
        "query": request.GET.urlencode(),
        "tables": [(slug, title) for slug, title, *_rest in _tables(figures)],
    }
    return render(request, "backoffice/cases/figures.html", context)


# --- the chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    week: Week
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Point:
    week: Week
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Label:
    week: Week
    x: float
    new_year: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    bottom: float
    right: float
    bars: list[Bar]
    points: list[Point]
    polyline: str
    ticks: list[Tick]
    labels: list[Label]
    most_opened: Week | None
    most_closed: Week | None
    opened: int
    closed: int


def _nice_step(top: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10^n) so that `ticks` steps reach at least `top`."""
    raw = max(1.0, top / ticks)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def week_chart(weeks: list[Week], *, width: int = 760, height: int = 260) -> Chart:
    """Bars for the cases opened per week, a line with markers for those closed; y from 0."""
    left, right_margin, top, bottom_margin = 48, 12, 12, 34
    plot_w, plot_h = width - left - right_margin, height - top - bottom_margin
    peak = max([w.opened for w in weeks] + [w.closed for w in weeks] + [1])
    step = _nice_step(peak)
    y_max = step * -(-peak // step)
    slot = plot_w / max(1, len(weeks))

    def y(value: int) -> float:
        return round(top + plot_h * (1 - value / y_max), 1)

    bars, points, labels = [], [], []
    previous_month = None
    for i, week in enumerate(weeks):
        x = left + i * slot
        bars.append(
            Bar(week=week, x=round(x + slot * 0.15, 1), y=y(week.opened), width=round(slot * 0.7, 1),
                height=round(top + plot_h - y(week.opened), 1))
        )  # fmt: skip
        points.append(Point(week=week, x=round(x + slot / 2, 1), y=y(week.closed)))
        if week.start.month != previous_month:
            if previous_month is not None or week.start.day <= 7:
                labels.append(Label(week=week, x=round(x + slot / 2, 1), new_year=week.start.month == 1))
            previous_month = week.start.month
    if len(labels) > 14:  # a long period: every third month
        labels = labels[::3]
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        bottom=top + plot_h,
        right=width - right_margin,
        bars=bars,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        ticks=[Tick(value=v, y=y(v)) for v in range(0, y_max + 1, step)],
        labels=labels,
        most_opened=max(weeks, key=lambda w: w.opened) if weeks else None,
        most_closed=max(weeks, key=lambda w: w.closed) if weeks else None,
        opened=sum(w.opened for w in weeks),
        closed=sum(w.closed for w in weeks),
    )


# --- the exports -----------------------------------------------------------------------------

Table = tuple[str, str, list[str], list[list[Any]]]  # (slug, title, headers, rows)


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _tables(figures: Figures) -> list[Table]:
    """The figures as tables, the same for the page's export links, CSV and Excel."""

    def counts(row: Row) -> list[Any]:
        return [row.registered, row.closed, row.open, row.overdue]

    count_headers = [_("geregistreerd"), _("afgesloten"), _("open nu"), _("te laat nu")]
    lead_headers = [_("doorlooptijd mediaan (dagen)"), _("doorlooptijd P90 (dagen)")]
    total = figures.total
    return [
        (
            "zaaktypes",
            _("Per zaaktype"),
            [_("zaaktype"), _("dienst"), *count_headers, *lead_headers],
            [
                [r.label, r.group, *counts(r), _days(r.median_days), _days(r.p90_days)]
                for r in figures.by_case_type
            ]
            + [[_("Totaal"), "", *counts(total), _days(total.median_days), _days(total.p90_days)]],
        ),
        (
            "diensten",
            _("Per dienst"),
            [_("dienst"), *count_headers],
            [[r.label, *counts(r)] for r in figures.by_department] + [[_("Totaal"), *counts(total)]],
        ),
        (
            "statussen",
            _("Open zaken per status"),
            [_("zaaktype"), _("status"), _("open nu"), _("te laat nu")],
            [[r.group, r.label, r.open, r.overdue] for r in figures.by_status],
        ),
        (
            "weken",
            _("Per week"),
            [_("week vanaf"), _("geopend"), _("afgesloten")],
            [[w.start, w.opened, w.closed] for w in figures.weeks],
        ),
    ]


def _safe(value: Any) -> Any:
    """A text cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _period_text(figures: Figures) -> str:
    f = figures.filters
    return _("Periode %(since)s tot en met %(until)s") % {
        "since": f.since.strftime("%d/%m/%Y"),
        "until": f.until.strftime("%d/%m/%Y"),
    }


def _filename(figures: Figures, extension: str) -> str:
    f = figures.filters
    return f"zaakcijfers-{f.since:%Y%m%d}-{f.until:%Y%m%d}.{extension}"


@require_GET
@permission_required(can_read_management_figures)
def case_figures_csv(request: EmployeeRequest) -> HttpResponse:
    _form, figures = _figures(request)
    wanted = request.GET.get("tabel", "zaaktypes")
    tables = {slug: (headers, rows) for slug, _title, headers, rows in _tables(figures)}
    if wanted not in tables:
        raise Http404
    headers, rows = tables[wanted]
    out = io.StringIO()
    out.write("\ufeff")  # so that a spreadsheet reads the accents right
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)

    def cell(value: Any) -> Any:
        if isinstance(value, float):
            return formats.number_format(value, 1)  # a decimal comma, as the Belgian spreadsheet expects
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return "" if value is None else _safe(value)

    for row in rows:
        writer.writerow([cell(value) for value in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(figures, wanted + ".csv")}"'
    return response


@require_GET
@permission_required(can_read_management_figures)
def case_figures_xlsx(request: EmployeeRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _form, figures = _figures(request)
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for _slug, title, headers, rows in _tables(figures):
        sheet = book.create_sheet(title=title[:31])
        sheet.append([_period_text(figures)])
        sheet.append([])
        sheet.append(headers)
        for cell in sheet[3]:
            cell.font = bold
        for row in rows:
            sheet.append([_safe(value) for value in row])
        for column, header in zip(sheet.columns, headers, strict=False):
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 2))
        sheet.freeze_panes = "A4"
    body = io.BytesIO()
    book.save(body)
    response = HttpResponse(body.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(figures, "xlsx")}"'
    return response
