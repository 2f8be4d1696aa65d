"""What MAGDA told Balie about a party: which fields an authentic source filled and when
(provenance; those fields are read-only in Balie), the last known answer for what the party
itself has no field for (nationality, civil state, household), and MAGDA's registrations
(inschrijvingen) Balie made so that the Rijksregister answers about a person."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["MagdaRegistration", "Source", "SourcedFields"]


class Source(models.TextChoices):
    RIJKSREGISTER = "rijksregister", _("Rijksregister")
    KBO = "kbo", _("KBO")


class SourcedFields(models.Model):
    """The fields of one party that one authentic source filled, and when it last answered.

    `fields` names Party fields and `address.<kind>` for the current address of that kind.
    `data` keeps the last answer's details that have no place on the party (nationality, civil
    state, birth place, household; an enterprise's status and start date), shown on the 360° view.
    """

    party = models.ForeignKey(
        "parties.Party", on_delete=models.CASCADE, related_name="sourced_fields", verbose_name=_("partij")
    )
    source = models.CharField(_("bron"), max_length=16, choices=Source.choices)
    fetched_at = models.DateTimeField(_("opgehaald op"))
    attempted_at = models.DateTimeField(_("laatste poging"), null=True, blank=True)
    fields = models.JSONField(_("velden"), default=list)
    data = models.JSONField(_("laatste antwoord"), default=dict)
    reference = models.UUIDField(_("MAGDA-referte"), null=True, blank=True)

    class Meta:
        ordering = ["party", "source"]
        constraints = [
            models.UniqueConstraint(fields=["party", "source"], name="authentic_sources_sourced_unique")
        ]
        indexes = [models.Index(fields=["source", "fetched_at"], name="as_sourced_fetched")]
        verbose_name = _("gegevens uit een authentieke bron")
        verbose_name_plural = _("gegevens uit authentieke bronnen")

    def __str__(self) -> str:
        return f"{self.party_id} {self.source} {self.fetched_at:%Y-%m-%d}"


class MagdaRegistration(models.Model):
    """Balie told MAGDA's repertorium (RegistreerInschrijving) that the municipality handles
    this person in this capacity for a period; until it ends, GeefPersoon needs no new one."""

    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.CASCADE,
        related_name="magda_registrations",
        verbose_name=_("partij"),
    )
    insz = models.CharField(_("INSZ"), max_length=11)
    capacity_code = models.CharField(_("hoedanigheidscode"), max_length=20)
    period_start = models.DateField(_("begin"))
    period_end = models.DateField(_("einde"))
    registered_at = models.DateTimeField(_("geregistreerd op"))
    reference = models.UUIDField(_("MAGDA-referte"))

    class Meta:
        ordering = ["-registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["insz", "capacity_code"], name="authentic_sources_registration_unique"
            )
        ]
        verbose_name = _("MAGDA-inschrijving")
        verbose_name_plural = _("MAGDA-inschrijvingen")

    def __str__(self) -> str:
        return f"{self.capacity_code} {self.period_start}–{self.period_end}"
