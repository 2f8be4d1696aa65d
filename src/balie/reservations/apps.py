import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "balie.reservations"
    label = "reservations"
    verbose_name = _("Zaalreservatie")

    def ready(self) -> None:
        from balie.core.outbox import outbox_senders
        from balie.core.schedule import Every, add_job
        from balie.payments.registries import order_settlement_handlers

        from . import actions, publication, tasks

        outbox_senders.add(publication.SENDER, publication.deliver)
        order_settlement_handlers.add("booking", actions.on_order_settled)
        add_job(
            "reservations.expire_options", when=Every(dt.timedelta(minutes=5)), task=tasks.expire_room_options
        )
        add_job(
            "reservations.complete_bookings",
            when=Every(dt.timedelta(hours=1)),
            task=tasks.complete_past_bookings,
        )
