import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "balie.reports"
    label = "reports"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        from balie.cases.registries import case_destruction_handlers, case_timeline_sources, intake_handlers
        from balie.core.outbox import outbox_senders
        from balie.core.schedule import DailyAt, add_job
        from balie.parties.merging import merge_handlers

        from .actions import (
            WORK_ORDER_SENDER,
            move_reports_to_survivor,
            release_destroyed_case,
            report_intake,
        )
        from .queries import case_timeline_entries
        from .tasks import prune_report_callback_nonces
        from .work_orders import send_work_order

        intake_handlers.add("report", report_intake)
        case_timeline_sources.add("reports", case_timeline_entries)
        case_destruction_handlers.add("reports", release_destroyed_case)
        merge_handlers.add("reports", move_reports_to_survivor)
        outbox_senders.add(WORK_ORDER_SENDER, send_work_order)
        add_job(
            "reports.prune_callback_nonces", when=DailyAt(dt.time(4, 10)), task=prune_report_callback_nonces
        )
