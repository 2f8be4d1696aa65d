"""What a document belongs to, as far as the document store itself knows: parties (which sit
below documents). Cases, contact moments and post items keep their own links, in their apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.parties.models import Party

from .store import Document


class PartyDocument(models.Model):
    """A document about or from a party (a person or organisation)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="document_links")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="party_links")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        ordering = ["party", "-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "document"], name="documents_party_document_unique"),
        ]
        indexes = [models.Index(fields=["party", "-added_at", "-id"], name="documents_party_time")]
        verbose_name = _("document van een partij")
        verbose_name_plural = _("documenten van partijen")

    def __str__(self) -> str:
        return f"{self.party_id}: {self.document_id}"
