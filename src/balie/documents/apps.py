import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "balie.documents"
    label = "documents"
    verbose_name = _("Documenten")

    def ready(self) -> None:
        from balie.core.outbox import outbox_senders
        from balie.core.schedule import Every, add_job
        from balie.parties.merging import merge_handlers

        from .actions import move_party_documents_to_survivor
        from .letters.tasks import resume_mailings
        from .queries import party_links
        from .registries import document_link_providers
        from .signing import checks  # noqa: F401 - registers the deployment checks
        from .signing.actions import PLATFORM_SENDER
        from .signing.platform import send_to_signing_platform
        from .tasks import resume_text_extraction

        merge_handlers.add("documents", move_party_documents_to_survivor)
        document_link_providers.add("party", party_links)
        add_job(
            "documents.resume_text_extraction",
            when=Every(dt.timedelta(minutes=1)),
            task=resume_text_extraction,
        )
        # Mass mailings whose run stopped (letters/mailing.py).
        add_job("documents.resume_mailings", when=Every(dt.timedelta(minutes=1)), task=resume_mailings)
        # Uploads to, downloads from and cancellations at the external signing platform.
        outbox_senders.add(PLATFORM_SENDER, send_to_signing_platform)
