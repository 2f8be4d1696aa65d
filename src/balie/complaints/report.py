"""The annual complaint report for the council (DLB art. 303 §3): the complaints received in a year
counted per department, theme, channel, admissibility and outcome; lead times; how many were
acknowledged and answered in time; the improvement actions. Shown with charts (charts.py) and
exported as DOCX and PDF (export.py).

Lead time: calendar days from receipt to the answer. "In time": acknowledged on or before the
acknowledgement deadline; answered on or before the answer deadline (the extended one when
extended), over the complaints acknowledged or answered; complaints still open past their answer
deadline are counted apart (`open_overdue`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from balie.contact_moments.models import Channel

from .models import Complaint, ComplaintState, InadmissibleReason, Outcome, Theme


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass(frozen=True)
class Improvement:
    number: str
    department: str
    theme: str
    outcome: str
    action: str


@dataclass
class AnnualReport:
    year: int
    total: int = 0
    admissible: int = 0
    inadmissible: int = 0
    converted: int = 0
    open: int = 0
    open_overdue: int = 0  # admissible, not answered, past the answer deadline
    by_department: list[Row] = field(default_factory=list)
    by_theme: list[Row] = field(default_factory=list)
    by_channel: list[Row] = field(default_factory=list)
    by_outcome: list[Row] = field(default_factory=list)
    by_inadmissible_reason: list[Row] = field(default_factory=list)
    answered: int = 0
    answered_in_time: int = 0
    acknowledged: int = 0
    acknowledged_in_time: int = 0
    extended: int = 0
    lead_time_median: float | None = None
    lead_time_mean: float | None = None
    lead_time_max: int | None = None
    improvements: list[Improvement] = field(default_factory=list)

    @property
    def answered_in_time_percent(self) -> float | None:
        return round(100 * self.answered_in_time / self.answered, 1) if self.answered else None

    @property
    def acknowledged_in_time_percent(self) -> float | None:
        return round(100 * self.acknowledged_in_time / self.acknowledged, 1) if self.acknowledged else None


def _rows(counter: Counter[str], labels: dict[str, str], *, keep_order: bool = False) -> list[Row]:
    rows = [Row(labels.get(key, key), count) for key, count in counter.items() if count]
    if keep_order:
        order = list(labels)
        return sorted(rows, key=lambda row: order.index(next(k for k, v in labels.items() if v == row.label)))
    return sorted(rows, key=lambda row: (-row.count, row.label))


def annual_report(year: int, *, today: dt.date | None = None) -> AnnualReport:
    """Figures over the complaints received in `year` (received_on), read in one query."""
    today = today or timezone.localdate()
    complaints = list(
        Complaint.objects.filter(received_on__year=year)
        .select_related("case", "department_concerned")
        .order_by("received_on", "id")
    )
    report = AnnualReport(year=year, total=len(complaints))
    departments: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    lead_times: list[int] = []
    for c in complaints:
        channels[c.channel] += 1
        if c.state == ComplaintState.CONVERTED:
            report.converted += 1
            continue
        if c.admissible is False:
            report.inadmissible += 1
            reasons[c.inadmissible_reason] += 1
            continue
        if c.admissible is None:
            report.open += 1
            continue
        report.admissible += 1
        departments[c.department_concerned.name if c.department_concerned else "—"] += 1
        themes[c.theme] += 1
        if c.acknowledged_on is not None:
            report.acknowledged += 1
            report.acknowledged_in_time += c.acknowledged_on <= c.acknowledge_due
        if c.extension_days:
            report.extended += 1
        if c.answered_on is not None:
            outcomes[c.outcome] += 1
            report.answered += 1
            report.answered_in_time += c.answered_on <= c.answer_due
            lead_times.append((c.answered_on - c.received_on).days)
            if c.improvement_action:
                report.improvements.append(
                    Improvement(
                        number=c.case.number,
                        department=c.department_concerned.name if c.department_concerned else "—",
                        theme=str(Theme(c.theme).label),
                        outcome=str(Outcome(c.outcome).label),
                        action=c.improvement_action,
                    )
                )
        else:
            report.open += 1
            if c.answer_due < today:
                report.open_overdue += 1
    report.by_department = _rows(departments, {})
    report.by_theme = _rows(themes, {k: str(v) for k, v in Theme.choices})
    report.by_channel = _rows(channels, {k: str(v) for k, v in Channel.choices})
    report.by_outcome = _rows(outcomes, {k: str(v) for k, v in Outcome.choices}, keep_order=True)
    report.by_inadmissible_reason = _rows(reasons, {k: str(v) for k, v in InadmissibleReason.choices})
    if lead_times:
        report.lead_time_median = float(statistics.median(lead_times))
        report.lead_time_mean = round(statistics.fmean(lead_times), 1)
        report.lead_time_max = max(lead_times)
    return report
