"""Importing bank statements: each incoming movement whose OGM names an open order pays it; the
rest is listed for an employee, who links a line to an order by hand or sets it aside."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction

from .coda import Movement, parse_coda, parse_csv
from .models import BankLine, BankLineState, BankStatement, Method, Order, OrderState
from .money import ZERO
from .permissions import can_manage_payments

MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    statement: BankStatement
    matched: int
    unmatched: int
    ignored: int


def _require(user: User) -> None:
    if not can_manage_payments(user):
        raise ValidationError(_("U mag geen rekeninguittreksels verwerken."), code="role")


def _pay_from_line(line: BankLine, order: Order, *, by: User) -> None:
    from .actions import lock_order, record_payment

    order = lock_order(order)
    record_payment(
        order=order,
        amount=line.amount,
        method=Method.TRANSFER,
        by=by,
        description=_("Overschrijving van %(name)s") % {"name": line.counterparty_name or "?"},
        bank_line=line,
    )
    line.order = order
    line.state = BankLineState.MATCHED
    if line.amount > order.total:
        line.note = _("Meer betaald dan gevraagd.")


def _match(line: BankLine, *, by: User) -> None:
    if line.amount <= ZERO:
        line.state = BankLineState.IGNORED
        line.note = _("Uitgaande betaling.")
        return
    order = Order.objects.filter(ogm=line.ogm).first() if line.ogm else None
    if order is None:
        line.state = BankLineState.UNMATCHED
        line.note = (
            _("Geen gestructureerde mededeling.")
            if not line.ogm
            else _("Onbekende gestructureerde mededeling.")
        )
        return
    if order.state != OrderState.OPEN:
        line.state = BankLineState.UNMATCHED
        line.order = None
        line.note = _("Bestelling %(number)s is %(state)s.") % {
            "number": order.number,
            "state": order.get_state_display(),
        }
        return
    _pay_from_line(line, order, by=by)


def import_statement(*, filename: str, data: bytes, by: User) -> ImportResult:
    """Read a CODA or CSV file and match its lines; the same file twice is refused."""
    _require(by)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("Het bestand is te groot."), code="too_large")
    is_coda = data.lstrip()[:1] == b"0" and not filename.lower().endswith(".csv")
    statement_data = parse_coda(data) if is_coda else parse_csv(data)
    try:
        with transaction.atomic():
            statement = BankStatement.objects.create(
                filename=filename[:200],
                file_format="coda" if is_coda else "csv",
                sha256=hashlib.sha256(data).hexdigest(),
                account_iban=statement_data.account[:34],
                statement_date=statement_data.date,
                imported_by=by,
            )
            counts = {BankLineState.MATCHED: 0, BankLineState.UNMATCHED: 0, BankLineState.IGNORED: 0}
            for position, movement in enumerate(statement_data.movements, start=1):
                line = _new_line(statement, position, movement)
                _match(line, by=by)
                line.save()
                counts[BankLineState(line.state)] += 1
            record_creation(instance=statement, fields=["filename", "file_format", "sha256"], by=by)
    except IntegrityError as error:
        raise ValidationError(_("Dit uittreksel werd al ingelezen."), code="duplicate") from error
    return ImportResult(
        statement,
        counts[BankLineState.MATCHED],
        counts[BankLineState.UNMATCHED],
        counts[BankLineState.IGNORED],
    )


def _new_line(statement: BankStatement, position: int, movement: Movement) -> BankLine:
    line = BankLine.objects.create(
        statement=statement,
        position=position,
        booked_on=movement.booked_on,
        amount=movement.amount,
        counterparty_name=movement.counterparty_name[:200],
        counterparty_account=movement.counterparty_account[:34],
        communication=movement.communication[:300],
        ogm=movement.ogm,
        state=BankLineState.UNMATCHED,
    )
    return line


def link_bank_line(*, line: BankLine, order: Order, by: User) -> BankLine:
    """An employee pays an order with an unmatched incoming line."""
    _require(by)
    with transaction.atomic():
        line = BankLine.objects.select_for_update().get(pk=line.pk)
        if line.state == BankLineState.MATCHED or line.amount <= ZERO:
            raise ValidationError(_("Deze lijn is al gekoppeld of is geen ontvangst."), code="state")
        if order.state != OrderState.OPEN:
            raise ValidationError(
                _("Bestelling %(number)s staat niet open.") % {"number": order.number}, code="order"
            )
        _pay_from_line(line, order, by=by)
        line.note = (line.note + " " + _("Met de hand gekoppeld.")).strip()[:300]
        line.save()
        record_change(
            instance=line, action=ChangeAction.UPDATE, changes={"order": [None, str(order.uuid)]}, by=by
        )
    return line


def ignore_bank_line(*, line: BankLine, by: User, reason: str) -> BankLine:
    _require(by)
    if not reason.strip():
        raise ValidationError(_("Geef een reden."), code="reason")
    with transaction.atomic():
        line = BankLine.objects.select_for_update().get(pk=line.pk)
        if line.state != BankLineState.UNMATCHED:
            raise ValidationError(_("Alleen een niet-gekoppelde lijn kan opzij."), code="state")
        line.state = BankLineState.IGNORED
        line.note = reason.strip()[:300]
        line.save(update_fields=["state", "note", "updated_at"])
        record_change(
            instance=line,
            action=ChangeAction.UPDATE,
            changes={"state": ["unmatched", "ignored"]},
            by=by,
            reason=reason,
        )
    return line
