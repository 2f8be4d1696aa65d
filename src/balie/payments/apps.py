from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "balie.payments"
    label = "payments"
    verbose_name = _("Betalingen en kassa")

    def ready(self) -> None:
        from balie.core.outbox import outbox_senders

        from .online import REFUND_SENDER, send_provider_refund
        from .register import RECEIPT_MAIL_SENDER
        from .tasks import send_receipt_mail

        outbox_senders.add(REFUND_SENDER, send_provider_refund)
        outbox_senders.add(RECEIPT_MAIL_SENDER, send_receipt_mail)
