"""The consultation log: every call to an authentic source, and the legal purposes it may be
made for.

Like the audit trail, a consultation names the employee and the party by public UUID with a
frozen label and has no foreign keys: a row outlives what it describes (ten years). It never
holds what the source answered, nor the national number asked about: the party's UUID says about
whom, and the MAGDA reference (Referte) ties the row to MAGDA's own audit register, which does.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.core.models import PublicModel
from balie.core.validators import validate_plain_text

__all__ = ["Consultation", "ConsultationOutcome", "LegalPurpose", "MagdaService"]


class LegalPurpose(PublicModel):
    """Why Balie may consult an authentic source: a capacity (hoedanigheid) under which the
    municipality was authorised, described the way employees choose it."""

    capacity_code = models.CharField(
        _("hoedanigheidscode"),
        max_length=20,
        validators=[validate_plain_text],
        help_text=_("De code van de hoedanigheid waarvoor de machtiging geldt, bv. 1300."),
    )
    description = models.CharField(_("omschrijving"), max_length=200, validators=[validate_plain_text])
    legal_basis = models.CharField(
        _("rechtsgrond"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["-active", "description", "id"]
        verbose_name = _("wettelijk doel")
        verbose_name_plural = _("wettelijke doelen")
        constraints = [
            models.UniqueConstraint(
                fields=["capacity_code", "description"], name="authentic_sources_purpose_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.capacity_code})"


class MagdaService(models.TextChoices):
    """The MAGDA services Balie calls (name as in the message's Context/Naam)."""

    GEEF_PERSOON = "GeefPersoon", _("Persoon opvragen (Rijksregister)")
    REGISTREER_INSCHRIJVING = "RegistreerInschrijving", _("Inschrijving registreren (repertorium)")
    GEEF_ONDERNEMING = "GeefOnderneming", _("Onderneming opvragen (KBO)")


class ConsultationOutcome(models.TextChoices):
    PENDING = "pending", _("geen antwoord")
    OK = "ok", _("beantwoord")
    EXCEPTION = "exception", _("uitzondering")
    TIMEOUT = "timeout", _("time-out")
    FAULT = "fault", _("SOAP-fout")
    ERROR = "error", _("verbindingsfout")


class Consultation(models.Model):
    """One call to an authentic source: which application, which employee, about whom, which
    service, when and why. Written before the request leaves (outcome "pending", so a crash still
    leaves a trace) and completed when the answer, the fault or the time-out comes back."""

    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    application = models.CharField(_("toepassing"), max_length=100)
    service = models.CharField(_("dienst"), max_length=64, choices=MagdaService.choices)
    service_version = models.CharField(_("versie"), max_length=16)
    actor_uuid = models.UUIDField(_("medewerker (id)"), null=True, blank=True)
    actor_label = models.CharField(_("medewerker"), max_length=200)
    subject_uuid = models.UUIDField(_("over (id)"))
    subject_type = models.CharField(_("soort"), max_length=32)
    purpose_code = models.CharField(_("hoedanigheid"), max_length=20)
    purpose_label = models.CharField(_("doel"), max_length=200)
    reference = models.UUIDField(_("MAGDA-referte"), default=uuid.uuid4, unique=True)
    outcome = models.CharField(
        _("resultaat"),
        max_length=16,
        choices=ConsultationOutcome.choices,
        default=ConsultationOutcome.PENDING,
    )
    exception_code = models.CharField(_("uitzonderingscode"), max_length=16, blank=True)
    duration_ms = models.PositiveIntegerField(_("duur (ms)"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at"], name="as_consultation_at"),
            models.Index(fields=["subject_uuid", "-at"], name="as_consultation_subject"),
            models.Index(fields=["actor_uuid", "-at"], name="as_consultation_actor"),
        ]
        verbose_name = _("raadpleging")
        verbose_name_plural = _("raadplegingen")

    def __str__(self) -> str:
        return f"{self.service} {self.subject_uuid} {self.at:%Y-%m-%d %H:%M} {self.outcome}"
