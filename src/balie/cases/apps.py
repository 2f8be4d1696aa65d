import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "balie.cases"
    label = "cases"
    verbose_name = _("Zaken")

    def ready(self) -> None:
        from balie.core.outbox import outbox_senders
        from balie.core.schedule import DailyAt, add_job
        from balie.documents.registries import document_link_providers
        from balie.parties.merging import merge_handlers

        from .actions import CUSTOMER_MAIL_SENDER, move_cases_to_survivor, release_case_documents
        from .queries import case_links
        from .registries import case_destruction_handlers
        from .retention import review_retention_due
        from .tasks import remind_and_escalate, send_customer_mail

        merge_handlers.add("cases", move_cases_to_survivor)
        case_destruction_handlers.add("documents", release_case_documents)
        document_link_providers.add("case", case_links)
        outbox_senders.add(CUSTOMER_MAIL_SENDER, send_customer_mail)
        add_job("cases.remind_and_escalate", when=DailyAt(dt.time(7, 0)), task=remind_and_escalate)
        add_job("cases.review_retention_due", when=DailyAt(dt.time(5, 30)), task=review_retention_due)
        _register_refresh_scope()


def _register_refresh_scope() -> None:
    """The weekly Rijksregister refresh looks after the persons in an open case."""
    from balie.authentic_sources.magda_actions import refresh_scopes

    from .models import CaseRole

    def parties_in_open_cases(since: dt.datetime) -> Any:
        return CaseRole.objects.filter(case__closed_at__isnull=True).values("party_id")

    refresh_scopes.add("cases.open_cases", parties_in_open_cases)
