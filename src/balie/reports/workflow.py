"""The report's status flow, as data: which status may follow which, and what each one means.

new → forwarded → in progress → resolved / not our responsibility / duplicate → closed. Every
status is a status type of the report case type (seeded by `setup.ensure_report_case_type` with
the same names and transitions), so the case engine keeps the history (who, when, why) and informs
the reporter from the status type's message; this table is checked first, in `check_transition`,
by every report action. Closing is the case engine's close with the result named after the status
it closes from.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ReportStatus(models.TextChoices):
    NEW = "new", gettext_lazy("nieuw")
    FORWARDED = "forwarded", gettext_lazy("doorgestuurd")
    IN_PROGRESS = "in_progress", gettext_lazy("in behandeling")
    RESOLVED = "resolved", gettext_lazy("opgelost")
    NOT_OURS = "not_ours", gettext_lazy("niet onze bevoegdheid")
    DUPLICATE = "duplicate", gettext_lazy("dubbele melding")
    CLOSED = "closed", gettext_lazy("afgesloten")


# The name of the case engine's status type for each report status (Dutch: the catalogue's data).
STATUS_TYPE_NAMES: dict[str, str] = {
    ReportStatus.NEW: "Nieuw",
    ReportStatus.FORWARDED: "Doorgestuurd",
    ReportStatus.IN_PROGRESS: "In behandeling",
    ReportStatus.RESOLVED: "Opgelost",
    ReportStatus.NOT_OURS: "Niet onze bevoegdheid",
    ReportStatus.DUPLICATE: "Dubbele melding",
    ReportStatus.CLOSED: "Afgesloten",
}
STATUS_BY_TYPE_NAME = {name: status for status, name in STATUS_TYPE_NAMES.items()}

TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReportStatus.NEW: (
        ReportStatus.FORWARDED,
        ReportStatus.IN_PROGRESS,
        ReportStatus.RESOLVED,
        ReportStatus.NOT_OURS,
        ReportStatus.DUPLICATE,
    ),
    ReportStatus.FORWARDED: (
        ReportStatus.IN_PROGRESS,
        ReportStatus.RESOLVED,
        ReportStatus.NOT_OURS,
        ReportStatus.DUPLICATE,
    ),
    ReportStatus.IN_PROGRESS: (ReportStatus.RESOLVED, ReportStatus.NOT_OURS, ReportStatus.DUPLICATE),
    ReportStatus.RESOLVED: (ReportStatus.CLOSED, ReportStatus.IN_PROGRESS),  # back: reopened
    ReportStatus.NOT_OURS: (ReportStatus.CLOSED,),
    ReportStatus.DUPLICATE: (ReportStatus.CLOSED,),
    ReportStatus.CLOSED: (),
}

# Open: the municipality still has to act. Nearby duplicates are looked for among these only.
OPEN_STATUSES = (ReportStatus.NEW, ReportStatus.FORWARDED, ReportStatus.IN_PROGRESS)

# The case result for closing from each final status (name of the result type, archive rule).
RESULTS: dict[str, tuple[str, str, int]] = {
    ReportStatus.RESOLVED: ("Opgelost", "destroy", 2),
    ReportStatus.NOT_OURS: ("Niet onze bevoegdheid", "destroy", 2),
    ReportStatus.DUPLICATE: ("Dubbele melding", "destroy", 1),
}

# What the reporter is told at each status (the status type's message; empty: not told).
MESSAGES: dict[str, tuple[str, str]] = {
    ReportStatus.NEW: (
        "Uw melding {{ zaak.nummer }} is ontvangen",
        "Beste {{ klant.naam }},\n\nWe ontvingen uw melding '{{ zaak.onderwerp }}'. "
        "We houden u op de hoogte.\n\nMet vriendelijke groet,\n{{ gemeente }}",
    ),
    ReportStatus.FORWARDED: (
        "Uw melding {{ zaak.nummer }} is doorgestuurd",
        "Beste {{ klant.naam }},\n\nUw melding '{{ zaak.onderwerp }}' is doorgestuurd naar de "
        "technische dienst.\n\nMet vriendelijke groet,\n{{ gemeente }}",
    ),
    ReportStatus.IN_PROGRESS: (
        "Uw melding {{ zaak.nummer }} is in behandeling",
        "Beste {{ klant.naam }},\n\nEr wordt gewerkt aan uw melding '{{ zaak.onderwerp }}'.\n\n"
        "Met vriendelijke groet,\n{{ gemeente }}",
    ),
    ReportStatus.RESOLVED: (
        "Uw melding {{ zaak.nummer }} is opgelost",
        "Beste {{ klant.naam }},\n\nUw melding '{{ zaak.onderwerp }}' is opgelost. Is het probleem "
        "er nog? Antwoord op deze mail, dan openen we de melding opnieuw.\n\n"
        "Met vriendelijke groet,\n{{ gemeente }}",
    ),
    ReportStatus.NOT_OURS: (
        "Uw melding {{ zaak.nummer }}",
        "Beste {{ klant.naam }},\n\nUw melding '{{ zaak.onderwerp }}' valt niet onder de bevoegdheid "
        "van de gemeente.\n\nMet vriendelijke groet,\n{{ gemeente }}",
    ),
    ReportStatus.DUPLICATE: (
        "Uw melding {{ zaak.nummer }} was al gemeld",
        "Beste {{ klant.naam }},\n\nUw melding '{{ zaak.onderwerp }}' was al eerder gemeld; we "
        "behandelen ze samen met die melding.\n\nMet vriendelijke groet,\n{{ gemeente }}",
    ),
}


# Forward order: another system's update may only move a report forward (reopening is ours).
RANK = {status: rank for rank, status in enumerate(ReportStatus.values)}


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def check_transition(current: str, new: str) -> None:
    """Raise ValidationError unless a report may go from `current` to `new`."""
    if new not in ReportStatus.values:
        raise ValidationError({"status": _("Onbekende status.")})
    if new == current:
        raise ValidationError({"status": _("De melding heeft deze status al.")})
    if new not in TRANSITIONS.get(current, ()):
        raise ValidationError(
            {
                "status": _("Van '%(current)s' kan een melding niet naar '%(new)s'.")
                % {"current": ReportStatus(current).label, "new": ReportStatus(new).label}
            }
        )


def allowed_next(current: str) -> list[str]:
    return list(TRANSITIONS.get(current, ()))
