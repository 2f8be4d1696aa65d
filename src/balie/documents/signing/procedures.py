"""Keeping signing procedures, functions and substitutions (Beheer › Ondertekening).

Only a functional administrator changes them (`by=None` is the demo loader and migrations). Every
change is one transaction with a change record; a procedure's signers are recorded on the
procedure as the ordered list they form after the change. Requests already under way keep the
plan they were given (their steps are a copy), so a change never moves a signature in progress.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.accounts.permissions import can_manage_catalogue, is_employee
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction

from ..models import (
    CertificateKind,
    ProcedureSigner,
    SigningFunction,
    SigningMethod,
    SigningProcedure,
    Substitution,
)

PROCEDURE_FIELDS = ["name", "description", "approval_required", "method", "active"]
FUNCTION_FIELDS = ["name", "holder", "active"]
SUBSTITUTION_FIELDS = ["for_user", "for_function", "substitute", "valid_from", "valid_until", "reason"]


def _require_admin(by: User | None) -> None:
    if by is not None and not can_manage_catalogue(by):
        raise ValidationError(_("Alleen een functioneel beheerder beheert de ondertekening."))


def _check_employee(user: User | None, field: str) -> None:
    if user is not None and (not is_employee(user)):
        raise ValidationError({field: _("Kies een actieve medewerker.")})


def _signer_list(procedure: SigningProcedure) -> list[str]:
    return [
        f"{signer.position}. {signer.function or signer.user} ({signer.get_certificate_display()})"
        for signer in procedure.signers.select_related("user", "function").order_by("position")
    ]


# --- functions -----------------------------------------------------------------------------------


@transaction.atomic
def create_function(*, name: str, holder: User | None, by: User | None) -> SigningFunction:
    _require_admin(by)
    _check_employee(holder, "holder")
    function = SigningFunction(name=(name or "").strip(), holder=holder)
    function.full_clean()
    function.save()
    record_creation(instance=function, fields=FUNCTION_FIELDS, by=by)
    return function


@transaction.atomic
def update_function(*, function: SigningFunction, by: User | None, **changes: Any) -> SigningFunction:
    _require_admin(by)
    function = SigningFunction.objects.select_for_update().get(pk=function.pk)
    before = snapshot(function, FUNCTION_FIELDS)
    for name, value in changes.items():
        if name not in FUNCTION_FIELDS:
            raise TypeError(f"update_function: unknown field {name!r}")
        setattr(function, name, value.strip() if isinstance(value, str) else value)
    _check_employee(function.holder, "holder")
    function.full_clean()
    function.save()
    record_change(
        instance=function,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(function, FUNCTION_FIELDS)),
        by=by,
    )
    return function


# --- procedures ----------------------------------------------------------------------------------


@transaction.atomic
def create_procedure(
    *,
    name: str,
    by: User | None,
    description: str = "",
    approval_required: bool = False,
    method: str = SigningMethod.BALIE,
) -> SigningProcedure:
    _require_admin(by)
    procedure = SigningProcedure(
        name=(name or "").strip(),
        description=(description or "").strip(),
        approval_required=approval_required,
        method=method,
    )
    procedure.full_clean()
    procedure.save()
    record_creation(instance=procedure, fields=PROCEDURE_FIELDS, by=by)
    return procedure


@transaction.atomic
def update_procedure(*, procedure: SigningProcedure, by: User | None, **changes: Any) -> SigningProcedure:
    _require_admin(by)
    procedure = SigningProcedure.objects.select_for_update().get(pk=procedure.pk)
    before = snapshot(procedure, PROCEDURE_FIELDS)
    for name, value in changes.items():
        if name not in PROCEDURE_FIELDS:
            raise TypeError(f"update_procedure: unknown field {name!r}")
        setattr(procedure, name, value.strip() if isinstance(value, str) else value)
    procedure.full_clean()
    if procedure.active and not before["active"] and not procedure.signers.exists():
        raise ValidationError(_("Een procedure zonder ondertekenaars kan niet actief zijn."))
    procedure.save()
    record_change(
        instance=procedure,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(procedure, PROCEDURE_FIELDS)),
        by=by,
    )
    return procedure


@transaction.atomic
def add_signer(
    *,
    procedure: SigningProcedure,
    by: User | None,
    user: User | None = None,
    function: SigningFunction | None = None,
    certificate: str = CertificateKind.MUNICIPALITY,
) -> ProcedureSigner:
    """Add a signer at the end of the procedure's order: an employee or a function (one of both)."""
    _require_admin(by)
    if (user is None) == (function is None):
        raise ValidationError(_("Kies een medewerker of een functie (één van beide)."))
    _check_employee(user, "user")
    if function is not None and not function.active:
        raise ValidationError({"function": _("Deze functie is niet meer actief.")})
    if certificate not in CertificateKind.values:
        raise ValidationError({"certificate": _("Kies een certificaat.")})
    procedure = SigningProcedure.objects.select_for_update().get(pk=procedure.pk)
    before = _signer_list(procedure)
    last = procedure.signers.aggregate(last=Max("position"))["last"] or 0
    signer = ProcedureSigner.objects.create(
        procedure=procedure, position=last + 1, user=user, function=function, certificate=certificate
    )
    record_change(
        instance=procedure,
        action=ChangeAction.UPDATE,
        changes={"signers": [before, _signer_list(procedure)]},
        by=by,
    )
    return signer


