"""Letters from Word templates: the templates and their reusable blocks (each a DOCX, versioned),
the letters made from them and mass mailings.

A template or block is never changed in place: a new upload is a new version that becomes the
current one, so a letter keeps pointing at exactly the version it was merged from. The files live
in the document storage (see files.py), next to the documents; a letter itself is two documents
of the store (its DOCX and its PDF), whose versions follow an edit in Word.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.core.models import PublicModel
from balie.core.validators import validate_plain_text
from balie.parties.models import Language, Party

from ..files import document_storage
from .store import Document

validate_block_code = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Alleen kleine letters, cijfers en _, te beginnen met een letter (bv. briefhoofd)."),
)


class TemplateFile(PublicModel):
    """What a template version and a block version share: the DOCX in storage and what it uses."""

    number = models.PositiveIntegerField(_("versie"))
    file = models.FileField(_("bestand"), storage=document_storage, max_length=300)
    original_filename = models.CharField(_("bestandsnaam"), max_length=200)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    fields = models.JSONField(
        _("velden"), default=list, help_text=_("de samenvoegvelden die het bestand gebruikt")
    )
    uses_qr = models.BooleanField(_("bevat de QR-code"), default=False)
    note = models.CharField(
        _("wat is er veranderd"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class LetterBlock(PublicModel):
    """A reusable part of letters (letterhead, signature block, closing), inserted into a template
    with {{ blok.<code> }}: a change to the block changes every letter made afterwards."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_block_code])
    name = models.CharField(_("naam"), max_length=150, validators=[validate_plain_text])
    description = models.TextField(_("omschrijving"), blank=True, max_length=1000)
    current_version = models.ForeignKey(
        "LetterBlockVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("briefblok")
        verbose_name_plural = _("briefblokken")

    def __str__(self) -> str:
        return self.name


class LetterBlockVersion(TemplateFile):
    block = models.ForeignKey(LetterBlock, on_delete=models.CASCADE, related_name="versions")

    class Meta:
        ordering = ["block", "-number"]
        verbose_name = _("versie van een briefblok")
        verbose_name_plural = _("versies van briefblokken")
        constraints = [
            models.UniqueConstraint(fields=["block", "number"], name="documents_block_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.block_id} v{self.number}"


class LetterTemplate(PublicModel):
    name = models.CharField(_("naam"), max_length=150, validators=[validate_plain_text])
    description = models.TextField(_("omschrijving"), blank=True, max_length=1000)
    language = models.CharField(_("taal"), max_length=2, choices=Language.choices, default=Language.DUTCH)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dienst"),
        help_text=_("Leeg: elke dienst mag het sjabloon gebruiken."),
    )
    active = models.BooleanField(_("actief"), default=True)
    signing_procedure = models.ForeignKey(
        "SigningProcedure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter_templates",
        verbose_name=_("ondertekenprocedure"),
        help_text=_("Leeg: een brief van dit sjabloon gaat uit zonder goedkeuring of handtekening."),
    )
    current_version = models.ForeignKey(
        "LetterTemplateVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        constraints = [
            models.UniqueConstraint(fields=["name", "language"], name="documents_template_name_language"),
        ]

    def __str__(self) -> str:
        return self.name


class LetterTemplateVersion(TemplateFile):
    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="versions")
    blocks = models.JSONField(
        _("blokken"), default=list, help_text=_("de codes van de blokken die het gebruikt")
    )

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("versie van een briefsjabloon")
        verbose_name_plural = _("versies van briefsjablonen")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="documents_template_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"


class Letter(PublicModel):
    """A letter merged from a template version: its DOCX and its PDF are documents of the store.
    An edit in Word is a new version of the DOCX document, and its PDF a new version of the other."""

    template_version = models.ForeignKey(
        LetterTemplateVersion, on_delete=models.PROTECT, related_name="letters", verbose_name=_("sjabloon")
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geadresseerde"),
    )
    docx_document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")
    pdf_document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")
    register_number = models.CharField(_("registratienummer"), max_length=40, blank=True)
    qr_payload = models.CharField(_("inhoud van de QR-code"), max_length=120)
    qr_in_docx = models.BooleanField(
        default=False, help_text=_("het sjabloon zet de QR-code zelf in de brief")
    )
    pdfa = models.BooleanField(_("PDF/A"), default=True)
    block_versions = models.JSONField(default=list, help_text=_("de versies van de blokken die erin zitten"))
    empty_fields = models.JSONField(_("lege velden"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        indexes = [
            models.Index(fields=["register_number"], name="documents_letter_register"),
        ]

    def __str__(self) -> str:
        return self.register_number or str(self.uuid)


class MailingState(models.TextChoices):
    QUEUED = "queued", _("wacht")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")


class Mailing(PublicModel):
    """A mass mailing: one template version × a list of parties, made by a background job one
    letter at a time (each in its own transaction), so that a stopped job continues where it was
    and one letter's failure is recorded without losing the others."""

    title = models.CharField(_("titel"), max_length=200, validators=[validate_plain_text])
    template_version = models.ForeignKey(
        LetterTemplateVersion, on_delete=models.PROTECT, related_name="mailings", verbose_name=_("sjabloon")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dienst"),
    )
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    pdfa = models.BooleanField(_("PDF/A"), default=True)
    case = models.JSONField(
        _("zaak"), null=True, blank=True, help_text=_("de zaakgegevens voor alle brieven")
    )
    registrar = models.CharField(
        max_length=60, blank=True, help_text=_("wie elke brief registreert (een registratienummer geeft)")
    )
    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("toestand"), max_length=10, choices=MailingState.choices, default=MailingState.QUEUED
    )
    total = models.PositiveIntegerField(_("brieven"), default=0)
    done_count = models.PositiveIntegerField(_("gemaakt"), default=0)
    failed_count = models.PositiveIntegerField(_("mislukt"), default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("begonnen"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("keer gestart"), default=0)
    runner = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reeks brieven")
        verbose_name_plural = _("reeksen brieven")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidential=False) | models.Q(department__isnull=False),
                name="documents_mailing_confidential_has_department",
            ),
        ]
        indexes = [models.Index(fields=["state", "lease_until"], name="documents_mailing_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished_items(self) -> int:
        return self.done_count + self.failed_count

    @property
    def seconds(self) -> int | None:
        """How long the letters took, from the first run's start to the end."""
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds())

    @property
    def percent(self) -> int:
        return int(100 * self.finished_items / self.total) if self.total else 100


class MailingItemState(models.TextChoices):
    PENDING = "pending", _("te maken")
    DONE = "done", _("gemaakt")
    FAILED = "failed", _("mislukt")


class MailingItem(models.Model):
    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=10, choices=MailingItemState.choices, default=MailingItemState.PENDING
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    reserved = models.JSONField(
        default=dict, blank=True, help_text=_("wat de registratie vooraf gaf (bv. het registratienummer)")
    )
    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["mailing", "position"]
        constraints = [
            models.UniqueConstraint(fields=["mailing", "position"], name="documents_mailing_item_position"),
        ]
        indexes = [models.Index(fields=["mailing", "state", "position"], name="documents_mailing_item_state")]

    def __str__(self) -> str:
        return f"{self.mailing_id} #{self.position}"
