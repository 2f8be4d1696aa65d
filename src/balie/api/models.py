"""API applications: other systems that call Balie's REST API with a token, as a system account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.core.models import PublicModel
from balie.core.validators import validate_plain_text


class Scope(models.TextChoices):
    """What an application may do; each endpoint requires exactly one scope."""

    PARTIES_READ = "parties:read", _("partijen lezen")
    PARTIES_WRITE = "parties:write", _("partijen registreren en wijzigen")
    CONTACT_MOMENTS_READ = "contact_moments:read", _("contactmomenten lezen")
    CONTACT_MOMENTS_WRITE = "contact_moments:write", _("contactmomenten registreren en wijzigen")
    CATALOGUE_READ = "catalogue:read", _("onderwerpen en diensten lezen")


def validate_scopes(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Kies minstens één recht."), code="required")
    unknown = sorted({str(scope) for scope in value} - set(Scope.values))
    if unknown:
        raise ValidationError(
            _("Onbekend recht: %(scopes)s."), code="unknown", params={"scopes": ", ".join(unknown)}
        )


class ApiApplication(PublicModel):
    """Another system with a token. It acts as its own system account, which belongs to the
    application's department: it sees what that department sees, and every change and every read of
    personal data names it."""

    name = models.CharField(_("naam"), max_length=100, unique=True, validators=[validate_plain_text])
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="api_applications", verbose_name=_("dienst")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_application",
        verbose_name=_("systeemaccount"),
    )
    # Only a hash of the token is kept: a copy of the database gives no access.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("begin van de sleutel"), max_length=16, editable=False)
    scopes = models.JSONField(_("rechten"), default=list, validators=[validate_scopes])
    purpose = models.CharField(
        _("doel"),
        max_length=300,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Waarvoor de toepassing persoonsgegevens inkijkt; staat in het inzagelogboek."),
    )
    active = models.BooleanField(_("actief"), default=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API-toepassing")
        verbose_name_plural = _("API-toepassingen")

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
