from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "balie.documents"
    label = "documents"
    verbose_name = _("Documenten")

    def ready(self) -> None:
        from balie.core.outbox import outbox_senders

        from .signing import checks  # noqa: F401 - registers the deployment checks
        from .signing.actions import PLATFORM_SENDER
        from .signing.platform import send_to_signing_platform

        # Uploads to, downloads from and cancellations at the external signing platform.
        outbox_senders.add(PLATFORM_SENDER, send_to_signing_platform)
