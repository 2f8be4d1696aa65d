"""Every change to the ledger: orders, payments, refunds, credit notes, cancellation.

Each action is one transaction with an audit record; the order's state follows its balance, and
higher apps hear of "paid", "refunded" and "cancelled" through `registries.order_settlement_handlers`
after the commit. Online payment (`start_online_payment`) and the register live in their own
modules and are re-exported here, so callers need only this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.audit.actions import Actor, record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.numbering import format_register_number, next_number, next_register_number
from balie.parties.models import Party

from .models import (
    EntryKind,
    LedgerEntry,
    LineKind,
    Method,
    Order,
    OrderLine,
    OrderState,
    RegisterSession,
)
from .money import ZERO, cents
from .ogm import make_ogm
from .registries import order_settlement_handlers
from .workflow import check_transition

REFERENCE_MAX = 100


@dataclass(frozen=True)
class LineInput:
    """One line of a new order. `unit_amount` includes VAT (what the citizen pays)."""

    description: str
    quantity: Decimal
    unit_amount: Decimal
    vat_rate: Decimal = Decimal(0)
    kind: str = LineKind.FEE


def _label(by: Actor | None) -> str:
    return by.audit_label() if by else "systeem"


def _line_value(line: Any, name: str, default: Any = None) -> Any:
    if isinstance(line, dict):
        return line.get(name, default)
    return getattr(line, name, default)


def _clean_lines(lines: Iterable[Any]) -> list[LineInput]:
    cleaned: list[LineInput] = []
    for line in lines:
        description = str(_line_value(line, "description", "")).strip()
        quantity = Decimal(_line_value(line, "quantity", 1))
        unit_amount = _line_value(line, "unit_amount")
        vat_rate = Decimal(_line_value(line, "vat_rate", 0) or 0)
        kind = str(_line_value(line, "kind", LineKind.FEE) or LineKind.FEE)
        if not isinstance(unit_amount, Decimal):
            raise ValidationError(
                _("Een bedrag moet een Decimal zijn, geen %(type)s.") % {"type": type(unit_amount).__name__}
            )
        if not description:
            raise ValidationError(_("Elke lijn heeft een omschrijving nodig."), code="line")
        if quantity <= 0 or unit_amount < 0 or not Decimal(0) <= vat_rate <= Decimal(100):
            raise ValidationError(
                _("Lijn „%(line)s”: aantal, prijs of btw klopt niet.") % {"line": description[:60]}
            )
        if kind not in LineKind.values:
            raise ValidationError(_("Onbekende soort lijn: %(kind)s.") % {"kind": kind})
        cleaned.append(LineInput(description[:200], quantity, cents(unit_amount), vat_rate, kind))
    if not cleaned:
        raise ValidationError(_("Een bestelling heeft minstens één lijn."), code="no_lines")
    return cleaned


def _notify(order: Order, event: str) -> None:
    """Tell the app that made the order, after this transaction commits."""
    kind = order.reference_kind
    try:
        handler = order_settlement_handlers.get(kind)
    except KeyError:
        return
    transaction.on_commit(lambda: handler(order, event))


def _entry(order: Order, *, kind: str, amount: Decimal, by: Actor | None, **fields: Any) -> LedgerEntry:
    entry = LedgerEntry.objects.create(
        order=order, kind=kind, amount=cents(amount), by_label=_label(by), **fields
    )
    record_creation(instance=entry, fields=["order", "kind", "amount", "method", "number"], by=by)
    return entry


def _set_state(order: Order, state: str, *, by: Actor | None, reason: str = "") -> None:
    if order.state == state:
        return
    check_transition(order, state)
    before = order.state
    order.state = state
    order.save(update_fields=["state", "updated_at"])
    record_change(
        instance=order, action=ChangeAction.UPDATE, changes={"state": [before, state]}, by=by, reason=reason
    )


def settle(order: Order, *, by: Actor | None) -> None:
    """Let the state follow the balance: nothing left to pay is paid (and the maker hears it)."""
    if order.state == OrderState.CANCELLED:
        return
    balance = order.balance()
    if order.state == OrderState.OPEN and balance <= ZERO:
        _set_state(order, OrderState.PAID, by=by)
        _notify(order, "paid")
    elif order.state == OrderState.PAID and balance > ZERO:
        _set_state(order, OrderState.OPEN, by=by)


def lock_order(order: Order) -> Order:
    """The order again, locked for this transaction (two payments never read the same balance)."""
    return Order.objects.select_for_update().get(pk=order.pk)


def create_order(
    *,
    party: Party | None,
    lines: Iterable[Any],
    reference: str,
    by: Actor | None,
    due_on: dt.date | None = None,
) -> Order:
    """An order with its lines, a number, an OGM for a transfer, and its charge in the ledger."""
    reference = (reference or "").strip()
    if ":" not in reference or len(reference) > REFERENCE_MAX:
        raise ValidationError(
            _("Een verwijzing ziet eruit als „booking:<id>” of „counter:<iets>”."), code="reference"
        )
    cleaned = _clean_lines(lines)
    with transaction.atomic():
        year = timezone.localdate().year
        ogm = make_ogm(int(f"{year % 100:02d}{next_number(register='OGM', year=year):08d}"))
        total = sum((cents(line.quantity * line.unit_amount) for line in cleaned), ZERO)
        order = Order.objects.create(
            number=next_register_number(prefix="BST"),
            party=party,
            reference=reference,
            ogm=ogm,
            due_on=due_on,
            total=total,
            created_by=by if isinstance(by, User) else None,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_amount=line.unit_amount,
                vat_rate=line.vat_rate,
                kind=line.kind,
            )
            for position, line in enumerate(cleaned, start=1)
        )
        record_creation(
            instance=order, fields=["number", "party", "reference", "ogm", "total", "due_on"], by=by
        )
        _entry(
            order,
            kind=EntryKind.CHARGE,
            amount=total,
            by=by,
            description=_("Bestelling %(number)s") % {"number": order.number},
        )
        settle(order, by=by)  # a free order is paid at once
    return order


def record_payment(
    *,
    order: Order,
    amount: Decimal,
    method: str,
    by: Actor | None,
    description: str = "",
    **fields: Any,
) -> LedgerEntry:
    """Money received for an order (inside the caller's transaction, the order locked)."""
    if amount <= ZERO:
        raise ValidationError(_("Een betaling is meer dan € 0,00."), code="amount")
    if order.state == OrderState.CANCELLED:
        raise ValidationError(
            _("Bestelling %(number)s is geannuleerd.") % {"number": order.number}, code="cancelled"
        )
    entry = _entry(
        order, kind=EntryKind.PAYMENT, amount=-amount, method=method, by=by, description=description, **fields
    )
    settle(order, by=by)
    return entry


def return_late_payment(*, order: Order, amount: Decimal, provider_payment_id: str) -> LedgerEntry:
    """An online payment that arrived for an order no longer open (cancelled, or paid meanwhile):
    booked, and refunded to the provider at once (the balance does not move)."""
    from .online import request_provider_refund

    _entry(
        order,
        kind=EntryKind.PAYMENT,
        amount=-amount,
        method=Method.ONLINE,
        by=None,
        description=_("Online betaald na afsluiten"),
        provider_payment_id=provider_payment_id,
    )
    entry = _entry(
        order,
        kind=EntryKind.REFUND,
        amount=amount,
        method=Method.ONLINE,
        by=None,
        description=_("Automatisch terugbetaald: de bestelling stond niet meer open"),
        provider_payment_id=provider_payment_id,
    )
    request_provider_refund(order=order, amount=amount, entry=entry)
    return entry


def _credit_note(order: Order, *, amount: Decimal, by: Actor | None, reason: str) -> LedgerEntry:
    year = timezone.localdate().year
    number = format_register_number(prefix="CN", year=year, number=next_number(register="CN", year=year))
    return _entry(
        order, kind=EntryKind.CREDIT_NOTE, amount=-amount, number=number, description=reason[:300], by=by
    )


def _last_payment_method(order: Order) -> str:
    entry = order.entries.filter(kind=EntryKind.PAYMENT).order_by("-created_at", "-id").first()
    return entry.method if entry else Method.TRANSFER


def refund(
    *,
    order: Order,
    amount: Decimal,
    by: Actor | None,
    reason: str,
    method: str = "",
    session: RegisterSession | None = None,
) -> LedgerEntry:
    """Give money back: a credit note and a refund of the same amount (the balance stays). Paid
    online: the provider is asked to pay it back (outbox); otherwise the way it was paid. The
    register (`register.refund_at_register`) passes `method` cash and its session, so that the
    cash paid out counts in the session's expected cash."""
    from .online import request_provider_refund

    amount = cents(amount)
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor de terugbetaling."), code="reason")
    with transaction.atomic():
        order = lock_order(order)
        paid = order.paid_total()
        if amount <= ZERO or amount > paid:
            raise ValidationError(
                _("Terug te betalen: meer dan € 0,00 en hoogstens wat betaald is (€ %(paid)s).")
                % {"paid": paid},
                code="amount",
            )
        method = method or _last_payment_method(order)
        _credit_note(order, amount=amount, by=by, reason=reason)
        entry = _entry(
            order,
            kind=EntryKind.REFUND,
            amount=amount,
            method=method,
            description=reason[:300],
            by=by,
            session=session,
        )
        if method == Method.ONLINE:
            request_provider_refund(order=order, amount=amount, entry=entry)
        settle(order, by=by)
        _notify(order, "refunded")
    return entry


def cancel_order(*, order: Order, by: Actor | None, reason: str) -> Order:
    """Nothing more to pay: what is still open is credited. Money already received is refunded
    first (`refund`), so a cancelled order never holds money."""
    with transaction.atomic():
        order = lock_order(order)
        if order.state == OrderState.CANCELLED:
            return order
        if order.paid_total() > ZERO:
            raise ValidationError(
                _("Op bestelling %(number)s is al betaald: betaal eerst terug.") % {"number": order.number},
                code="paid",
            )
        balance = order.balance()
        if balance > ZERO:
            _credit_note(order, amount=balance, by=by, reason=reason or _("Annulering"))
        _set_state(order, OrderState.CANCELLED, by=by, reason=reason)
        order.online_payments.filter(state="created").update(state="cancelled")
        _notify(order, "cancelled")
    return order


def start_online_payment(*, order: Order, return_url: str) -> str:
    """Create a payment at the provider for what is still open; the provider's page to send the
    payer to."""
    from .online import start_online_payment as start

    return start(order=order, return_url=return_url)
