"""Documents and their versions. The file of a version lives in Django storage (see files.py);
a row here says what it is: its size, SHA-256 and the type read from its content.

A document is never changed in place: a new file is a new version, numbered 1..n per document;
the document points at its newest version, moved in the same transaction under the row lock.
"""

from __future__ import annotations

from django.conf import settings
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


class DocumentVersion(PublicModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    file = models.FileField(_("bestand"), storage=document_storage, max_length=300)
    original_filename = models.CharField(_("bestandsnaam"), max_length=200)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mime_type = models.CharField(_("bestandstype"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("documentversie")
        verbose_name_plural = _("documentversies")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="documents_version_from_one"),
        ]
        indexes = [models.Index(fields=["sha256"], name="documents_version_sha256")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    @property
    def download_name(self) -> str:
        """The name a download gets: the client's (cleaned), with an extension fitting the content."""
        return name_for_type(self.original_filename, self.mime_type)

    @property
    def type_label(self) -> str:
        return type_label(self.mime_type)
