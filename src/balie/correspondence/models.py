"""The post register: incoming and outgoing post items with their register numbers, history,
documents, batch scans and dispatches.

A post item's number (`IN-2026-000123`, `OUT-2026-000045`) comes from `core.numbering` in the
transaction that registers it. Its status moves only through `workflow.py`; every change is one
`PostItemEvent` row, numbered per item (append-only). The current status is kept on the item for
lists, moved in the same transaction under the item's row lock.

A contact moment sits in the same layer as this app, so neither imports the other: an item names
the contact it came from by its public id only (`contact_moment_ref`), and the back-office (above
both) resolves it with the contact's own visibility rule.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.cases.models import Case
from balie.core.models import PublicModel
from balie.core.validators import validate_no_control_chars, validate_plain_text
from balie.documents.models import Document
from balie.parties.models import Party


class Direction(models.TextChoices):
    INCOMING = "in", _("inkomend")
    OUTGOING = "out", _("uitgaand")


REGISTER_PREFIX = {Direction.INCOMING: "IN", Direction.OUTGOING: "OUT"}


class PostChannel(models.TextChoices):
    PAPER = "paper", _("papier")
    EMAIL = "email", _("e-mail")
    EBOX = "ebox", _("eBox")
    WEB = "web", _("website")
    COUNTER = "counter", _("balie")


class PostStatus(models.TextChoices):
    REGISTERED = "registered", _("geregistreerd")
    ASSIGNED = "assigned", _("toegewezen")
    IN_TREATMENT = "in_treatment", _("in behandeling")
    ANSWERED = "answered", _("beantwoord")
    FILED = "filed", _("geklasseerd")
    SENT = "sent", _("verstuurd")


OPEN_STATUSES = (PostStatus.REGISTERED, PostStatus.ASSIGNED, PostStatus.IN_TREATMENT)
"""Statuses in which an item is still someone's work (an outgoing item: not sent yet)."""


class ReplyKind(models.TextChoices):
    ANSWER = "answer", _("antwoord")
    ACKNOWLEDGEMENT = "acknowledgement", _("ontvangstmelding")


