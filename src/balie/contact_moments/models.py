"""Contact moments over every channel, the topic catalogue, and internal tasks (hand-offs)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department, Team
from balie.cases.models import Case
from balie.core.models import PublicModel
from balie.core.validators import validate_no_control_chars, validate_plain_text
from balie.documents.models import Document
from balie.parties.models import Party


class Topic(PublicModel):
    """A product or service of the municipality that people contact it about (the catalogue)."""

    name = models.CharField(_("naam"), max_length=150, unique=True, validators=[validate_plain_text])
    description = models.TextField(_("omschrijving"), blank=True, validators=[MaxLengthValidator(2000)])
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("verantwoordelijke dienst"),
    )
    keywords = models.CharField(_("trefwoorden"), max_length=300, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("onderwerp")
        verbose_name_plural = _("onderwerpen")

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    COUNTER = "counter", _("balie")
    PHONE = "phone", _("telefoon")
    EMAIL = "email", _("e-mail")
    WEB = "web", _("website")
    LETTER = "letter", _("brief")
    SOCIAL = "social", _("sociale media")
    HOME_VISIT = "home_visit", _("huisbezoek")


class Direction(models.TextChoices):
    INBOUND = "in", _("inkomend")
    OUTBOUND = "out", _("uitgaand")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("beantwoord")
    HANDED_OFF = "handed_off", _("doorgegeven")


class ContactMoment(PublicModel):
    """One contact with a customer over one channel. The party is optional: people call anonymously."""

    registered_at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    direction = models.CharField(
        _("richting"), max_length=3, choices=Direction.choices, default=Direction.INBOUND
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("klant"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("onderwerp"),
    )
    summary = models.TextField(
        _("samenvatting"), validators=[MaxLengthValidator(5000), validate_no_control_chars]
    )
    outcome = models.CharField(_("resultaat"), max_length=16, choices=Outcome.choices)
    duration_seconds = models.PositiveIntegerField(
        _("duur (seconden)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24 * 3600)],
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_moments",
        verbose_name=_("medewerker"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="contact_moments",
        verbose_name=_("dienst"),
        help_text=_("De dienst van de medewerker; ziet vertrouwelijke contacten."),
    )
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    address_snapshot = models.JSONField(_("adres op dat moment"), null=True, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("zaak"),
    )
    # An answer to a question (one asked in the e-loket, answered there by an employee).
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("antwoord op"),
    )

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        indexes = [
            models.Index(fields=["party", "-registered_at", "-id"], name="cm_party_time"),
            models.Index(fields=["-registered_at", "-id"], name="cm_time"),
            models.Index(fields=["employee", "-registered_at"], name="cm_employee_time"),
            models.Index(fields=["topic", "-registered_at"], name="cm_topic_time"),
            models.Index(fields=["case", "-registered_at"], name="cm_case_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.registered_at:%d/%m/%Y %H:%M}"


class TaskStatus(models.TextChoices):
    TODO = "todo", _("te doen")
    DONE = "done", _("afgewerkt")


class InternalTask(PublicModel):
    """A hand-off: a contact that a colleague, team or department must follow up."""

    contact_moment = models.ForeignKey(
        ContactMoment, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("contactmoment")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="internal_tasks"
    )
    description = models.TextField(
        _("wat moet er gebeuren"), validators=[MaxLengthValidator(2000), validate_no_control_chars]
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="internal_tasks", verbose_name=_("dienst")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internal_tasks",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
        verbose_name=_("medewerker"),
    )
    due_date = models.DateField(_("uiterlijk op"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.TODO)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_tasks"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completed_tasks",
    )
    done_at = models.DateTimeField(_("afgewerkt op"), null=True, blank=True)

    class Meta:
        ordering = ["status", "due_date", "created_at", "id"]
        verbose_name = _("interne taak")
        verbose_name_plural = _("interne taken")
        indexes = [
            models.Index(fields=["department", "status", "created_at"], name="task_department"),
            models.Index(fields=["team", "status", "created_at"], name="task_team"),
            models.Index(fields=["assignee", "status", "created_at"], name="task_assignee"),
            models.Index(fields=["party", "-created_at"], name="task_party"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="todo", done_at__isnull=True) | Q(status="done", done_at__isnull=False),
                name="task_done_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} – {self.description[:40]}"


class ContactMomentDocument(models.Model):
    """A document that came with a contact or was given at it (a form handed in at the counter,
    an e-mail's attachment)."""

    contact_moment = models.ForeignKey(ContactMoment, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="contact_moment_links")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        ordering = ["contact_moment", "-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contact_moment", "document"], name="cm_document_unique"),
        ]
        verbose_name = _("document van een contactmoment")
        verbose_name_plural = _("documenten van contactmomenten")

    def __str__(self) -> str:
        return f"{self.contact_moment_id}: {self.document_id}"
