"""Documents and their versions. The file of a version lives in Django storage (see files.py);
a row here says what it is: its size, SHA-256 and the type read from its content.

A document is never changed in place: a new file is a new version, numbered 1..n per document;
the document points at its newest version, moved in the same transaction under the row lock.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.core.models import PublicModel
from balie.core.validators import validate_plain_text

from ..files import document_storage, name_for_type, type_label


class Document(PublicModel):
    title = models.CharField(_("titel"), max_length=200, validators=[validate_plain_text])
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("dienst"),
        help_text=_("Een vertrouwelijk document ziet alleen deze dienst."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    current_version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("huidige versie"),
    )
    # PostgreSQL: the title (weight A) and the current version's text (weight B) in the `dutch`
    # configuration, kept by search.index_document; GIN-indexed (migration 0002). Empty on SQLite,
    # which keeps its own FTS5 table instead.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidential=False) | models.Q(department__isnull=False),
                name="documents_confidential_has_department",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TextState(models.TextChoices):
    WAITING = "waiting", _("wacht op tekst")
    DONE = "done", _("tekst gelezen")
    FAILED = "failed", _("mislukt")
    NOT_APPLICABLE = "not_applicable", _("niet van toepassing")


class TextMethod(models.TextChoices):
    NONE = "", _("geen")
    TEXT_LAYER = "text_layer", _("tekstlaag van de PDF")
    OCR = "ocr", _("tekstherkenning (OCR)")
    TEXT_LAYER_AND_OCR = "text_layer_ocr", _("tekstlaag en tekstherkenning (OCR)")
    FILE = "file", _("tekst van het bestand")


class DocumentVersion(PublicModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    file = models.FileField(_("bestand"), storage=document_storage, max_length=300)
    original_filename = models.CharField(_("bestandsnaam"), max_length=200)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mime_type = models.CharField(_("bestandstype"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The text read from the file, in the background (text.py, tasks.py). A version waits until a
    # worker has read it; a worker holds it by a lease that it renews page by page, so that a
    # worker that dies mid-OCR leaves it to be taken up again once the lease has run out.
    text_state = models.CharField(
        _("tekst"), max_length=16, choices=TextState.choices, default=TextState.WAITING
    )
    text_method = models.CharField(
        _("gelezen met"), max_length=16, choices=TextMethod.choices, default=TextMethod.NONE, blank=True
    )
    text_pages = models.PositiveIntegerField(_("pagina's"), null=True, blank=True)
    text = models.TextField(_("tekst"), blank=True, editable=False)
    text_error = models.CharField(_("reden"), max_length=500, blank=True)
    text_attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    text_queued_at = models.DateTimeField(_("tekst gevraagd op"), null=True, blank=True)
    text_lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    text_done_at = models.DateTimeField(_("tekst gelezen op"), null=True, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("documentversie")
        verbose_name_plural = _("documentversies")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="documents_version_from_one"),
        ]
        indexes = [
            models.Index(fields=["sha256"], name="documents_version_sha256"),
            # the versions still to be read, for the job that takes up what a dead worker left
            models.Index(
                fields=["text_queued_at"],
                condition=models.Q(text_state="waiting"),
                name="documents_version_text_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    @property
    def download_name(self) -> str:
        """The name a download gets: the client's (cleaned), with an extension fitting the content."""
        return name_for_type(self.original_filename, self.mime_type)

    @property
    def type_label(self) -> str:
        return type_label(self.mime_type)
