"""What a dispatch carries besides its record (models.Dispatch): the envelope (who and where, in
which language, the idempotency key, the e-mail's Message-ID, the print batch it went out in), the
document versions it sent, a party's preferred channel, and the print batches of the post room.

Imported at the end of models.py, so that Django finds these models with the rest of the app.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.core.models import OutboxMessage, PublicModel
from balie.documents.models import Document, DocumentVersion
from balie.parties.models import Party

from .models import Dispatch, PostChannel

# The last line of a foreign address: the country in capitals, in the sender's language (UPU).
COUNTRY_NAMES = {
    "NL": "NEDERLAND", "FR": "FRANKRIJK", "DE": "DUITSLAND", "LU": "LUXEMBURG",
    "GB": "VERENIGD KONINKRIJK", "IE": "IERLAND", "ES": "SPANJE", "PT": "PORTUGAL", "IT": "ITALIË",
    "AT": "OOSTENRIJK", "CH": "ZWITSERLAND",
    "PL": "POLEN", "CZ": "TSJECHIË", "DK": "DENEMARKEN", "SE": "ZWEDEN", "NO": "NOORWEGEN", "FI": "FINLAND",
    "RO": "ROEMENIË", "BG": "BULGARIJE", "GR": "GRIEKENLAND", "HU": "HONGARIJE", "TR": "TURKIJE",
    "MA": "MAROKKO", "US": "VERENIGDE STATEN",
}  # fmt: skip


class EboxType(models.TextChoices):
    CITIZEN = "citizen", _("burger")
    ENTERPRISE = "enterprise", _("onderneming")


class PrintBatchState(models.TextChoices):
    MADE = "made", _("gemaakt, te printen")
    POSTED = "posted", _("op de post")


class PrintBatch(PublicModel):
    """The post room's batch of printed letters: one print-ready PDF (made again on every download
    from the versions and address snapshots it holds, so it is never stored twice), posted
    together. Numbered `PB-2026-000012` from core.numbering."""

    number = models.CharField(_("nummer"), max_length=20, unique=True)
    state = models.CharField(
        _("toestand"), max_length=8, choices=PrintBatchState.choices, default=PrintBatchState.MADE
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("dienst")
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemaakt door")
    )
    duplex = models.BooleanField(_("recto verso"))
    letters = models.PositiveIntegerField(_("brieven"))
    registered_letters = models.PositiveIntegerField(_("aangetekende brieven"))
    sheets = models.PositiveIntegerField(_("vellen"))
    pages = models.PositiveIntegerField(_("pagina's"))
    posted_at = models.DateTimeField(_("op de post op"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bevestigd door"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("printbatch")
        verbose_name_plural = _("printbatches")
        indexes = [models.Index(fields=["department", "-created_at"], name="post_printbatch_dept")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="made", posted_at__isnull=True)
                | Q(state="posted", posted_at__isnull=False),
                name="post_printbatch_posted_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.number


class Envelope(models.Model):
    """What is written on the envelope of one dispatch, frozen when it was queued: the addressee,
    the e-mail address, eBox or postal address, the language, and what travels with it."""

    dispatch = models.OneToOneField(
        Dispatch, on_delete=models.CASCADE, primary_key=True, related_name="envelope"
    )
    addressee = models.CharField(_("geadresseerde"), max_length=200)
    language = models.CharField(_("taal"), max_length=2, default="nl")
    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    ebox_type = models.CharField(_("soort eBox"), max_length=10, choices=EboxType.choices, blank=True)
    ebox_identifier = models.CharField(_("INSZ of ondernemingsnummer"), max_length=11, blank=True)
    postal_address = models.JSONField(_("postadres"), default=dict, blank=True)
    idempotency_key = models.UUIDField(
        _("idempotentiesleutel"),
        default=uuid.uuid4,
        help_text=_("Dezelfde bij elke poging, ook bij opnieuw versturen: het kanaal weert dubbels."),
    )
    message_id = models.CharField(_("Message-ID"), max_length=250, blank=True)
    eml_document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verstuurde e-mail"),
    )
    outbox_message = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    print_batch = models.ForeignKey(
        PrintBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="envelopes",
        verbose_name=_("printbatch"),
    )
    batch_position = models.PositiveIntegerField(null=True, blank=True)
    resend_of = models.ForeignKey(
        Dispatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resends",
        verbose_name=_("opnieuw verstuurd van"),
    )

    class Meta:
        verbose_name = _("envelop")
        verbose_name_plural = _("enveloppen")
        indexes = [
            # the mailboxes app finds the dispatch a bounce is about by the Message-ID
            models.Index(fields=["message_id"], condition=~Q(message_id=""), name="post_envelope_message_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["print_batch", "batch_position"],
                condition=Q(print_batch__isnull=False),
                name="post_envelope_batch_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispatch_id}: {self.addressee}"

    @property
    def address_lines(self) -> list[str]:
        """The postal address as it is printed: street and number, postcode and place, country."""
        address = self.postal_address or {}
        if not address:
            return []
        box = f" bus {address['box']}" if address.get("box") else ""
        lines = [
            f"{address.get('street', '')} {address.get('house_number', '')}{box}".strip(),
            f"{address.get('postcode', '')} {address.get('municipality', '')}".strip(),
        ]
        if address.get("country", "BE") != "BE":
            lines.append(COUNTRY_NAMES.get(address["country"], address["country"]))
        return lines


class DispatchDocument(models.Model):
    """One document version a dispatch sent (the letter first, then its attachments)."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="sent_documents")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="+")
    main = models.BooleanField(_("hoofddocument"), default=False)
    signed = models.BooleanField(_("digitaal ondertekend"), default=False)
    pages = models.PositiveIntegerField(_("pagina's"))

    class Meta:
        ordering = ["dispatch", "position"]
        verbose_name = _("verzonden document")
        verbose_name_plural = _("verzonden documenten")
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "position"], name="post_dispatch_document_position"),
        ]

    def __str__(self) -> str:
        return f"{self.dispatch_id} #{self.position}"


class DispatchPreference(models.Model):
    """How a customer wants to receive the municipality's letters (asked and recorded by an
    employee): the channel that the dispatch form proposes."""

    party = models.OneToOneField(Party, on_delete=models.CASCADE, primary_key=True, related_name="+")
    channel = models.CharField(
        _("voorkeurskanaal"),
        max_length=8,
        choices=[(c.value, c.label) for c in (PostChannel.EBOX, PostChannel.EMAIL, PostChannel.PAPER)],
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("genoteerd op"))

    class Meta:
        verbose_name = _("verzendvoorkeur")
        verbose_name_plural = _("verzendvoorkeuren")

    def __str__(self) -> str:
        return f"{self.party_id}: {self.channel}"
