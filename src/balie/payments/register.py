"""The cash register: open a session with a float, settle orders in cash or by card with a numbered
receipt, sell counter fees from the catalogue, close with a count, and a second person signs off."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.numbering import next_register_number
from balie.core.outbox import write_message
from balie.parties.models import Party

from .models import (
    CashRegister,
    FeeItem,
    LedgerEntry,
    Method,
    Order,
    OrderState,
    Receipt,
    RegisterSession,
)
from .money import ZERO, cents, format_euro, parse_amount
from .permissions import can_sign_off_register, can_work_register

RECEIPT_MAIL_SENDER = "payments.receipt_mail"
DENOMINATIONS = [
    Decimal(v)
    for v in (
        "500",
        "200",
        "100",
        "50",
        "20",
        "10",
        "5",
        "2",
        "1",
        "0.50",
        "0.20",
        "0.10",
        "0.05",
        "0.02",
        "0.01",
    )
]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _require_cashier(user: User) -> None:
    if not can_work_register(user):
        raise ValidationError(_("Alleen een kassier werkt met de kassa."), code="not_cashier")


def open_session(*, register: CashRegister, opening_float: str | Decimal, by: User) -> RegisterSession:
    _require_cashier(by)
    amount = opening_float if isinstance(opening_float, Decimal) else parse_amount(opening_float)
    try:
        with transaction.atomic():
            session = RegisterSession.objects.create(
                register=register, opened_by=by, opened_at=timezone.now(), opening_float=cents(amount)
            )
            record_creation(instance=session, fields=["register", "opening_float"], by=by)
    except IntegrityError as error:
        raise ValidationError(
            _("Kassa %(register)s is al geopend.") % {"register": register.name}, code="already_open"
        ) from error
    return session


def _open_session_locked(session: RegisterSession) -> RegisterSession:
    session = RegisterSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_open:
        raise ValidationError(_("Deze kassa is afgesloten."), code="closed")
    return session


def settle_at_register(
    *,
    session: RegisterSession,
    order: Order,
    method: str,
    by: User,
    tendered: str | Decimal | None = None,
    email: str = "",
) -> Receipt:
    """Take what is open on the order in cash or by card; a receipt with the next number. Cash:
    what was handed over (at least the amount); the change is on the receipt."""
    from .actions import lock_order, record_payment

    _require_cashier(by)
    if method not in (Method.CASH, Method.CARD):
        raise ValidationError(_("Aan de kassa betaalt men contant of met de kaart."), code="method")
    email = (email or "").strip()
    if email and not EMAIL.match(email):
        raise ValidationError(_("„%(email)s” is geen e-mailadres.") % {"email": email[:60]}, code="email")
    given: Decimal | None = None
    if tendered not in (None, ""):
        given = tendered if isinstance(tendered, Decimal) else parse_amount(str(tendered))
    with transaction.atomic():
        session = _open_session_locked(session)
        order = lock_order(order)
        if order.state != OrderState.OPEN:
            raise ValidationError(
                _("Bestelling %(number)s staat niet open (%(state)s).")
                % {"number": order.number, "state": order.get_state_display()},
                code="state",
            )
        amount = order.balance()
        if method == Method.CASH and given is not None and given < amount:
            raise ValidationError(
                _("Ontvangen € %(given)s is minder dan te betalen € %(amount)s.")
                % {"given": given, "amount": amount},
                code="too_little",
            )
        receipt = Receipt.objects.create(
            number=next_register_number(prefix="KT"),
            session=session,
            order=order,
            amount=amount,
            method=method,
            tendered=given if method == Method.CASH else None,
            issued_by=by,
            emailed_to=email,
        )
        record_payment(
            order=order,
            amount=amount,
            method=method,
            by=by,
            description=_("Kasticket %(number)s") % {"number": receipt.number},
            session=session,
        )
        record_creation(instance=receipt, fields=["number", "order", "amount", "method", "emailed_to"], by=by)
        if email:
            write_message(
                sender=RECEIPT_MAIL_SENDER,
                destination=f"mail:{email}",
                payload={"receipt": str(receipt.uuid)},
            )
    return receipt


def sell_counter_fees(
    *,
    session: RegisterSession,
    items: dict[str, int],
    method: str,
    by: User,
    party: Party | None = None,
    tendered: str | Decimal | None = None,
    email: str = "",
) -> Receipt:
    """A counter sale from the fee catalogue ({code: quantity}), settled at once."""
    from .actions import create_order

    lines = []
    catalogue = {item.code: item for item in FeeItem.objects.filter(active=True, code__in=list(items))}
    for code, quantity in items.items():
        if quantity <= 0:
            continue
        item = catalogue.get(code)
        if item is None:
            raise ValidationError(_("Onbekend kassa-artikel: %(code)s.") % {"code": code}, code="item")
        lines.append(
            {
                "description": item.description,
                "quantity": Decimal(quantity),
                "unit_amount": item.unit_amount,
                "vat_rate": item.vat_rate,
            }
        )
    if not lines:
        raise ValidationError(_("Kies minstens één artikel."), code="no_items")
    with transaction.atomic():
        order = create_order(party=party, lines=lines, reference=f"counter:{session.uuid}", by=by)
        return settle_at_register(
            session=session, order=order, method=method, by=by, tendered=tendered, email=email
        )


def refund_at_register(
    *,
    session: RegisterSession,
    order: Order,
    amount: str | Decimal,
    by: User,
    reason: str,
) -> LedgerEntry:
    """Pay money back in cash from the drawer: a refund entry of this session, so the close
    expects that much less cash. Never more than was paid on the order, nor than the drawer holds
    (float + cash in − cash out); a refused refund changes nothing."""
    from .actions import refund

    _require_cashier(by)
    value = amount if isinstance(amount, Decimal) else parse_amount(amount)
    value = cents(value)
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor de terugbetaling."), code="reason")
    with transaction.atomic():
        session = _open_session_locked(session)
        in_drawer = cents(session.opening_float + session.cash_received())
        if value > in_drawer:
            raise ValidationError(
                _("Er zit maar %(drawer)s in de kassa: %(amount)s contant terugbetalen kan niet.")
                % {"drawer": format_euro(in_drawer), "amount": format_euro(value)},
                code="drawer",
            )
        return refund(order=order, amount=value, by=by, reason=reason, method=Method.CASH, session=session)


def parse_count(
    *, total: str = "", per_denomination: dict[str, str] | None = None
) -> tuple[Decimal, dict[str, int]]:
    """The counted cash: per denomination (whole numbers of each note and coin) or one total.
    Letters anywhere are refused with the field named."""
    detail: dict[str, int] = {}
    if per_denomination and any((v or "").strip() for v in per_denomination.values()):
        counted = ZERO
        for denomination in DENOMINATIONS:
            key = f"{denomination}"
            text = (per_denomination.get(key) or "").strip()
            if not text:
                continue
            if not text.isdigit():
                raise ValidationError(
                    _("Bij € %(denomination)s staat „%(text)s”: tel in hele stuks, alleen cijfers.")
                    % {"denomination": key, "text": text[:20]},
                    code="count_not_a_number",
                )
            detail[key] = int(text)
            counted += denomination * int(text)
        return cents(counted), detail
    if not (total or "").strip():
        raise ValidationError(_("Vul de telling in: per coupure of het totaal."), code="count_missing")
    return parse_amount(total), detail


def close_session(
    *,
    session: RegisterSession,
    by: User,
    total: str = "",
    per_denomination: dict[str, str] | None = None,
    note: str = "",
) -> RegisterSession:
    """Close with the count: expected (float + cash in − cash paid back) against counted; the
    difference is recorded. A count with letters changes nothing."""
    _require_cashier(by)
    counted, detail = parse_count(total=total, per_denomination=per_denomination)
    with transaction.atomic():
        session = _open_session_locked(session)
        expected = cents(session.opening_float + session.cash_received())
        session.closed_by = by
        session.closed_at = timezone.now()
        session.expected_cash = expected
        session.counted_cash = counted
        session.difference = cents(counted - expected)
        session.count_detail = detail
        session.close_note = note.strip()[:500]
        session.save()
        record_change(
            instance=session,
            action=ChangeAction.UPDATE,
            changes={
                "expected_cash": [None, str(expected)],
                "counted_cash": [None, str(counted)],
                "difference": [None, str(session.difference)],
            },
            by=by,
            reason=session.close_note,
        )
    return session


def sign_off_session(*, session: RegisterSession, by: User) -> RegisterSession:
    """A second person agrees with the count (not who closed it)."""
    if not can_sign_off_register(by):
        raise ValidationError(
            _("Alleen een kassier of teamverantwoordelijke tekent een kassa af."), code="role"
        )
    with transaction.atomic():
        session = RegisterSession.objects.select_for_update().get(pk=session.pk)
        if session.is_open:
            raise ValidationError(_("Sluit de kassa eerst af."), code="open")
        if session.signed_off_at is not None:
            raise ValidationError(_("Deze kassa is al afgetekend."), code="signed")
        if by.pk in (session.closed_by_id, session.opened_by_id):
            raise ValidationError(
                _("Een tweede persoon tekent af, niet wie de kassa afsloot."), code="same_person"
            )
        session.signed_off_by = by
        session.signed_off_at = timezone.now()
        session.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
        record_change(
            instance=session,
            action=ChangeAction.UPDATE,
            changes={"signed_off_by": [None, str(by.uuid)]},
            by=by,
        )
    return session
