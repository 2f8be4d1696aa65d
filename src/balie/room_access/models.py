"""Door access: controllers, their door zones, and the grants that let a holder in for a window.

A grant's PIN is never stored in clear (see `pins.py`): `pin_cipher` holds it encrypted so that it
can be shown to its holder again, `pin_salt` + `pin_hash` are what the door controller checks.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.core.models import OutboxMessage, PublicModel
from balie.parties.models import Party


class DoorController(PublicModel):
    """A door-access system Balie pushes grants to (one HTTP/JSON endpoint, see adapters/)."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    base_url = models.URLField(
        _("adres"),
        blank=True,
        help_text=_("Leeg: de demo-toegangscontroller op deze machine."),
    )
    api_key_variable = models.CharField(
        _("omgevingsvariabele met de API-sleutel"),
        max_length=100,
        blank=True,
        help_text=_("De naam van de omgevingsvariabele, nooit de sleutel zelf."),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("toegangscontroller")
        verbose_name_plural = _("toegangscontrollers")

    def __str__(self) -> str:
        return self.name

    @property
    def destination(self) -> str:
        """The outbox destination: one per controller, so its grants arrive in order."""
        return f"door-controller:{self.uuid}"


class DoorZone(PublicModel):
    """The doors of (part of) a building that one grant opens; the controller knows it by zone_id."""

    name = models.CharField(_("naam"), max_length=120)
    controller = models.ForeignKey(
        DoorController, on_delete=models.PROTECT, related_name="zones", verbose_name=_("controller")
    )
    zone_id = models.CharField(_("zone-id bij de controller"), max_length=64)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["controller", "zone_id"], name="room_access_zone_controller_id")
        ]
        verbose_name = _("deurzone")
        verbose_name_plural = _("deurzones")

    def __str__(self) -> str:
        return self.name


class CredentialKind(models.TextChoices):
    PIN = "pin", _("pincode")
    BADGE = "badge", _("badge")


class GrantState(models.TextChoices):
    ACTIVE = "active", _("actief")
    REVOKED = "revoked", _("ingetrokken")


class AccessGrant(PublicModel):
    """A holder may open a zone's doors with a PIN or badge from starts_at to ends_at.

    valid_from/valid_until are what the caller asked (a booking's slot); starts_at/ends_at the
    window applied, with the margins of the settings. `version` counts the changes;
    `pushed_version` is the last version the controller confirmed.
    """

    zone = models.ForeignKey(
        DoorZone, on_delete=models.PROTECT, related_name="grants", verbose_name=_("zone")
    )
    holder = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="access_grants", verbose_name=_("houder")
    )
    reference = models.CharField(_("referentie"), max_length=100, db_index=True)
    kind = models.CharField(_("soort"), max_length=8, choices=CredentialKind.choices)
    pin_cipher = models.TextField(_("pincode (versleuteld)"), blank=True, editable=False)
    pin_salt = models.CharField(max_length=32, blank=True, editable=False)
    pin_hash = models.CharField(max_length=64, blank=True, editable=False)
    badge_id = models.CharField(_("badge"), max_length=64, blank=True)
    valid_from = models.DateTimeField(_("geldig vanaf (gevraagd)"))
    valid_until = models.DateTimeField(_("geldig tot (gevraagd)"))
    starts_at = models.DateTimeField(_("toegang vanaf"))
    ends_at = models.DateTimeField(_("toegang tot"))
    state = models.CharField(
        _("toestand"), max_length=8, choices=GrantState.choices, default=GrantState.ACTIVE
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoke_reason = models.CharField(_("reden van intrekking"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    pushed_version = models.PositiveIntegerField(default=0)
    pushed_at = models.DateTimeField(_("laatst doorgegeven"), null=True, blank=True)
    last_message = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    mailed_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="room_access_grant_window"
            ),
            models.CheckConstraint(
                condition=Q(kind="pin", badge_id="") & ~Q(pin_hash="")
                | Q(kind="badge", pin_hash="") & ~Q(badge_id=""),
                name="room_access_grant_credential",
            ),
        ]
        indexes = [models.Index(fields=["zone", "ends_at"], name="room_access_grant_zone_end")]
        verbose_name = _("toegangsrecht")
        verbose_name_plural = _("toegangsrechten")

    def __str__(self) -> str:
        return f"{self.zone} {self.starts_at:%d/%m/%Y %H:%M}–{self.ends_at:%H:%M} ({self.reference})"

    def is_live(self, now: dt.datetime | None = None) -> bool:
        """Should the controller hold it: active and not yet over."""
        return self.state == GrantState.ACTIVE and self.ends_at > (now or timezone.now())

    @property
    def in_sync(self) -> bool:
        return self.pushed_version == self.version


class RunOutcome(models.TextChoices):
    RUNNING = "running", _("bezig")
    OK = "ok", _("geslaagd")
    ERROR = "error", _("mislukt")


class ReconciliationRun(PublicModel):
    """One comparison of a controller's grants with Balie's, and what it repaired."""

    controller = models.ForeignKey(
        DoorController, on_delete=models.CASCADE, related_name="reconciliations", verbose_name=_("controller")
    )
    started_at = models.DateTimeField(_("gestart"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    outcome = models.CharField(
        _("uitkomst"), max_length=8, choices=RunOutcome.choices, default=RunOutcome.RUNNING
    )
    error = models.CharField(_("fout"), max_length=1000, blank=True)
    checked = models.PositiveIntegerField(_("vergeleken"), default=0)
    missing = models.PositiveIntegerField(_("ontbrekend"), default=0)
    extra = models.PositiveIntegerField(_("te veel"), default=0)
    changed = models.PositiveIntegerField(_("afwijkend"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("afstemming")
        verbose_name_plural = _("afstemmingen")

    def __str__(self) -> str:
        return f"{self.controller} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def repaired(self) -> int:
        return self.missing + self.extra + self.changed


class FindingKind(models.TextChoices):
    MISSING = "missing", _("ontbrak bij de controller: opnieuw doorgegeven")
    EXTRA = "extra", _("te veel bij de controller: verwijderd")
    CHANGED = "changed", _("afwijkend bij de controller: bijgewerkt")


class ReconciliationFinding(models.Model):
    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("soort"), max_length=8, choices=FindingKind.choices)
    grant_key = models.CharField(_("toegangsrecht-id"), max_length=64)
    grant = models.ForeignKey(AccessGrant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    zone_id = models.CharField(_("zone-id"), max_length=64)
    detail = models.CharField(_("details"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("afwijking")
        verbose_name_plural = _("afwijkingen")

    def __str__(self) -> str:
        return f"{self.kind} {self.grant_key}"
