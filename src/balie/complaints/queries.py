"""Reads of complaints, with the visibility rule in one place: a complaint coordinator sees every
complaint, an investigator the complaints they investigate, everyone else nothing ("not found")."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from balie.accounts.models import Department
from balie.accounts.permissions import is_employee
from balie.cases.models import CaseRole, CaseType, RoleKind
from balie.parties.models import Party

from .models import OPEN_STATES, Complaint, ComplaintState
from .permissions import can_coordinate_complaints

LIST_FIELDS = ("case", "case__status_type", "department_concerned", "coordinator", "investigator")


def complaints_for(user: Any) -> QuerySet[Complaint]:
    if not is_employee(user):
        return Complaint.objects.none()
    if can_coordinate_complaints(user):
        return Complaint.objects.all()
    return Complaint.objects.filter(investigator=user)


def get_complaint_for(user: Any, public_id: uuid.UUID | str) -> Complaint:
    try:
        return (
            complaints_for(user)
            .select_related(*LIST_FIELDS, "case__version", "converted_to", "converted_from")
            .get(uuid=public_id)
        )
    except (Complaint.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def complaint_of_case(user: Any, case_id: int) -> Complaint | None:
    return complaints_for(user).filter(case_id=case_id).first()


@dataclass(frozen=True)
class Board:
    new: list[Complaint]
    to_acknowledge: list[Complaint]
    due_soon: list[Complaint]
    overdue: list[Complaint]


def _open(user: Any) -> QuerySet[Complaint]:
    return complaints_for(user).filter(state__in=OPEN_STATES).select_related(*LIST_FIELDS)


def overdue_complaints(user: Any, *, today: dt.date | None = None, limit: int = 200) -> list[Complaint]:
    """Open complaints past their answer deadline, or not acknowledged past the acknowledgement one."""
    today = today or timezone.localdate()
    late_ack = Q(state__in=[ComplaintState.REGISTERED, ComplaintState.ADMISSIBLE], acknowledge_due__lt=today)
    return list(_open(user).filter(Q(answer_due__lt=today) | late_ack).order_by("answer_due", "id")[:limit])


def board_for(user: Any, *, today: dt.date | None = None, limit: int = 100) -> Board:
    """The coordinator's board: new (admissibility to decide), to acknowledge, due soon, overdue."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=settings.BALIE_COMPLAINT_WARNING_DAYS)
    rows = _open(user)
    return Board(
        new=list(
            rows.filter(state__in=[ComplaintState.REGISTERED, ComplaintState.NOT_A_COMPLAINT]).order_by(
                "acknowledge_due", "id"
            )[:limit]
        ),
        to_acknowledge=list(
            rows.filter(state=ComplaintState.ADMISSIBLE).order_by("acknowledge_due", "id")[:limit]
        ),
        due_soon=list(
            rows.filter(answer_due__gte=today, answer_due__lte=soon)
            .exclude(state=ComplaintState.ANSWERED)
            .order_by("answer_due", "id")[:limit]
        ),
        overdue=overdue_complaints(user, today=today, limit=limit),
    )


def complaints_of_party(user: Any, party: Party, *, limit: int = 10) -> list[Complaint]:
    """The complaints a party made, for the 360° view (only what the reader may see)."""
    cases = CaseRole.objects.filter(party=party, kind=RoleKind.INITIATOR).values("case_id")
    return list(
        complaints_for(user)
        .filter(case_id__in=cases)
        .select_related(*LIST_FIELDS)
        .order_by("-received_on", "-id")[:limit]
    )


def complaint_intake_department() -> Department | None:
    """The department that receives complaints (the complaint case type's), or None while the
    complaint flow is not set up: where the e-loket registers a complaint as."""
    case_type = (
        CaseType.objects.filter(code=settings.BALIE_COMPLAINT_CASE_TYPE, active=True)
        .select_related("department")
        .first()
    )
    return case_type.department if case_type is not None else None
