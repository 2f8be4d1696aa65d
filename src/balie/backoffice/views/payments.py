"""Payments: orders and their ledger, the cash register (keyboard-friendly, big buttons), the day
close and its sign-off, bank statement import and the lines that matched nothing. Every change
goes through an action of the payments app."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.payments import queries
from balie.payments.actions import cancel_order, refund, start_online_payment
from balie.payments.bank import ignore_bank_line, import_statement, link_bank_line
from balie.payments.models import Order, OrderState, Receipt
from balie.payments.money import format_euro, parse_amount
from balie.payments.ogm import validate_ogm
from balie.payments.pdfs import invoice_pdf, receipt_pdf
from balie.payments.permissions import (
    can_manage_payments,
    can_see_payments,
    can_sign_off_register,
    can_work_register,
)
from balie.payments.register import (
    close_session,
    open_session,
    refund_at_register,
    sell_counter_fees,
    settle_at_register,
    sign_off_session,
)

from ..access import EmployeeRequest, permission_required
from ..forms.common import add_domain_errors
from ..forms.payments import (
    CancelForm,
    CashRefundForm,
    CloseRegisterForm,
    FeeSaleForm,
    IgnoreLineForm,
    LinkLineForm,
    OpenRegisterForm,
    RefundForm,
    SettleForm,
    StatementForm,
)

employee = permission_required(can_see_payments)
cashier = permission_required(can_work_register)
manager = permission_required(can_manage_payments)
PAGE_SIZE = 50


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _lookup(request: EmployeeRequest, text: str) -> Order:
    """The order a cashier typed: a number or an OGM (its check digit checked first)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 12 and not text.strip().upper().startswith("BST"):
        validate_ogm(text)
    order = queries.find_order_for(request.user, text)
    if order is None:
        raise ValidationError(
            _("Geen bestelling gevonden voor „%(text)s”.") % {"text": text[:40]}, code="not_found"
        )
    return order


# --- orders ----------------------------------------------------------------------------------------


@require_GET
@employee
def order_list(request: EmployeeRequest) -> HttpResponse:
    state = request.GET.get("toestand", "")
    state = state if state in OrderState.values else ""
    search = request.GET.get("zoek", "")[:60]
    orders = list(queries.orders_for(request.user, state=state, search=search)[:PAGE_SIZE])
    return render(
        request,
        "backoffice/payments/orders.html",
        {"orders": orders, "state": state, "states": OrderState.choices, "search": search},
    )


@require_GET
@employee
def order_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    order = queries.get_order_for(request.user, uuid)
    return render(request, "backoffice/payments/order.html", _order_context(request, order))


def _order_context(request: EmployeeRequest, order: Order, **forms: Any) -> dict[str, Any]:
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "entries": list(order.entries.all()),
        "receipts": list(order.receipts.all()),
        "online_payments": list(order.online_payments.all()),
        "balance": order.balance(),
        "paid": order.paid_total(),
        "can_manage": can_manage_payments(request.user),
        "refund_form": forms.get("refund_form") or RefundForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }


