import datetime as dt

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class RoomAccessConfig(AppConfig):
    name = "balie.room_access"
    label = "room_access"
    verbose_name = _("Toegang tot gebouwen")

    def ready(self) -> None:
        from balie.core.outbox import outbox_senders
        from balie.core.schedule import Every, add_job
        from balie.parties.merging import merge_handlers

        from .actions import MAIL_SENDER, PUSH_SENDER, move_grants_to_survivor
        from .delivery import mail_pin, push_grant
        from .tasks import reconcile_door_access

        outbox_senders.add(PUSH_SENDER, push_grant)
        outbox_senders.add(MAIL_SENDER, mail_pin)
        merge_handlers.add("room_access", move_grants_to_survivor)
        minutes = int(getattr(settings, "BALIE_ACCESS_RECONCILE_MINUTES", 15))
        add_job(
            "room_access.reconcile", when=Every(dt.timedelta(minutes=minutes)), task=reconcile_door_access
        )
