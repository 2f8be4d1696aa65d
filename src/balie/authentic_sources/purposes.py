"""The legal purposes an authentic source may be consulted for: managed data, kept by the
functional administrator (Beheer › Doelen), each change in the history."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from balie.audit.actions import Actor, diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction

from .models.consultations import LegalPurpose

FIELDS = ["capacity_code", "description", "legal_basis", "active"]

DEMO_PURPOSES = [
    ("1300", "Burgerzaken: afgifte van attesten en uittreksels", "Wet van 8 augustus 1983 (Rijksregister)"),
    ("1300", "Burgerzaken: dossier van de burger bijwerken", "Wet van 8 augustus 1983 (Rijksregister)"),
    ("1301", "Sociale dienst: onderzoek naar rechten", "Decreet lokaal bestuur, art. 2"),
    ("1302", "Omgeving: vergunningsdossier", "Omgevingsvergunningsdecreet"),
    ("1305", "Belastingen: inning van gemeentebelastingen", "Decreet van 30 mei 2008"),
]


def all_purposes() -> QuerySet[LegalPurpose]:
    return LegalPurpose.objects.order_by("-active", "description", "id")


def get_purpose(purpose_uuid: uuid.UUID | str) -> LegalPurpose:
    try:
        return LegalPurpose.objects.get(uuid=purpose_uuid)
    except (LegalPurpose.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def _check_unique(purpose: LegalPurpose) -> None:
    clash = LegalPurpose.objects.filter(capacity_code=purpose.capacity_code, description=purpose.description)
    if purpose.pk:
        clash = clash.exclude(pk=purpose.pk)
    if clash.exists():
        raise ValidationError({"description": _("Er is al een doel met deze omschrijving en code.")})


@transaction.atomic
def create_legal_purpose(
    *, capacity_code: str, description: str, legal_basis: str = "", by: Actor | None
) -> LegalPurpose:
    purpose = LegalPurpose(
        capacity_code=capacity_code.strip(), description=description.strip(), legal_basis=legal_basis.strip()
    )
    purpose.full_clean(validate_unique=False)
    _check_unique(purpose)
    purpose.save()
    record_creation(instance=purpose, fields=FIELDS, by=by)
    return purpose


@transaction.atomic
def update_legal_purpose(
    *, purpose: LegalPurpose, capacity_code: str, description: str, legal_basis: str = "", by: Actor | None
) -> LegalPurpose:
    purpose = LegalPurpose.objects.select_for_update().get(pk=purpose.pk)
    before = snapshot(purpose, FIELDS)
    purpose.capacity_code, purpose.description = capacity_code.strip(), description.strip()
    purpose.legal_basis = legal_basis.strip()
    purpose.full_clean(validate_unique=False)
    _check_unique(purpose)
    purpose.save()
    record_change(
        instance=purpose, action=ChangeAction.UPDATE, changes=diff(before, snapshot(purpose, FIELDS)), by=by
    )
    return purpose


@transaction.atomic
def set_legal_purpose_active(*, purpose: LegalPurpose, active: bool, by: Actor | None) -> LegalPurpose:
    """An inactive purpose can no longer be chosen; the consultations made for it keep its code
    and description."""
    purpose = LegalPurpose.objects.select_for_update().get(pk=purpose.pk)
    if purpose.active != active:
        purpose.active = active
        purpose.save(update_fields=["active", "updated_at"])
        record_change(
            instance=purpose, action=ChangeAction.UPDATE, changes={"active": [not active, active]}, by=by
        )
    return purpose


def create_demo_purposes() -> int:
    """The demo municipality's purposes (`balie demo`); returns how many were added."""
    added = 0
    for code, description, basis in DEMO_PURPOSES:
        _purpose, created = LegalPurpose.objects.get_or_create(
            capacity_code=code, description=description, defaults={"legal_basis": basis}
        )
        added += created
    return added
