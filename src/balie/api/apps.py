from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "balie.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from balie.core.events import event_subscribers
        from balie.core.outbox import outbox_senders

        from .webhooks import SENDER, send_webhook, write_webhook_messages

        event_subscribers.add("api.webhooks", write_webhook_messages)
        outbox_senders.add(SENDER, send_webhook)
