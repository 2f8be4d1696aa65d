"""Outbox senders of payments: the receipt by e-mail, the refund at the provider."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from balie.core.models import OutboxMessage
from balie.core.outbox import PermanentDeliveryError

from .models import Receipt
from .pdfs import receipt_lines, receipt_pdf


def send_receipt_mail(message: OutboxMessage) -> None:
    """Mail the receipt (text and PDF) to the address typed at the register."""
    receipt = (
        Receipt.objects.select_related("order", "issued_by")
        .filter(uuid=message.payload.get("receipt"))
        .first()
    )
    if receipt is None or not receipt.emailed_to:
        raise PermanentDeliveryError(_("Het kasticket bestaat niet meer."))
    mail = EmailMessage(
        subject=_("Uw kasticket %(number)s") % {"number": receipt.number},
        body="\n".join(receipt_lines(receipt)),
        to=[receipt.emailed_to],
        headers={"Message-ID": f"<{message.idempotency_key}@balie>"},
    )
    mail.attach(f"kasticket-{receipt.number}.pdf", receipt_pdf(receipt), "application/pdf")
    mail.send()
