from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxesConfig(AppConfig):
    name = "balie.mailboxes"
    label = "mailboxes"
    verbose_name = _("Mailboxen")
