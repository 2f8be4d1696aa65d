"""API applications: other systems that call Balie's REST API with a token, as a system account."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
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
    CATALOGUE_READ = "catalogue:read", _("onderwerpen, diensten en zaaktypes lezen")
    CASES_READ = "cases:read", _("zaken lezen")
    CASES_WRITE = "cases:write", _("zaken registreren en behandelen")
    DOCUMENTS_READ = "documents:read", _("documenten lezen, downloaden en doorzoeken")
    DOCUMENTS_WRITE = "documents:write", _("documenten en nieuwe versies opladen")
    POST_READ = "post:read", _("het postregister lezen")
    POST_WRITE = "post:write", _("post registreren, toewijzen en behandelen")
    REPORTS_WRITE = "reports:write", _("meldingen indienen (Open311 GeoReport v2)")


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


# --- webhooks ----------------------------------------------------------------------------------

EVENT_TYPE_PREFIX = re.compile(r"^be\.balie\.([a-z0-9_]+\.)*[a-z0-9_]*$")
LOOPBACK_HOSTS = {"localhost"}


def validate_event_types(value: Any) -> None:
    """A list of event types or prefixes of them, such as `be.balie.case.` or `be.balie.case.closed`."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Kies minstens één soort gebeurtenis."), code="no_event_types")
    wrong = [
        str(item)[:100]
        for item in value
        if not isinstance(item, str) or len(item) > 100 or not EVENT_TYPE_PREFIX.match(item)
    ]
    if wrong:
        raise ValidationError(
            _(
                "Een soort gebeurtenis begint met be.balie. en bevat kleine letters, cijfers, _ en"
                " punten: %(wrong)s."
            ),
            code="event_type",
            params={"wrong": ", ".join(wrong)},
        )


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_webhook_url(value: str) -> None:
    """An https address; plain http only on this machine (a receiver beside Balie, or a test)."""
    URLValidator(schemes=["https", "http"])(value)
    parts = urlsplit(value)
    if parts.username or parts.password:
        raise ValidationError(_("Zet geen gebruikersnaam of wachtwoord in het adres."), code="credentials")
    if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
        raise ValidationError(_("Gebruik een https-adres."), code="https")


class WebhookSubscription(PublicModel):
    """Another system that wants to hear about events: each matching event is POSTed to `url` as a
    CloudEvent, signed with `secret` (see webhooks.py), through the outbox."""

    name = models.CharField(_("naam"), max_length=100, unique=True, validators=[validate_plain_text])
    url = models.CharField(_("adres"), max_length=500, validators=[validate_webhook_url])
    # Standard Webhooks secret: "whsec_" + base64 of 32 random bytes. Kept to sign; shown once.
    secret = models.CharField(max_length=100, editable=False)
    event_types = models.JSONField(
        _("soorten gebeurtenissen"),
        default=list,
        validators=[validate_event_types],
        error_messages={"blank": _("Kies minstens één soort gebeurtenis.")},
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
        verbose_name=_("alleen van dienst"),
    )
    active = models.BooleanField(_("actief"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name

    @property
    def destination(self) -> str:
        """The outbox destination of this subscription's messages (delivered in order)."""
        return f"webhook:{self.uuid}"

    def wants(self, event_type: str, department_code: str) -> bool:
        if self.department is not None and self.department.code != department_code:
            return False
        return any(event_type.startswith(prefix) for prefix in self.event_types)
