"""The complaint reglement's flow as data: which step each action may start from and where it
leads, and which case status each step is. Checked here only (`check_step`), by every action.

registered → admissible → acknowledged → investigating → answered → closed
registered → inadmissible (anonymous, facts older than the limit, already handled): closed
registered → not a complaint → converted (a report, a contact moment or another case): closed
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Complaint, ComplaintState, InadmissibleReason, Outcome

S = ComplaintState


@dataclass(frozen=True)
class Step:
    label: Any  # a lazy translation
    sources: tuple[str, ...]
    target: str | None  # None: the step does not move the complaint (extension, investigator)


STEPS: dict[str, Step] = {
    "decide_admissible": Step(gettext_lazy("ontvankelijk verklaren"), (S.REGISTERED,), S.ADMISSIBLE),
    "decide_inadmissible": Step(gettext_lazy("onontvankelijk verklaren"), (S.REGISTERED,), S.INADMISSIBLE),
    "decide_not_a_complaint": Step(gettext_lazy("geen klacht"), (S.REGISTERED,), S.NOT_A_COMPLAINT),
    "convert": Step(gettext_lazy("omzetten"), (S.NOT_A_COMPLAINT,), S.CONVERTED),
    "acknowledge": Step(gettext_lazy("ontvangst bevestigen"), (S.ADMISSIBLE,), S.ACKNOWLEDGED),
    "assign_investigator": Step(
        gettext_lazy("onderzoeker aanduiden"), (S.ADMISSIBLE, S.ACKNOWLEDGED, S.INVESTIGATING), None
    ),
    "start_investigation": Step(gettext_lazy("onderzoek starten"), (S.ACKNOWLEDGED,), S.INVESTIGATING),
    "extend": Step(gettext_lazy("termijn verlengen"), (S.ADMISSIBLE, S.ACKNOWLEDGED, S.INVESTIGATING), None),
    "answer": Step(gettext_lazy("beantwoorden"), (S.INVESTIGATING,), S.ANSWERED),
    "close": Step(gettext_lazy("afsluiten"), (S.ANSWERED,), S.CLOSED),
}

# The complaint case type's statuses (setup.py makes them in this order; the last closes the case).
CASE_STATUSES: list[str] = [
    "Geregistreerd",
    "Ontvankelijkheid beslist",
    "Ontvangst bevestigd",
    "In onderzoek",
    "Beantwoord",
    "Afgesloten",
]
CASE_TRANSITIONS: dict[str, list[str]] = {
    "Geregistreerd": ["Ontvankelijkheid beslist"],
    "Ontvankelijkheid beslist": ["Ontvangst bevestigd", "Afgesloten"],
    "Ontvangst bevestigd": ["In onderzoek"],
    "In onderzoek": ["Beantwoord"],
    "Beantwoord": ["Afgesloten"],
}
# The case status of each step (the closing ones close the case with a result).
STATUS_OF_STATE: dict[str, str] = {
    S.REGISTERED: "Geregistreerd",
    S.ADMISSIBLE: "Ontvankelijkheid beslist",
    S.NOT_A_COMPLAINT: "Ontvankelijkheid beslist",
    S.INADMISSIBLE: "Ontvankelijkheid beslist",
    S.ACKNOWLEDGED: "Ontvangst bevestigd",
    S.INVESTIGATING: "In onderzoek",
    S.ANSWERED: "Beantwoord",
}
RESULTS: dict[str, str] = {
    Outcome.FOUNDED: "Gegrond",
    Outcome.PARTLY_FOUNDED: "Deels gegrond",
    Outcome.UNFOUNDED: "Ongegrond",
    Outcome.NO_JUDGEMENT: "Geen oordeel",
    S.INADMISSIBLE: "Onontvankelijk",
    S.CONVERTED: "Omgezet",
}
INADMISSIBLE_REASONS = tuple(r for r in InadmissibleReason.values if r != InadmissibleReason.NOT_A_COMPLAINT)


def check_step(complaint: Complaint, action: str) -> Step:
    """Raise ValidationError unless `action` may be taken from the complaint's current step."""
    step = STEPS[action]
    if complaint.state not in step.sources:
        raise ValidationError(
            _("Een klacht die '%(state)s' is kan niet %(action)s.")
            % {"state": complaint.get_state_display(), "action": step.label}
        )
    return step


def allowed_steps(complaint: Complaint) -> list[str]:
    return [name for name, step in STEPS.items() if complaint.state in step.sources]


# --- the reglement's deadlines (calendar days, numbers from the settings) ---------------------


def acknowledge_due(received_on: dt.date) -> dt.date:
    return received_on + dt.timedelta(days=settings.BALIE_COMPLAINT_ACKNOWLEDGE_DAYS)


def facts_too_old(facts_on: dt.date | None, received_on: dt.date) -> bool:
    return facts_on is not None and (received_on - facts_on).days > settings.BALIE_COMPLAINT_FACTS_LIMIT_DAYS


def suggested_inadmissibility(complaint: Complaint, *, anonymous: bool) -> str:
    """What the reglement suggests before the coordinator decides: anonymous, or facts too old."""
    if anonymous:
        return InadmissibleReason.ANONYMOUS
    if facts_too_old(complaint.facts_on, complaint.received_on):
        return InadmissibleReason.FACTS_TOO_OLD
    return ""
