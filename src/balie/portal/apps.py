from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "balie.portal"
    label = "portal"
    verbose_name = _("E-loket")

    def ready(self) -> None:
        from balie.core.outbox import outbox_senders

        from .mail import VERIFICATION_SENDER, send_verification_mail

        outbox_senders.add(VERIFICATION_SENDER, send_verification_mail)
