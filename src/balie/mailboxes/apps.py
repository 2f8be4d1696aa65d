import datetime as dt

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MailboxesConfig(AppConfig):
    name = "balie.mailboxes"
    label = "mailboxes"
    verbose_name = _("Mailboxen")

    def ready(self) -> None:
        from balie.cases.registries import case_destruction_handlers, case_timeline_sources
        from balie.core.outbox import outbox_senders
        from balie.core.schedule import Every, add_job

        from .actions import release_sent_mails_of_case
        from .queries import incoming_mail_timeline_for, sent_mail_timeline_for, thread_of_sent_mail
        from .registries import sent_message_lookups
        from .sending import OUTBOX_SENDER, send_queued_mail
        from .tasks import poll_mailboxes

        # Mail out: the outbox sender, the case's timeline and what a destroyed case lets go of.
        outbox_senders.add(OUTBOX_SENDER, send_queued_mail)
        case_timeline_sources.add("mailboxes.sent_mails", sent_mail_timeline_for)
        case_destruction_handlers.add("mailboxes.sent_mails", release_sent_mails_of_case)
        sent_message_lookups.add("mailboxes.sent_mails", thread_of_sent_mail)
        # Mail in: polling every mailbox, and the mail a case received on its timeline.
        add_job(
            "mailboxes.poll",
            when=Every(dt.timedelta(seconds=max(10, int(settings.BALIE_MAIL_POLL_SECONDS)))),
            task=poll_mailboxes,
        )
        case_timeline_sources.add("mailboxes", incoming_mail_timeline_for)
