"""Employees, departments, teams and roles; the user model leaves room for citizen accounts."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.models import PublicModel
from balie.core.validators import validate_plain_text


class Department(PublicModel):
    """A department (dienst/afdeling) of the municipality: owns queues, topics and cases."""

    name = models.CharField(_("naam"), max_length=150, unique=True, validators=[validate_plain_text])
    code = models.SlugField(_("code"), max_length=32, unique=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")

    def __str__(self) -> str:
        return self.name


class Team(PublicModel):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name=_("dienst")
    )
    name = models.CharField(_("naam"), max_length=150, validators=[validate_plain_text])
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="accounts_team_unique_name")
        ]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.department.name} – {self.name}"


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Onthaal")
    CASE_HANDLER = "case_handler", _("Dossierbehandelaar")
    TEAM_LEAD = "team_lead", _("Teamverantwoordelijke")
    POST_ROOM = "post_room", _("Postkamer")
    COMPLAINT_COORDINATOR = "complaint_coordinator", _("Klachtencoördinator")
    ROOM_MANAGER = "room_manager", _("Zaalbeheerder")
    CASHIER = "cashier", _("Kassier")
    HR = "hr", _("HR")
    PRIVACY_OFFICER = "privacy_officer", _("Functionaris gegevensbescherming")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheerder")
    ARCHIVIST = "archivist", _("Archivaris")


class AccountKind(models.TextChoices):
    EMPLOYEE = "employee", _("medewerker")
    CITIZEN = "citizen", _("burger of organisatie")
    SYSTEM = "system", _("systeem")


class User(AbstractUser):
    """Anyone who logs in. Employees have a department; citizen accounts arrive with the portal."""

    uuid = models.UUIDField(_("publieke id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("soort account"), max_length=16, choices=AccountKind.choices, default=AccountKind.EMPLOYEE
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("dienst"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    job_title = models.CharField(_("functie"), max_length=150, blank=True)
    # Citizen accounts: the e-mail address is proven by a link sent to it (local accounts), or
    # the person by the government login (eID, itsme).
    email_verified_at = models.DateTimeField(_("e-mailadres bevestigd op"), null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def audit_label(self) -> str:
        return f"{self.get_full_name() or self.username} ({self.username})"

    @property
    def is_employee(self) -> bool:
        return self.kind == AccountKind.EMPLOYEE

    @property
    def roles(self) -> frozenset[str]:
        """The employee's roles, loaded once per request object."""
        cached: frozenset[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="accounts_role_unique")]
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
