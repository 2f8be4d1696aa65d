import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "balie.core"
    label = "core"
    verbose_name = _("Basis")

    def ready(self) -> None:
        from .schedule import DailyAt, add_job
        from .tasks import prune_finished_tasks

        add_job("core.prune_finished_tasks", when=DailyAt(dt.time(4, 10)), task=prune_finished_tasks)
