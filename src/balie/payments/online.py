"""Online payment: create a payment at the provider, send the payer there, record what its signed
webhook says — once. A refund of an online payment is an outbox message to the provider."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.models import OutboxMessage
from balie.core.outbox import PermanentDeliveryError, write_message

from .adapters.provider import ProviderClient, ProviderError, WebhookRefused, verify_webhook
from .models import (
    EntryKind,
    LedgerEntry,
    Method,
    OnlinePayment,
    OnlinePaymentState,
    Order,
    OrderState,
    WebhookReceipt,
)
from .money import ZERO, cents

logger = logging.getLogger("balie.payments")

PROVIDER = "psp"
REFUND_SENDER = "payments.provider_refund"
STATES = {
    "paid": OnlinePaymentState.PAID,
    "failed": OnlinePaymentState.FAILED,
    "canceled": OnlinePaymentState.CANCELLED,
    "expired": OnlinePaymentState.EXPIRED,
}


def webhook_url() -> str:
    base = str(settings.BALIE_PAYMENT_WEBHOOK_BASE_URL).strip().rstrip("/")
    return f"{base}{reverse('payment_provider_webhook')}"


def start_online_payment(*, order: Order, return_url: str) -> str:
    """A payment at the provider for the open balance; its page's address. Refused for an order
    that is paid or cancelled; the provider unreachable is a Dutch message."""
    if order.state != OrderState.OPEN:
        raise ValidationError(
            _("Bestelling %(number)s staat niet meer open.") % {"number": order.number}, code="state"
        )
    amount = order.balance()
    if amount <= ZERO:
        raise ValidationError(_("Er is niets meer te betalen."), code="nothing_due")
    key = str(uuid.uuid4())
    try:
        payment = ProviderClient.from_settings().create_payment(
            amount=amount,
            description=_("%(municipality)s – bestelling %(number)s")
            % {"municipality": settings.BALIE_MUNICIPALITY_NAME, "number": order.number},
            reference=order.number,
            redirect_url=return_url,
            webhook_url=webhook_url(),
            key=key,
        )
    except ProviderError as error:
        logger.warning(
            "payment provider refused a payment", extra={"order": str(order.uuid), "error": str(error)}
        )
        raise ValidationError(
            _(
                "De betaaldienst is nu niet bereikbaar. Probeer het later opnieuw of betaal met een "
                "overschrijving."
            ),
            code="provider",
        ) from error
    with transaction.atomic():
        online = OnlinePayment.objects.create(
            order=order,
            provider=PROVIDER,
            provider_id=payment.id,
            amount=amount,
            checkout_url=payment.checkout_url,
        )
        record_creation(instance=online, fields=["order", "provider_id", "amount"], by=None)
    return payment.checkout_url


def handle_webhook(*, headers: dict[str, str], body: bytes) -> str:
    """Record a provider webhook. Forged or stale: WebhookRefused, nothing changes. A webhook seen
    before, or about a payment already settled: "duplicate", nothing changes."""
    from .actions import lock_order, record_payment, return_late_payment

    event = verify_webhook(secret=settings.BALIE_PAYMENT_WEBHOOK_SECRET, headers=headers, body=body)
    data = event["data"]
    payment_id = str(data.get("id", ""))
    status = str(data.get("status", ""))
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(
                webhook_id=event["webhook_id"][:100],
                event_type=str(event.get("type", ""))[:50],
                provider_payment_id=payment_id[:100],
            )
            online = OnlinePayment.objects.select_for_update().filter(provider_id=payment_id).first()
            if online is None:
                raise WebhookRefused("unknown payment")
            if online.state != OnlinePaymentState.CREATED or status not in STATES:
                return "duplicate"
            amount = cents(Decimal(str(data.get("amount", {}).get("value", "0"))))
            if status == "paid" and amount != online.amount:
                raise WebhookRefused("amount differs from the payment's")
            before = online.state
            online.state = STATES[status]
            online.method = str(data.get("method") or "")[:30]
            online.save(update_fields=["state", "method", "updated_at"])
            record_change(
                instance=online,
                action=ChangeAction.UPDATE,
                changes={"state": [before, online.state]},
                by=None,
            )
            if status == "paid":
                order = lock_order(online.order)
                if order.state != OrderState.OPEN:
                    # paid after the order was cancelled or settled otherwise: booked and given back
                    return_late_payment(order=order, amount=amount, provider_payment_id=payment_id)
                    return "refunded"
                record_payment(
                    order=order,
                    amount=amount,
                    method=Method.ONLINE,
                    by=None,
                    description=_("Online betaald (%(method)s)") % {"method": online.method or "?"},
                    provider_payment_id=payment_id,
                )
    except IntegrityError:
        return "duplicate"  # the same webhook id, or a payment already booked, raced us
    return status


def request_provider_refund(*, order: Order, amount: Decimal, entry: LedgerEntry) -> None:
    """In the refund's transaction: ask the provider to pay back, from the last online payment."""
    payment = (
        order.entries.filter(kind=EntryKind.PAYMENT, method=Method.ONLINE)
        .exclude(provider_payment_id="")
        .last()
    )
    if payment is None:
        return
    write_message(
        sender=REFUND_SENDER,
        destination=f"payments:{order.uuid}",
        payload={
            "payment_id": payment.provider_payment_id,
            "amount": f"{amount:.2f}",
            "entry": str(entry.uuid),
        },
    )


def send_provider_refund(message: OutboxMessage) -> None:
    """Outbox sender: the refund at the provider, the message's idempotency key as its key."""
    try:
        ProviderClient.from_settings().refund(
            payment_id=message.payload["payment_id"],
            amount=Decimal(message.payload["amount"]),
            key=str(message.idempotency_key),
        )
    except ProviderError as error:
        if error.permanent:
            raise PermanentDeliveryError(str(error)) from error
        raise
