import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "balie.core"
    label = "core"
    verbose_name = _("Basis")

    def ready(self) -> None:
        from .outbox import deliver_outbox, prune_outbox
        from .schedule import DailyAt, Every, add_job
        from .tasks import prune_finished_tasks, prune_rate_windows

        add_job("core.prune_finished_tasks", when=DailyAt(dt.time(4, 10)), task=prune_finished_tasks)
        add_job("core.deliver_outbox", when=Every(dt.timedelta(seconds=30)), task=deliver_outbox)
        add_job("core.prune_outbox", when=DailyAt(dt.time(4, 20)), task=prune_outbox)
        add_job("core.prune_rate_windows", when=DailyAt(dt.time(4, 30)), task=prune_rate_windows)
