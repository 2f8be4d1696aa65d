"""Reads of payments, for employees only: anyone else gets "not found"."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import (
    BankLine,
    BankLineState,
    BankStatement,
    CashRegister,
    FeeItem,
    Order,
    Receipt,
    RegisterSession,
)
from .permissions import can_see_payments


def _check(user: Any) -> None:
    if not can_see_payments(user):
        raise Http404


def orders_for(user: Any, *, state: str = "", search: str = "") -> QuerySet[Order]:
    _check(user)
    orders = Order.objects.select_related("party")
    if state:
        orders = orders.filter(state=state)
    search = search.strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        if len(digits) == 12:
            orders = orders.filter(ogm=digits)
        else:
            orders = orders.filter(number__icontains=search) | orders.filter(reference__icontains=search)
    return orders.order_by("-created_at", "-id")


def get_order_for(user: Any, order_uuid: uuid.UUID) -> Order:
    _check(user)
    order = Order.objects.select_related("party").filter(uuid=order_uuid).first()
    if order is None:
        raise Http404
    return order


def registers_for(user: Any) -> QuerySet[CashRegister]:
    _check(user)
    return CashRegister.objects.all()


def open_session_of(register: CashRegister) -> RegisterSession | None:
    return register.sessions.filter(closed_at__isnull=True).select_related("opened_by").first()


def get_session_for(user: Any, session_uuid: uuid.UUID) -> RegisterSession:
    _check(user)
    session = (
        RegisterSession.objects.select_related("register", "opened_by", "closed_by", "signed_off_by")
        .filter(uuid=session_uuid)
        .first()
    )
    if session is None:
        raise Http404
    return session


def sessions_to_sign_off(user: Any) -> QuerySet[RegisterSession]:
    _check(user)
    return RegisterSession.objects.filter(closed_at__isnull=False, signed_off_at__isnull=True).select_related(
        "register", "closed_by"
    )


def fee_catalogue() -> QuerySet[FeeItem]:
    return FeeItem.objects.filter(active=True)


def statements_for(user: Any) -> QuerySet[BankStatement]:
    _check(user)
    return BankStatement.objects.select_related("imported_by")


def get_statement_for(user: Any, statement_uuid: uuid.UUID) -> BankStatement:
    _check(user)
    statement = BankStatement.objects.filter(uuid=statement_uuid).first()
    if statement is None:
        raise Http404
    return statement


def unmatched_lines_for(user: Any) -> QuerySet[BankLine]:
    _check(user)
    return (
        BankLine.objects.filter(state=BankLineState.UNMATCHED)
        .select_related("statement")
        .order_by("booked_on", "id")
    )


def get_bank_line_for(user: Any, line_uuid: uuid.UUID) -> BankLine:
    _check(user)
    line = BankLine.objects.filter(uuid=line_uuid).first()
    if line is None:
        raise Http404
    return line


def find_order_for(user: Any, text: str) -> Order | None:
    """An order by its number or its OGM (any usual notation), for the register and bank lines."""
    _check(user)
    text = (text or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 12 and not text.upper().startswith("BST"):
        return Order.objects.filter(ogm=digits).first()
    return Order.objects.filter(number__iexact=text).first()


# --- the e-loket: a party's own orders and receipts ("not found" for anyone else's) -------------


def orders_of_party(party: Any) -> QuerySet[Order]:
    return Order.objects.filter(party=party).order_by("-created_at", "-id")


def get_order_of_party(party: Any, order_uuid: uuid.UUID) -> Order:
    order = orders_of_party(party).filter(uuid=order_uuid).first()
    if order is None:
        raise Http404
    return order


def get_receipt_of_party(party: Any, receipt_uuid: uuid.UUID) -> Receipt:
    receipts = Receipt.objects.select_related("order", "issued_by")
    receipt = receipts.filter(uuid=receipt_uuid, order__party=party).first()
    if receipt is None:
        raise Http404
    return receipt