class ScanBatchState(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class ScanBatch(PublicModel):
    """One uploaded PDF with a stack of letters, split on Balie's separator sheets in the background.

    The counters say how far the split got (pages read, letters registered), so the post room sees
    progress and a split that stopped carries on where it was when it runs again."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opgeladen door")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dienst"),
        help_text=_("De dienst waarvoor de brieven geregistreerd worden."),
    )
    received_on = models.DateField(_("ontvangen op"))
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    original_filename = models.CharField(_("bestandsnaam"), max_length=200)
    file = models.CharField(max_length=300, blank=True)  # name in the document storage; "" once split
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    state = models.CharField(
        _("toestand"), max_length=8, choices=ScanBatchState.choices, default=ScanBatchState.QUEUED
    )
    pages = models.PositiveIntegerField(_("pagina's"), default=0)
    pages_read = models.PositiveIntegerField(_("pagina's gelezen"), default=0)
    separators = models.PositiveIntegerField(_("scheidingsbladen"), default=0)
    blank_pages = models.PositiveIntegerField(_("lege pagina's"), default=0)
    letters = models.PositiveIntegerField(_("brieven"), default=0)
    items_registered = models.PositiveIntegerField(_("poststukken geregistreerd"), default=0)
    warning = models.CharField(_("opmerking"), max_length=300, blank=True)
    error = models.CharField(_("fout"), max_length=500, blank=True)
    runs = models.PositiveIntegerField(_("aantal keer gestart"), default=0)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scanbatch")
        verbose_name_plural = _("scanbatches")
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="post_batch_uploader")]

    def __str__(self) -> str:
        return f"{self.original_filename} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (ScanBatchState.DONE, ScanBatchState.FAILED)


class PostItem(PublicModel):
    """One incoming or outgoing letter, e-mail, eBox message … in the register."""

    number = models.CharField(_("registratienummer"), max_length=20, unique=True)
    direction = models.CharField(_("richting"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("kanaal"), max_length=8, choices=PostChannel.choices)
    status = models.CharField(_("status"), max_length=12, choices=PostStatus.choices)
    status_changed_at = models.DateTimeField(_("status sinds"))
    registered_at = models.DateTimeField(_("geregistreerd op"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registered_post_items",
        verbose_name=_("geregistreerd door"),
    )
    received_on = models.DateField(_("ontvangen op"), null=True, blank=True)
    sent_on = models.DateField(_("verstuurd op"), null=True, blank=True)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="post_items",
        verbose_name=_("afzender of geadresseerde"),
    )
    correspondent_name = models.CharField(
        _("naam afzender of geadresseerde"),
        max_length=200,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Wanneer de afzender of geadresseerde (nog) geen klant in Balie is."),
    )
    subject = models.CharField(
        _("onderwerp"), max_length=200, blank=True, validators=[validate_plain_text, MaxLengthValidator(200)]
    )
    reference = models.CharField(
        _("kenmerk"),
        max_length=100,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Het kenmerk of de referentie van de afzender."),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="post_items", verbose_name=_("dienst")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_post_items",
        verbose_name=_("behandelaar"),
    )
    assigned_at = models.DateTimeField(_("toegewezen op"), null=True, blank=True)
    deadline = models.DateField(_("uiterste antwoorddatum"), null=True, blank=True)
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="post_items",
        verbose_name=_("zaak"),
    )
    # A contact moment lives beside this app (same layer): named by its public id, never a key.
    contact_moment_ref = models.UUIDField(_("contactmoment"), null=True, blank=True)
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("antwoord op"),
    )
    reply_kind = models.CharField(_("soort antwoord"), max_length=16, choices=ReplyKind.choices, blank=True)
    needs_details = models.BooleanField(
        _("aan te vullen"),
        default=False,
        help_text=_("Uit een batchscan: afzender en onderwerp moeten nog ingevuld worden."),
    )
    batch = models.ForeignKey(
        ScanBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="items", editable=False
    )
    batch_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    history_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("poststuk")
        verbose_name_plural = _("poststukken")
        indexes = [
            # queues: open items per department / handler, by deadline (keyset on deadline, id)
            models.Index(
                fields=["department", "deadline", "id"],
                condition=Q(status__in=["registered", "assigned", "in_treatment"]),
                name="post_dept_open",
            ),
            models.Index(
                fields=["handler", "deadline", "id"],
                condition=Q(status__in=["registered", "assigned", "in_treatment"]),
                name="post_handler_open",
            ),
            models.Index(fields=["department", "-registered_at", "-id"], name="post_dept_time"),
            models.Index(fields=["-registered_at", "-id"], name="post_time"),
            models.Index(fields=["party", "-registered_at", "-id"], name="post_party_time"),
            models.Index(fields=["case", "-registered_at"], name="post_case_time"),
            models.Index(fields=["registered_by", "-registered_at"], name="post_registrar_time"),
            models.Index(
                fields=["registered_at", "id"], condition=Q(needs_details=True), name="post_needs_details"
            ),
            models.Index(fields=["contact_moment_ref"], name="post_contact_moment"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="out") | Q(received_on__isnull=False, deadline__isnull=False),
                name="post_incoming_received_with_deadline",
            ),
            models.CheckConstraint(
                condition=Q(direction="out") | Q(reply_to__isnull=True),
                name="post_only_outgoing_replies",
            ),
            models.CheckConstraint(
                condition=Q(reply_to__isnull=True, reply_kind="")
                | Q(reply_to__isnull=False) & ~Q(reply_kind=""),
                name="post_reply_has_kind",
            ),
            models.CheckConstraint(
                condition=Q(needs_details=True) | ~Q(subject=""), name="post_subject_unless_to_complete"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "in_treatment"]) | Q(handler__isnull=False),
                name="post_assigned_has_handler",
            ),
            models.UniqueConstraint(
                fields=["batch", "batch_index"],
                condition=Q(batch__isnull=False),
                name="post_one_item_per_batch_letter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}".strip()

    @property
    def is_incoming(self) -> bool:
        return self.direction == Direction.INCOMING

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def correspondent(self) -> str:
        """Who sent it (incoming) or gets it (outgoing), as people read it."""
        if self.party_id is not None and self.party is not None:
            return self.party.display_name
        return self.correspondent_name


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("geregistreerd")
    STATUS = "status", _("status gewijzigd")
    ASSIGNED = "assigned", _("toegewezen")
    DETAILS = "details", _("gegevens aangevuld")
    CASE = "case", _("zaak gekoppeld")
    CONTACT = "contact", _("contact gekoppeld")
    DOCUMENT = "document", _("document toegevoegd")
    REPLY = "reply", _("antwoord gekoppeld")
    ACKNOWLEDGED = "acknowledged", _("ontvangstmelding")
    DISPATCH = "dispatch", _("verzending")


class PostItemEvent(models.Model):
    """One line of an item's history: who did what, when, why. Append-only."""

    item = models.ForeignKey(PostItem, on_delete=models.CASCADE, related_name="history")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=PostStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=PostStatus.choices, blank=True)
    reason = models.CharField(_("reden"), max_length=500, blank=True, validators=[validate_no_control_chars])
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["item", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["item", "sequence"], name="post_event_sequence"),
        ]
        verbose_name = _("gebeurtenis van een poststuk")
        verbose_name_plural = _("gebeurtenissen van poststukken")

    def __str__(self) -> str:
        return f"{self.item_id} #{self.sequence} {self.kind}"

    @property
    def detail(self) -> str:
        """What the line's data says, as people read it (a dispatch's channel and state, the
        number of a reply or acknowledgement, a document's role)."""
        data = self.data or {}
        if self.kind == EventKind.DISPATCH and data.get("channel") in PostChannel.values:
            state = data.get("state")
            label = str(PostChannel(data["channel"]).label)
            return f"{label}: {DispatchState(state).label}" if state in DispatchState.values else label
        if self.kind == EventKind.DOCUMENT and data.get("role") in DocumentRole.values:
            return str(DocumentRole(data["role"]).label)
        for key in ("reply_number", "reply_to_number", "acknowledgement_number"):
            if data.get(key):
                return str(data[key])
        return ""


