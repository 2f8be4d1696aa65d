"""The report case type, seeded through the case catalogue as an administrator would.

Its statuses carry the names and transitions of `workflow`, the reporter's message per status
(`workflow.MESSAGES`) and a result per final status. `balie demo` and the tests call
`ensure_report_case_type`; a municipality edits the messages in the catalogue afterwards.
"""

from __future__ import annotations

from django.db import transaction

from balie.accounts.models import Department, User
from balie.cases import catalogue
from balie.cases.models import CaseType, DayUnit, RoleKind, VersionState

from .workflow import MESSAGES, RESULTS, STATUS_TYPE_NAMES, TRANSITIONS, ReportStatus

REPORT_CASE_TYPE = "melding"
PHOTO_TYPE = "Foto"  # the document type a report's photos are filed as


def report_case_type() -> CaseType | None:
    return CaseType.objects.filter(code=REPORT_CASE_TYPE).first()


@transaction.atomic
def ensure_report_case_type(*, department: Department, by: User, lead_time_days: int = 20) -> CaseType:
    """The published report case type; made (and published) when there is none yet."""
    existing = report_case_type()
    if existing is not None and existing.versions.filter(state=VersionState.PUBLISHED).exists():
        return existing
    draft = catalogue.create_case_type(
        code=REPORT_CASE_TYPE, name="Melding openbaar domein", department=department, by=by
    )
    catalogue.update_version(
        version=draft, by=by, lead_time_days=lead_time_days, lead_time_unit=DayUnit.WORKING
    )
    statuses = {}
    for status, name in STATUS_TYPE_NAMES.items():
        message = MESSAGES.get(status)
        statuses[status] = catalogue.add_status_type(
            version=draft,
            by=by,
            name=name,
            informs_customer=message is not None,
            messages={"nl": {"subject": message[0], "body": message[1]}} if message else None,
        )
    for status, nexts in TRANSITIONS.items():
        if status == ReportStatus.CLOSED:
            continue
        catalogue.set_transitions(status=statuses[status], by=by, next_statuses=[statuses[n] for n in nexts])
    catalogue.add_role_type(version=draft, by=by, kind=RoleKind.INITIATOR, name="Melder")
    for name, nomination, years in RESULTS.values():
        catalogue.add_result_type(
            version=draft, by=by, name=name, archival_nomination=nomination, retention_years=years
        )
    catalogue.add_document_type(version=draft, by=by, name=PHOTO_TYPE, direction="incoming")
    return catalogue.publish_version(version=draft, by=by).case_type
