from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "balie.accounts"
    label = "accounts"
    verbose_name = _("Medewerkers en accounts")
