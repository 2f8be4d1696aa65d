"""Display helpers for the case pages: the deadline with its state in words, event lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from balie.cases.deadlines import DeadlineState, deadline_state
from balie.cases.models import Case, CaseEvent

register = template.Library()

# state -> (words, badge modifier): the colour is never the only sign.
_STATES = {
    DeadlineState.OVERDUE: (_("te laat"), "danger"),
    DeadlineState.DUE_SOON: (_("vervalt binnenkort"), "warn"),
    DeadlineState.ON_TIME: (_("op tijd"), "ok"),
    "suspended": (_("opgeschort"), "accent"),
}


@register.simple_tag
def case_deadline(case: Case, today: dt.date | None = None) -> str:
    """The deadline and, for an open case, whether it is on time, due soon or overdue.

    Written in Python, not an inclusion template: a queue page shows fifty of them."""
    state = ""
    if case.closed_at is None:
        if case.suspended_since is not None:
            state = "suspended"
        else:
            state = deadline_state(case.deadline, today or timezone.localdate())
    words, modifier = _STATES.get(state, ("", ""))
    badge = format_html(' <span class="badge badge--{}">{}</span>', modifier, words) if words else ""
    return format_html(
        '<span class="deadline{}"><time datetime="{}">{}</time>{}</span>',
        f" deadline--{state}" if state else "",
        case.deadline.isoformat(),
        case.deadline.strftime("%d/%m/%Y"),
        badge,
    )


@register.filter
def event_detail(event: CaseEvent) -> str:
    """The part of an event worth a second line: from → to, a new deadline, a result."""
    data = event.data or {}
    if event.kind == "status" and data.get("from"):
        return f"{data['from']} → {data.get('to', '')}"
    if "deadline" in data:
        try:
            day = dt.date.fromisoformat(str(data["deadline"]))
        except ValueError:
            return ""
        return str(_("nieuwe uiterste datum %(date)s") % {"date": day.strftime("%d/%m/%Y")})
    return ""


@register.filter
def iso_date(value: Any) -> dt.date | None:
    """An attribute's stored ISO date, as a date for the |date filter."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
