from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxesConfig(AppConfig):
    name = "balie.mailboxes"
    label = "mailboxes"
    verbose_name = _("Mailboxen")

    def ready(self) -> None:
        # Mail out: the outbox sender, the case's timeline and what a destroyed case lets go of.
        from balie.cases.registries import case_destruction_handlers, case_timeline_sources
        from balie.core.outbox import outbox_senders

        from .actions import release_sent_mails_of_case
        from .queries import case_timeline_for
        from .sending import OUTBOX_SENDER, send_queued_mail

        outbox_senders.add(OUTBOX_SENDER, send_queued_mail)
        case_timeline_sources.add("mailboxes.sent_mails", case_timeline_for)
        case_destruction_handlers.add("mailboxes.sent_mails", release_sent_mails_of_case)