@transaction.atomic
def remove_signer(*, signer: ProcedureSigner, by: User | None) -> None:
    _require_admin(by)
    procedure = SigningProcedure.objects.select_for_update().get(pk=signer.procedure_id)
    before = _signer_list(procedure)
    ProcedureSigner.objects.filter(pk=signer.pk).delete()
    # Close the gap: positions stay 1..n (shifted one at a time upward, so the unique pair holds).
    for position, row in enumerate(procedure.signers.order_by("position"), start=1):
        if row.position != position:
            ProcedureSigner.objects.filter(pk=row.pk).update(position=position)
    if procedure.active and not procedure.signers.exists():
        procedure.active = False
        procedure.save(update_fields=["active", "updated_at"])
    record_change(
        instance=procedure,
        action=ChangeAction.UPDATE,
        changes={"signers": [before, _signer_list(procedure)]},
        by=by,
    )


@transaction.atomic
def move_signer(*, signer: ProcedureSigner, up: bool, by: User | None) -> None:
    """Swap a signer with the one before (up) or after it."""
    _require_admin(by)
    procedure = SigningProcedure.objects.select_for_update().get(pk=signer.procedure_id)
    before = _signer_list(procedure)
    rows = list(procedure.signers.order_by("position"))
    index = next((i for i, row in enumerate(rows) if row.pk == signer.pk), None)
    other = None if index is None else index - 1 if up else index + 1
    if index is None or other is None or not 0 <= other < len(rows):
        return
    first, second = rows[index], rows[other]
    # Through a free position, so that the unique (procedure, position) pair holds at each step.
    free = len(rows) + 1
    ProcedureSigner.objects.filter(pk=first.pk).update(position=free)
    ProcedureSigner.objects.filter(pk=second.pk).update(position=first.position)
    ProcedureSigner.objects.filter(pk=first.pk).update(position=second.position)
    record_change(
        instance=procedure,
        action=ChangeAction.UPDATE,
        changes={"signers": [before, _signer_list(procedure)]},
        by=by,
    )


# --- substitutions -------------------------------------------------------------------------------


@transaction.atomic
def add_substitution(
    *,
    substitute: User,
    valid_from: dt.date,
    valid_until: dt.date,
    by: User | None,
    for_user: User | None = None,
    for_function: SigningFunction | None = None,
    reason: str = "",
) -> Substitution:
    """`substitute` may act for an employee or a function from `valid_from` to `valid_until`."""
    _require_admin(by)
    if (for_user is None) == (for_function is None):
        raise ValidationError(_("Kies wie vervangen wordt: een medewerker of een functie (één van beide)."))
    _check_employee(substitute, "substitute")
    _check_employee(for_user, "for_user")
    errors: dict[str, str] = {}
    if for_user is not None and for_user.pk == substitute.pk:
        errors["substitute"] = _("Iemand kan zichzelf niet vervangen.")
    if for_function is not None and for_function.holder_id == substitute.pk:
        errors["substitute"] = _("Wie de functie bekleedt, kan zichzelf niet vervangen.")
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("De einddatum ligt vóór de begindatum.")
    if errors:
        raise ValidationError(errors)
    substitution = Substitution(
        for_user=for_user,
        for_function=for_function,
        substitute=substitute,
        valid_from=valid_from,
        valid_until=valid_until,
        reason=(reason or "").strip(),
    )
    substitution.full_clean()
    substitution.save()
    record_creation(instance=substitution, fields=SUBSTITUTION_FIELDS, by=by)
    return substitution


@transaction.atomic
def end_substitution(*, substitution: Substitution, on: dt.date, by: User | None) -> Substitution | None:
    """End a substitution: it holds until the day before `on` (today); one that has not started
    yet is removed. What a substitute signed meanwhile stays as it was."""
    _require_admin(by)
    substitution = Substitution.objects.select_for_update().get(pk=substitution.pk)
    before = snapshot(substitution, SUBSTITUTION_FIELDS)
    if substitution.valid_from >= on:
        record_change(
            instance=substitution,
            action=ChangeAction.DELETE,
            changes={key: [value, None] for key, value in before.items() if value not in (None, "")},
            by=by,
        )
        substitution.delete()
        return None
    if substitution.valid_until >= on:
        substitution.valid_until = on - dt.timedelta(days=1)
        substitution.save(update_fields=["valid_until", "updated_at"])
        record_change(
            instance=substitution,
            action=ChangeAction.UPDATE,
            changes=diff(before, snapshot(substitution, SUBSTITUTION_FIELDS)),
            by=by,
        )
    return substitution
