"""Change history and the personal-data access log.

Audit sits below every domain app, so it has no foreign keys to them: rows name the actor and the
object by public UUID plus a frozen label, and outlive what they describe.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("aangemaakt")
    UPDATE = "update", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    MERGE = "merge", _("samengevoegd")


class ChangeRecord(models.Model):
    """One change to one domain object: who, when, which fields, old -> new."""

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    model = models.CharField(_("objecttype"), max_length=64)
    object_uuid = models.UUIDField(_("object"))
    action = models.CharField(_("actie"), max_length=16, choices=ChangeAction.choices)
    changes = models.JSONField(_("wijzigingen"), default=dict)
    actor_uuid = models.UUIDField(_("door (id)"), null=True, blank=True)
    actor_label = models.CharField(_("door"), max_length=200, blank=True)
    reason = models.CharField(_("reden"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_uuid", "-at"], name="audit_change_object"),
            models.Index(fields=["actor_uuid", "-at"], name="audit_change_actor"),
        ]
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")

    def __str__(self) -> str:
        return f"{self.model} {self.object_uuid} {self.action} {self.at:%Y-%m-%d %H:%M}"


class AccessChannel(models.TextChoices):
    PAGE = "page", _("scherm")
    API = "api", _("API")
    EXPORT = "export", _("export")
    SOURCE = "source", _("authentieke bron")


class PersonalDataAccess(models.Model):
    """Someone opened a person's data: who, about whom, where, when and why. Never the data."""

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    actor_uuid = models.UUIDField(_("door (id)"), null=True, blank=True)
    actor_label = models.CharField(_("door"), max_length=200)
    application = models.CharField(_("toepassing"), max_length=100, blank=True)
    subject_uuid = models.UUIDField(_("over (id)"))
    subject_type = models.CharField(_("soort"), max_length=32)
    channel = models.CharField(_("kanaal"), max_length=16, choices=AccessChannel.choices)
    location = models.CharField(_("scherm of endpoint"), max_length=300)
    purpose = models.CharField(_("doel"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_uuid", "-at"], name="audit_access_subject"),
            models.Index(fields=["actor_uuid", "-at"], name="audit_access_actor"),
            models.Index(fields=["-at"], name="audit_access_at"),
        ]
        verbose_name = _("inzage persoonsgegevens")
        verbose_name_plural = _("inzages persoonsgegevens")

    def __str__(self) -> str:
        return f"{self.actor_label} -> {self.subject_uuid} {self.at:%Y-%m-%d %H:%M}"
