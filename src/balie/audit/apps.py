import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "balie.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from balie.core.schedule import DailyAt, add_job

        from .tasks import purge_expired_access_log

        add_job("audit.purge_expired_access_log", when=DailyAt(dt.time(3, 30)), task=purge_expired_access_log)
