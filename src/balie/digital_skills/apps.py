from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitalSkillsConfig(AppConfig):
    name = "balie.digital_skills"
    label = "digital_skills"
    verbose_name = _("Digicheck")
