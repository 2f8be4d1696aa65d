import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "balie.complaints"
    label = "complaints"
    verbose_name = _("Klachten")

    def ready(self) -> None:
        from balie.cases.registries import intake_handlers
        from balie.core.outbox import outbox_senders
        from balie.core.schedule import DailyAt, add_job

        from .actions import MAIL_SENDER, register_complaint
        from .tasks import send_complainant_mail, warn_complaint_deadlines

        intake_handlers.add("complaint", register_complaint)
        outbox_senders.add(MAIL_SENDER, send_complainant_mail)
        add_job("complaints.warn_deadlines", when=DailyAt(dt.time(7, 15)), task=warn_complaint_deadlines)
