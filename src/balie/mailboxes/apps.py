import datetime as dt

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MailboxesConfig(AppConfig):
    name = "balie.mailboxes"
    label = "mailboxes"
    verbose_name = _("Mailboxen")

    def ready(self) -> None:
        # --- mail in ---
        from balie.cases.registries import case_timeline_sources
        from balie.core.schedule import Every, add_job

        from .queries import case_timeline_for
        from .tasks import poll_mailboxes

        add_job(
            "mailboxes.poll",
            when=Every(dt.timedelta(seconds=max(10, int(settings.BALIE_MAIL_POLL_SECONDS)))),
            task=poll_mailboxes,
        )
        case_timeline_sources.add("mailboxes", case_timeline_for)
