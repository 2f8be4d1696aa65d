from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "balie.correspondence"
    label = "correspondence"
    verbose_name = _("Postregistratie")

    def ready(self) -> None:
        from balie.cases.registries import case_destruction_handlers, case_timeline_sources
        from balie.documents.registries import document_link_providers
        from balie.parties.merging import merge_handlers

        from .actions import move_post_items_to_survivor, release_post_items_of_case
        from .queries import case_timeline_for, post_item_links

        merge_handlers.add("correspondence", move_post_items_to_survivor)
        case_destruction_handlers.add("correspondence", release_post_items_of_case)
        case_timeline_sources.add("correspondence", case_timeline_for)
        document_link_providers.add("post_item", post_item_links)

        from .dispatch import connect_dispatch

        connect_dispatch()  # e-mail and eBox senders in the outbox
