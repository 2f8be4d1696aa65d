from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomAccessConfig(AppConfig):
    name = "balie.room_access"
    label = "room_access"
    verbose_name = _("Toegang tot gebouwen")
