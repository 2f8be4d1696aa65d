"""Approval and digital signing of PDF documents (see documents/signing/).

A `SigningProcedure` says how a kind of document is signed: whether a team lead approves it first,
and who signs, in which order (`ProcedureSigner`: a named employee or a `SigningFunction` such as
"Algemeen directeur", whoever holds it), in Balie (PAdES, with the municipality's or the signer's
certificate) or on an external signing platform. A `Substitution` lets a colleague act for an
employee or a function between two dates. Anything may point at a procedure (a letter template
does); the procedure points at nothing above it.

A `SigningRequest` is one PDF version on its way through a procedure. Its `SigningStep`s are the
procedure's plan frozen when it was asked (the approval, then each signer); each step records who
acted, when and for whom. `SigningEvent` is the request's history, append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.core.models import PublicModel
from balie.core.validators import validate_no_control_chars, validate_plain_text

from .store import Document, DocumentVersion


class SigningFunction(PublicModel):
    """A function that signs on behalf of the municipality (algemeen directeur, burgemeester …),
    held by one employee at a time."""

    name = models.CharField(_("functie"), max_length=150, unique=True, validators=[validate_plain_text])
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signing_functions",
        verbose_name=_("bekleed door"),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ondertekeningsfunctie")
        verbose_name_plural = _("ondertekeningsfuncties")

    def __str__(self) -> str:
        return self.name


class SigningMethod(models.TextChoices):
    BALIE = "balie", _("in Balie (PAdES-handtekening)")
    PLATFORM = "platform", _("op het externe ondertekenplatform")


class SigningProcedure(PublicModel):
    name = models.CharField(_("naam"), max_length=150, unique=True, validators=[validate_plain_text])
    description = models.TextField(
        _("omschrijving"), blank=True, max_length=2000, validators=[validate_no_control_chars]
    )
    approval_required = models.BooleanField(
        _("eerst goedkeuren door een teamverantwoordelijke"),
        default=False,
        help_text=_("Een teamverantwoordelijke van de dienst van het document keurt het eerst goed."),
    )
    method = models.CharField(
        _("ondertekenen"), max_length=16, choices=SigningMethod.choices, default=SigningMethod.BALIE
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ondertekeningsprocedure")
        verbose_name_plural = _("ondertekeningsprocedures")

    def __str__(self) -> str:
        return self.name


class CertificateKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("certificaat van de gemeente")
    PERSONAL = "personal", _("persoonlijk certificaat van de ondertekenaar")


class ProcedureSigner(models.Model):
    """One signer of a procedure, in order: an employee, or whoever holds a function."""

    procedure = models.ForeignKey(SigningProcedure, on_delete=models.CASCADE, related_name="signers")
    position = models.PositiveSmallIntegerField(_("volgorde"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    function = models.ForeignKey(
        SigningFunction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procedure_signers",
        verbose_name=_("functie"),
    )
    certificate = models.CharField(
        _("certificaat"), max_length=16, choices=CertificateKind.choices, default=CertificateKind.MUNICIPALITY
    )

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = _("ondertekenaar")
        verbose_name_plural = _("ondertekenaars")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="documents_signer_position"),
            models.CheckConstraint(
                condition=Q(user__isnull=True, function__isnull=False)
                | Q(user__isnull=False, function__isnull=True),
                name="documents_signer_user_or_function",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.function or self.user}"


class Substitution(PublicModel):
    """`substitute` may act for an employee or a function from `valid_from` to `valid_until`
    (both included): absence, holidays, a delegation."""

    for_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_by",
        verbose_name=_("vervangt medewerker"),
    )
    for_function = models.ForeignKey(
        SigningFunction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutions",
        verbose_name=_("vervangt functie"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="substitutes_for",
        verbose_name=_("vervanger"),
    )
    valid_from = models.DateField(_("van"))
    valid_until = models.DateField(_("tot en met"))
    reason = models.CharField(_("reden"), max_length=200, blank=True, validators=[validate_plain_text])

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("vervanging")
        verbose_name_plural = _("vervangingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(for_user__isnull=True, for_function__isnull=False)
                | Q(for_user__isnull=False, for_function__isnull=True),
                name="documents_substitution_user_or_function",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="documents_substitution_dates"
            ),
        ]
        indexes = [models.Index(fields=["substitute", "valid_until"], name="documents_subst_by_substitute")]

    def __str__(self) -> str:
        return f"{self.substitute} → {self.for_function or self.for_user}"


class SigningState(models.TextChoices):
    APPROVAL = "approval", _("te keuren")
    SIGNING = "signing", _("te ondertekenen")
    PLATFORM = "platform", _("op het ondertekenplatform")
    SIGNED = "signed", _("ondertekend")
    REFUSED = "refused", _("geweigerd")
    WITHDRAWN = "withdrawn", _("ingetrokken")
    FAILED = "failed", _("mislukt")


OPEN_STATES = [SigningState.APPROVAL, SigningState.SIGNING, SigningState.PLATFORM]


class SigningRequest(PublicModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signing_requests")
    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("versie ter ondertekening"),
    )
    procedure = models.ForeignKey(
        SigningProcedure, on_delete=models.PROTECT, related_name="requests", verbose_name=_("procedure")
    )
    method = models.CharField(_("ondertekenen"), max_length=16, choices=SigningMethod.choices)
    state = models.CharField(_("toestand"), max_length=16, choices=SigningState.choices)
    # The step whose turn it is (SigningStep.position), moved in the transaction that ends a step.
    current_position = models.PositiveSmallIntegerField(_("huidige stap"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dienst"),
        help_text=_("Een teamverantwoordelijke van deze dienst keurt goed."),
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True, validators=[validate_plain_text])
    signed_version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ondertekende versie"),
    )
    finished_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    platform_reference = models.CharField(_("referentie op het platform"), max_length=200, blank=True)
    validation = models.JSONField(_("validatie"), default=list, blank=True)
    validated_at = models.DateTimeField(_("gevalideerd op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ondertekeningsaanvraag")
        verbose_name_plural = _("ondertekeningsaanvragen")
        constraints = [
            # One request at a time per document: two would sign different versions.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state__in=["approval", "signing", "platform"]),
                name="documents_one_open_signing_request",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="documents_signreq_state")]

    def __str__(self) -> str:
        return f"{self.document} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class StepKind(models.TextChoices):
    APPROVAL = "approval", _("goedkeuring")
    SIGNATURE = "signature", _("handtekening")


class StepState(models.TextChoices):
    WAITING = "waiting", _("wacht")
    DONE = "done", _("gedaan")
    REFUSED = "refused", _("geweigerd")
    SKIPPED = "skipped", _("vervallen")


class SigningStep(models.Model):
    """One step of a request: frozen from the procedure when it was asked."""

    request = models.ForeignKey(SigningRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("volgorde"))
    kind = models.CharField(_("soort"), max_length=16, choices=StepKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    function = models.ForeignKey(SigningFunction, on_delete=models.PROTECT, null=True, related_name="+")
    certificate = models.CharField(
        _("certificaat"), max_length=16, choices=CertificateKind.choices, blank=True
    )
    state = models.CharField(
        _("toestand"), max_length=16, choices=StepState.choices, default=StepState.WAITING
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Wie vervangen werd, als een vervanger handelde."),
    )
    function_name = models.CharField(_("als"), max_length=150, blank=True)
    acted_at = models.DateTimeField(_("op"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    produced_version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="documents_step_position"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.position} {self.kind}"


class SigningEventKind(models.TextChoices):
    REQUESTED = "requested", _("aangevraagd")
    APPROVED = "approved", _("goedgekeurd")
    REFUSED = "refused", _("geweigerd")
    SIGNED = "signed", _("ondertekend")
    SENT_TO_PLATFORM = "sent", _("naar het ondertekenplatform gestuurd")
    PLATFORM_SIGNED = "platform_signed", _("ondertekend op het platform")
    PLATFORM_REFUSED = "platform_refused", _("geweigerd op het platform")
    FAILED = "failed", _("mislukt")
    WITHDRAWN = "withdrawn", _("ingetrokken")
    VALIDATED = "validated", _("gevalideerd")


class SigningEvent(models.Model):
    """The history of a request, append-only."""

    request = models.ForeignKey(SigningRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("gebeurtenis"), max_length=20, choices=SigningEventKind.choices)
    at = models.DateTimeField(_("op"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    function_name = models.CharField(_("als"), max_length=150, blank=True)
    text = models.CharField(_("toelichting"), max_length=1000, blank=True)
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, null=True, related_name="+")

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("ondertekeningsgebeurtenis")
        verbose_name_plural = _("ondertekeningsgebeurtenissen")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"
