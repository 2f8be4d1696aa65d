from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactMomentsConfig(AppConfig):
    name = "balie.contact_moments"
    label = "contact_moments"
    verbose_name = _("Contactmomenten")

    def ready(self) -> None:
        from balie.cases.registries import case_destruction_handlers, customer_message_recorders
        from balie.core.outbox import outbox_senders
        from balie.documents.registries import document_link_providers
        from balie.parties.merging import merge_handlers

        from .actions import (
            ANSWER_NOTICE_SENDER,
            move_contact_moments_to_survivor,
            record_customer_message,
            release_contact_moments_of_case,
        )
        from .notices import send_answer_notice
        from .queries import contact_moment_links

        merge_handlers.add("contact_moments", move_contact_moments_to_survivor)
        customer_message_recorders.add("contact_moments", record_customer_message)
        case_destruction_handlers.add("contact_moments", release_contact_moments_of_case)
        document_link_providers.add("contact_moment", contact_moment_links)
        outbox_senders.add(ANSWER_NOTICE_SENDER, send_answer_notice)
        _register_refresh_scope()


def _register_refresh_scope() -> None:
    """The weekly Rijksregister refresh looks after the persons with a recent contact."""
    from balie.authentic_sources.magda_actions import refresh_scopes

    from .models import ContactMoment

    def parties_with_recent_contact(since: Any) -> Any:
        return ContactMoment.objects.filter(registered_at__gte=since, party__isnull=False).values("party_id")

    refresh_scopes.add("contact_moments.recent_contact", parties_with_recent_contact)
