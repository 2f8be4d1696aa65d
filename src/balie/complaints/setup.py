"""The complaint case type, made through the catalogue like any other case type (an administrator
runs it once: `balie setup_complaints`, or the demo). Its statuses and transitions come from
`workflow.py`, its lead time and extension from the reglement's settings."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from balie.accounts.models import Department, User
from balie.cases import catalogue
from balie.cases.models import CaseType, DayUnit, RoleKind

from .workflow import CASE_STATUSES, CASE_TRANSITIONS, RESULTS


@transaction.atomic
def setup_complaint_case_type(*, department: Department, by: User) -> CaseType:
    """The published complaint case type (code `BALIE_COMPLAINT_CASE_TYPE`), made if missing."""
    code = settings.BALIE_COMPLAINT_CASE_TYPE
    existing = CaseType.objects.filter(code=code).first()
    if existing is not None:
        return existing
    draft = catalogue.create_case_type(code=code, name="Klacht", department=department, by=by)
    draft = catalogue.update_version(
        version=draft,
        by=by,
        description="Klachtenbehandeling volgens het klachtenreglement (eerste lijn).",
        lead_time_days=settings.BALIE_COMPLAINT_ANSWER_DAYS,
        lead_time_unit=DayUnit.CALENDAR,
        reminder_days=settings.BALIE_COMPLAINT_WARNING_DAYS,
        extension_allowed=True,
        max_extension_days=settings.BALIE_COMPLAINT_EXTENSION_DAYS,
        confidential=True,
    )
    statuses = {name: catalogue.add_status_type(version=draft, by=by, name=name) for name in CASE_STATUSES}
    for name, following in CASE_TRANSITIONS.items():
        catalogue.set_transitions(
            status=statuses[name], by=by, next_statuses=[statuses[other] for other in following]
        )
    catalogue.add_role_type(version=draft, by=by, kind=RoleKind.INITIATOR, name="Klager")
    for name in RESULTS.values():
        catalogue.add_result_type(
            version=draft, by=by, name=name, archival_nomination="destroy", retention_years=10
        )
    catalogue.add_document_type(version=draft, by=by, name="Klacht", direction="incoming")
    catalogue.add_document_type(version=draft, by=by, name="Antwoord", direction="outgoing")
    return catalogue.publish_version(version=draft, by=by).case_type