class DocumentRole(models.TextChoices):
    SCAN = "scan", _("scan")
    ATTACHMENT = "attachment", _("bijlage")
    LETTER = "letter", _("brief")
    SIGNED_COPY = "signed_copy", _("ondertekend exemplaar")


class PostItemDocument(models.Model):
    """A document of a post item, in a role: the scan of a paper letter, an attachment, the letter
    that goes out."""

    item = models.ForeignKey(PostItem, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="post_item_links")
    role = models.CharField(_("rol"), max_length=12, choices=DocumentRole.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        ordering = ["item", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "document"], name="post_document_unique"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(role="letter"), name="post_one_letter_per_item"
            ),
        ]
        verbose_name = _("document van een poststuk")
        verbose_name_plural = _("documenten van poststukken")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.document_id} ({self.role})"


class DispatchState(models.TextChoices):
    QUEUED = "queued", _("klaar om te versturen")
    SENT = "sent", _("verstuurd")
    DELIVERED = "delivered", _("afgeleverd")
    BOUNCED = "bounced", _("teruggekomen")
    FAILED = "failed", _("mislukt")


class Dispatch(PublicModel):
    """One attempt to send an outgoing item over one channel (e-mail, eBox, printed post).

    The channels themselves are adapters of their own; they report what happened through
    `actions.record_dispatch_state`, which moves the item with it (sent; back to registered after a
    bounce, so that it can go out another way)."""

    item = models.ForeignKey(PostItem, on_delete=models.PROTECT, related_name="dispatches")
    channel = models.CharField(_("kanaal"), max_length=8, choices=PostChannel.choices)
    state = models.CharField(
        _("toestand"), max_length=10, choices=DispatchState.choices, default=DispatchState.QUEUED
    )
    address = models.CharField(_("adres"), max_length=300, blank=True)
    registered_mail = models.BooleanField(_("aangetekend"), default=False)
    external_id = models.CharField(_("referentie bij het kanaal"), max_length=200, blank=True)
    queued_at = models.DateTimeField(_("klaargezet op"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("teruggekomen op"), null=True, blank=True)
    failed_at = models.DateTimeField(_("mislukt op"), null=True, blank=True)
    detail = models.CharField(
        _("toelichting"), max_length=500, blank=True, validators=[validate_no_control_chars]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["item", "-queued_at", "-id"]
        indexes = [models.Index(fields=["state", "queued_at"], name="post_dispatch_state")]
        verbose_name = _("verzending")
        verbose_name_plural = _("verzendingen")

    def __str__(self) -> str:
        return f"{self.item_id} {self.channel} {self.state}"


from .models_dispatch import DispatchDocument, DispatchPreference, Envelope, PrintBatch  # noqa: E402, F401
