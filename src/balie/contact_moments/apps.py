from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactMomentsConfig(AppConfig):
    name = "balie.contact_moments"
    label = "contact_moments"
    verbose_name = _("Contactmomenten")

    def ready(self) -> None:
        from balie.parties.merging import merge_handlers

        from .actions import move_contact_moments_to_survivor

        merge_handlers.add("contact_moments", move_contact_moments_to_survivor)
