from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthenticSourcesConfig(AppConfig):
    name = "balie.authentic_sources"
    label = "authentic_sources"
    verbose_name = _("Authentieke bronnen")
