import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "balie.reports"
    label = "reports"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        from balie.cases.registries import case_timeline_sources, intake_handlers
        from balie.core.outbox import outbox_senders
        from balie.core.schedule import DailyAt, add_job

        from .actions import WORK_ORDER_SENDER, report_intake
        from .queries import case_timeline_entries
        from .tasks import prune_report_callback_nonces
        from .work_orders import send_work_order

        intake_handlers.add("report", report_intake)
        case_timeline_sources.add("reports", case_timeline_entries)
        outbox_senders.add(WORK_ORDER_SENDER, send_work_order)
        add_job(
            "reports.prune_callback_nonces", when=DailyAt(dt.time(4, 10)), task=prune_report_callback_nonces
        )