@require_GET
@employee
def order_invoice(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    order = queries.get_order_for(request.user, uuid)
    return _pdf(invoice_pdf(order), f"factuur-{order.number}.pdf")


@require_POST
@employee
def order_pay_online(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """Start an online payment for a customer at the desk (or on the phone): the provider's page."""
    order = queries.get_order_for(request.user, uuid)
    back = request.build_absolute_uri(reverse("backoffice:payment_order", args=[order.uuid]))
    try:
        return redirect(start_online_payment(order=order, return_url=back))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("backoffice:payment_order", uuid=order.uuid)


@require_POST
@manager
def order_refund(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    order = queries.get_order_for(request.user, uuid)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            amount = parse_amount(form.cleaned_data["amount"])
            refund(order=order, amount=amount, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De terugbetaling is geboekt."))
            return redirect("backoffice:payment_order", uuid=order.uuid)
    return render(
        request,
        "backoffice/payments/order.html",
        _order_context(request, order, refund_form=form),
        status=400,
    )


@require_POST
@manager
def order_cancel(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    order = queries.get_order_for(request.user, uuid)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            cancel_order(order=order, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De bestelling is geannuleerd."))
            return redirect("backoffice:payment_order", uuid=order.uuid)
    return render(
        request,
        "backoffice/payments/order.html",
        _order_context(request, order, cancel_form=form),
        status=400,
    )


# --- the cash register -----------------------------------------------------------------------------


@cashier
def register_home(request: EmployeeRequest) -> HttpResponse:
    """Choose a register: open it, or go to its open session."""
    registers = [
        (register, queries.open_session_of(register)) for register in queries.registers_for(request.user)
    ]
    form = OpenRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = next((r for r, _s in registers if str(r.uuid) == request.POST.get("register")), None)
        if chosen is None:
            raise Http404
        try:
            session = open_session(
                register=chosen, opening_float=form.cleaned_data["opening_float"], by=request.user
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            return redirect("backoffice:register_session", uuid=session.uuid)
    return render(
        request,
        "backoffice/payments/registers.html",
        {"registers": registers, "form": form, "to_sign": list(queries.sessions_to_sign_off(request.user))},
        status=400 if form.errors else 200,
    )


@cashier
def register_session(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """The register screen: settle an order, or sell counter fees."""
    session = queries.get_session_for(request.user, uuid)
    if not session.is_open:
        return redirect("backoffice:register_close", uuid=session.uuid)
    items = list(queries.fee_catalogue())
    settle_form = SettleForm(request.POST if request.POST.get("form") == "settle" else None, prefix="order")
    sale_form = FeeSaleForm(
        request.POST if request.POST.get("form") == "sale" else None, items=items, prefix="sale"
    )
    if request.method == "POST":
        receipt = None
        if settle_form.is_bound and settle_form.is_valid():
            data = settle_form.cleaned_data
            try:
                order = _lookup(request, data["order"])
                receipt = settle_at_register(
                    session=session,
                    order=order,
                    method=data["method"],
                    tendered=data["tendered"],
                    email=data["email"],
                    by=request.user,
                )
            except ValidationError as error:
                add_domain_errors(settle_form, error)
        elif sale_form.is_bound and sale_form.is_valid():
            data = sale_form.cleaned_data
            try:
                receipt = sell_counter_fees(
                    session=session,
                    items=sale_form.quantities(),
                    method=data["method"],
                    tendered=data["tendered"],
                    email=data["email"],
                    by=request.user,
                )
            except ValidationError as error:
                add_domain_errors(sale_form, error)
        if receipt is not None:
            messages.success(request, _("Betaald. Kasticket %(number)s.") % {"number": receipt.number})
            return redirect(
                f"{reverse('backoffice:register_session', args=[session.uuid])}?ticket={receipt.uuid}"
            )
    last = None
    ticket = _uuid_or_none(request.GET.get("ticket", ""))
    if ticket is not None:
        last = Receipt.objects.filter(session=session, uuid=ticket).select_related("order").first()
    return render(
        request,
        "backoffice/payments/register.html",
        {
            "session": session,
            "settle_form": settle_form,
            "sale_form": sale_form,
            "item_fields": [(item, sale_form[f"item_{item.code}"]) for item in items],
            "last": last,
            "cash": session.cash_received(),
            "card": session.card_received(),
            "receipts": list(session.receipts.select_related("order")[:10]),
            "refund_form": CashRefundForm(prefix="refund"),
        },
        status=400 if settle_form.errors or sale_form.errors else 200,
    )


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@require_GET
@employee
def receipt_download(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    receipt = Receipt.objects.select_related("order", "issued_by").filter(uuid=uuid).first()
    if receipt is None:
        raise Http404
    return _pdf(receipt_pdf(receipt), f"kasticket-{receipt.number}.pdf")


@permission_required(can_sign_off_register)
def register_close(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """The day close: count per denomination or the total; then a second person signs off."""
    session = queries.get_session_for(request.user, uuid)
    form = CloseRegisterForm(request.POST or None)
    if request.method == "POST" and session.is_open and form.is_valid():
        try:
            close_session(
                session=session,
                by=request.user,
                total=form.cleaned_data["total"],
                per_denomination=form.per_denomination(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De kassa is afgesloten. Laat een collega aftekenen."))
            return redirect("backoffice:register_close", uuid=session.uuid)
    return render(
        request,
        "backoffice/payments/close.html",
        {
            "session": session,
            "form": form,
            "expected": session.opening_float + session.cash_received()
            if session.is_open
            else session.expected_cash,
            "cash": session.cash_received(),
            "card": session.card_received(),
            "may_sign": not session.is_open
            and session.signed_off_at is None
            and request.user.pk not in (session.closed_by_id, session.opened_by_id),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required(can_sign_off_register)
def register_sign_off(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    session = queries.get_session_for(request.user, uuid)
    try:
        sign_off_session(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De kassa is afgetekend."))
    return redirect("backoffice:register_close", uuid=session.uuid)


# --- bank statements -------------------------------------------------------------------------------


@manager
def bank_import(request: EmployeeRequest) -> HttpResponse:
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_statement(filename=upload.name, data=upload.read(), by=request.user)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("Ingelezen: %(matched)s gekoppeld, %(unmatched)s niet gekoppeld, %(ignored)s genegeerd.")
                % {"matched": result.matched, "unmatched": result.unmatched, "ignored": result.ignored},
            )
            return redirect("backoffice:bank_statement", uuid=result.statement.uuid)
    return render(
        request,
        "backoffice/payments/bank_import.html",
        {"form": form, "statements": list(queries.statements_for(request.user)[:20])},
        status=400 if form.errors else 200,
    )


@require_GET
@manager
def bank_statement(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    statement = queries.get_statement_for(request.user, uuid)
    return render(
        request,
        "backoffice/payments/bank_statement.html",
        {"statement": statement, "lines": list(statement.lines.select_related("order"))},
    )


@manager
def bank_unmatched(request: EmployeeRequest) -> HttpResponse:
    """The lines nothing matched: link one to an order, or set it aside with a reason."""
    errors: dict[str, Any] = {}
    if request.method == "POST":
        line = queries.get_bank_line_for(
            request.user, _uuid_or_none(request.POST.get("line", "")) or uuid.uuid4()
        )
        action = request.POST.get("action")
        form: LinkLineForm | IgnoreLineForm = (
            LinkLineForm(request.POST) if action == "link" else IgnoreLineForm(request.POST)
        )
        if form.is_valid():
            try:
                if isinstance(form, LinkLineForm):
                    link_bank_line(
                        line=line, order=_lookup(request, form.cleaned_data["order"]), by=request.user
                    )
                    messages.success(request, _("De lijn is gekoppeld."))
                else:
                    ignore_bank_line(line=line, by=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("De lijn staat opzij."))
                return redirect("backoffice:bank_unmatched")
            except ValidationError as error:
                add_domain_errors(form, error)
        errors[str(line.uuid)] = [e for field_errors in form.errors.values() for e in field_errors]
    return render(
        request,
        "backoffice/payments/bank_unmatched.html",
        {"lines": list(queries.unmatched_lines_for(request.user)[:200]), "errors": errors},
        status=400 if errors else 200,
    )


# --- cash refunds at the register (rooms-board) ---------------------------------------------------


@require_POST
@cashier
def register_refund(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """Give money back in cash from this register's drawer: the day close expects that much less."""
    session = queries.get_session_for(request.user, uuid)
    form = CashRefundForm(request.POST, prefix="refund")
    if not form.is_valid():
        messages.error(request, _("Vul de bestelling, het bedrag en de reden in."))
    else:
        data = form.cleaned_data
        try:
            order = _lookup(request, data["order"])
            entry = refund_at_register(
                session=session, order=order, amount=data["amount"], by=request.user, reason=data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(amount)s contant teruggegeven op bestelling %(number)s.")
                % {"amount": format_euro(entry.amount), "number": order.number},
            )
    return redirect("backoffice:register_session", uuid=session.uuid)
