"""Case types (the catalogue, versioned) and cases with their status history, roles and tasks.

A case type is a family (`CaseType`) with numbered versions (`CaseTypeVersion`). Only a draft
version is edited; publishing it retires the version in force. A case points at the version it
started with, so changing the catalogue never changes a running case.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department, Team
from balie.core.models import PublicModel
from balie.core.validators import validate_no_control_chars, validate_plain_text
from balie.documents.models import Document
from balie.parties.models import Party

# --- the catalogue ---------------------------------------------------------------------------


class CaseType(PublicModel):
    """A kind of case, across its versions. Permissions and queues refer to this, never a version."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=150, validators=[validate_plain_text])
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="case_types", verbose_name=_("dienst")
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("zaaktype")
        verbose_name_plural = _("zaaktypes")

    def __str__(self) -> str:
        return self.name


class VersionState(models.TextChoices):
    DRAFT = "draft", _("ontwerp")
    PUBLISHED = "published", _("in gebruik")
    RETIRED = "retired", _("vervangen")


class DayUnit(models.TextChoices):
    CALENDAR = "calendar", _("kalenderdagen")
    WORKING = "working", _("werkdagen")


class AssignmentRule(models.TextChoices):
    QUEUE = "queue", _("in de wachtrij van de dienst")
    ROUND_ROBIN = "round_robin", _("om beurt")
    LEAST_LOADED = "least_loaded", _("minst belaste behandelaar")


class CaseTypeVersion(PublicModel):
    """One version of a case type: everything a case of this type follows."""

    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    state = models.CharField(
        _("toestand"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    retired_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)

    name = models.CharField(_("naam"), max_length=150, validators=[validate_plain_text])
    description = models.TextField(
        _("omschrijving"), blank=True, validators=[MaxLengthValidator(4000), validate_no_control_chars]
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="case_type_versions",
        verbose_name=_("verantwoordelijke dienst"),
    )
    lead_time_days = models.PositiveIntegerField(
        _("doorlooptijd"), default=30, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    lead_time_unit = models.CharField(
        _("eenheid"), max_length=10, choices=DayUnit.choices, default=DayUnit.CALENDAR
    )
    reminder_days = models.PositiveIntegerField(
        _("herinnering (dagen voor de termijn)"), default=3, validators=[MaxValueValidator(365)]
    )
    suspension_allowed = models.BooleanField(_("opschorten toegestaan"), default=False)
    max_suspension_days = models.PositiveIntegerField(
        _("maximaal opgeschort (dagen)"), default=0, validators=[MaxValueValidator(3650)]
    )
    extension_allowed = models.BooleanField(_("verlengen toegestaan"), default=False)
    max_extension_days = models.PositiveIntegerField(
        _("maximale verlenging (dagen)"), default=0, validators=[MaxValueValidator(3650)]
    )
    confidential = models.BooleanField(_("standaard vertrouwelijk"), default=False)
    assignment_rule = models.CharField(
        _("toewijzing"), max_length=16, choices=AssignmentRule.choices, default=AssignmentRule.QUEUE
    )
    assignment_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team voor toewijzing"),
    )
    # An e-service: citizens request a case of this type in the e-loket, with a form built from
    # its attributes (so a new e-service needs no code).
    e_service = models.BooleanField(_("aan te vragen via het e-loket"), default=False)
    e_service_intro = models.TextField(
        _("uitleg in het e-loket"),
        blank=True,
        validators=[MaxLengthValidator(2000), validate_no_control_chars],
    )

    class Meta:
        ordering = ["case_type", "-number"]
        verbose_name = _("zaaktypeversie")
        verbose_name_plural = _("zaaktypeversies")
        constraints = [
            models.UniqueConstraint(fields=["case_type", "number"], name="cases_version_number"),
            models.UniqueConstraint(
                fields=["case_type"], condition=Q(state="draft"), name="cases_one_draft_per_type"
            ),
            models.UniqueConstraint(
                fields=["case_type"], condition=Q(state="published"), name="cases_one_published_per_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT


class StatusType(models.Model):
    """A step of the process. The last one (highest order) is the end status: the case is closed."""

    version = models.ForeignKey(CaseTypeVersion, on_delete=models.CASCADE, related_name="status_types")
    order = models.PositiveSmallIntegerField(_("volgorde"))
    name = models.CharField(_("naam"), max_length=100, validators=[validate_plain_text])
    informs_customer = models.BooleanField(_("klant informeren"), default=False)
    # {"nl": {"subject": "...", "body": "..."}, "fr": {...}, "en": {...}}
    messages = models.JSONField(_("berichten"), default=dict, blank=True)
    next_statuses = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="previous_statuses", verbose_name=_("mag naar")
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="cases_statustype_order"),
        ]
        verbose_name = _("statustype")
        verbose_name_plural = _("statustypes")

    def __str__(self) -> str:
        return self.name


class ChecklistItemType(models.Model):
    """A task that must (or may) be done while a case is in a status."""

    status_type = models.ForeignKey(StatusType, on_delete=models.CASCADE, related_name="checklist")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    description = models.CharField(_("taak"), max_length=200, validators=[validate_plain_text])
    required = models.BooleanField(
        _("verplicht"), default=True, help_text=_("De zaak gaat pas verder als deze taak af is.")
    )

    class Meta:
        ordering = ["status_type", "order", "id"]
        verbose_name = _("taak in de checklist")
        verbose_name_plural = _("taken in de checklist")

    def __str__(self) -> str:
        return self.description


class RoleKind(models.TextChoices):
    INITIATOR = "initiator", _("aanvrager")
    SUBJECT = "subject", _("betrokkene")
    REPRESENTATIVE = "representative", _("vertegenwoordiger")
    HANDLER = "handler", _("behandelaar")
    ADVISER = "adviser", _("adviseur")


class RoleType(models.Model):
    version = models.ForeignKey(CaseTypeVersion, on_delete=models.CASCADE, related_name="role_types")
    kind = models.CharField(_("soort rol"), max_length=16, choices=RoleKind.choices)
    name = models.CharField(_("naam"), max_length=100, validators=[validate_plain_text])

    class Meta:
        ordering = ["version", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="cases_roletype_kind")]
        verbose_name = _("roltype")
        verbose_name_plural = _("roltypes")

    def __str__(self) -> str:
        return self.name


class AttributeKind(models.TextChoices):
    TEXT = "text", _("tekst")
    NUMBER = "number", _("getal")
    DATE = "date", _("datum")
    CHOICE = "choice", _("keuze")
    PARTY = "party", _("klant")
    ADDRESS = "address", _("adres")


class AttributeDefinition(models.Model):
    """A custom field of a case type, typed and validated (see attributes.py)."""

    version = models.ForeignKey(CaseTypeVersion, on_delete=models.CASCADE, related_name="attributes")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=120, validators=[validate_plain_text])
    kind = models.CharField(_("soort"), max_length=10, choices=AttributeKind.choices)
    required = models.BooleanField(_("verplicht"), default=False)
    help_text = models.CharField(_("uitleg"), max_length=300, blank=True, validators=[validate_plain_text])
    choices = models.JSONField(_("keuzes"), default=list, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_length = models.PositiveIntegerField(
        _("maximale lengte"), default=500, validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="cases_attribute_code")]
        verbose_name = _("kenmerk")
        verbose_name_plural = _("kenmerken")

    def __str__(self) -> str:
        return self.label


class ArchivalNomination(models.TextChoices):
    KEEP = "keep", _("blijvend bewaren")
    DESTROY = "destroy", _("vernietigen")


class RetentionStart(models.TextChoices):
    CLOSED = "closed", _("de datum van afsluiten")
    ATTRIBUTE = "attribute", _("een datum uit een kenmerk")


class ResultType(models.Model):
    """How a case can end; carries the archival rule."""

    version = models.ForeignKey(CaseTypeVersion, on_delete=models.CASCADE, related_name="result_types")
    name = models.CharField(_("naam"), max_length=100, validators=[validate_plain_text])
    archival_nomination = models.CharField(
        _("archiefnominatie"), max_length=8, choices=ArchivalNomination.choices
    )
    retention_years = models.PositiveSmallIntegerField(
        _("bewaartermijn (jaren)"), default=10, validators=[MaxValueValidator(200)]
    )
    retention_start = models.CharField(
        _("bewaartermijn loopt vanaf"),
        max_length=10,
        choices=RetentionStart.choices,
        default=RetentionStart.CLOSED,
    )
    retention_attribute = models.SlugField(_("kenmerk met de begindatum"), max_length=40, blank=True)

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("resultaattype")
        verbose_name_plural = _("resultaattypes")

    def __str__(self) -> str:
        return self.name


class DocumentDirection(models.TextChoices):
    INCOMING = "incoming", _("inkomend")
    INTERNAL = "internal", _("intern")
    OUTGOING = "outgoing", _("uitgaand")


class DocumentType(models.Model):
    version = models.ForeignKey(CaseTypeVersion, on_delete=models.CASCADE, related_name="document_types")
    name = models.CharField(_("naam"), max_length=100, validators=[validate_plain_text])
    direction = models.CharField(_("richting"), max_length=10, choices=DocumentDirection.choices)
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)

    class Meta:
        ordering = ["version", "direction", "name"]
        verbose_name = _("documenttype")
        verbose_name_plural = _("documenttypes")

    def __str__(self) -> str:
        return self.name


# --- cases -----------------------------------------------------------------------------------


class Origin(models.TextChoices):
    BACKOFFICE = "backoffice", _("backoffice")
    CONTACT_MOMENT = "contact_moment", _("contactmoment")
    POST = "post", _("post")
    PORTAL = "portal", _("e-loket")
    API = "api", _("API")
    EMAIL = "email", _("e-mail")


class Case(PublicModel):
    number = models.CharField(_("zaaknummer"), max_length=20, unique=True)
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(CaseTypeVersion, on_delete=models.PROTECT, related_name="cases")
    subject = models.CharField(
        _("onderwerp"), max_length=200, validators=[validate_plain_text, MaxLengthValidator(200)]
    )
    description = models.TextField(
        _("omschrijving"), blank=True, validators=[MaxLengthValidator(10000), validate_no_control_chars]
    )
    origin = models.CharField(_("ontstaan via"), max_length=16, choices=Origin.choices)
    origin_ref = models.UUIDField(_("bron"), null=True, blank=True)
    registered_at = models.DateTimeField(_("geregistreerd op"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registered_cases"
    )
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    attributes = models.JSONField(_("kenmerken"), default=dict, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_cases",
        verbose_name=_("hoofdzaak"),
    )

    # queue and assignment
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="cases", verbose_name=_("dienst")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("team")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("behandelaar"),
    )
    assigned_at = models.DateTimeField(_("toegewezen op"), null=True, blank=True)

    # status: the newest CaseStatus row, copied here in the same transaction for fast lists
    status_type = models.ForeignKey(StatusType, on_delete=models.PROTECT, related_name="+")
    status_set_at = models.DateTimeField(_("status sinds"))
    status_count = models.PositiveIntegerField(default=1, editable=False)

    # deadline
    start_date = models.DateField(_("startdatum"))
    deadline = models.DateField(_("uiterste datum"))
    original_deadline = models.DateField(_("oorspronkelijke uiterste datum"))
    suspended_since = models.DateField(_("opgeschort sinds"), null=True, blank=True)
    suspension_reason = models.CharField(_("reden van opschorting"), max_length=300, blank=True)
    suspended_days = models.PositiveIntegerField(_("dagen opgeschort"), default=0)
    extended_days = models.PositiveIntegerField(_("dagen verlengd"), default=0)
    extension_reason = models.CharField(_("reden van verlenging"), max_length=300, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True, editable=False)
    escalated_on = models.DateField(null=True, blank=True, editable=False)

    # end
    result_type = models.ForeignKey(
        ResultType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resultaat"),
    )
    result_note = models.TextField(
        _("toelichting bij het resultaat"),
        blank=True,
        validators=[MaxLengthValidator(4000), validate_no_control_chars],
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    archival_nomination = models.CharField(
        _("archiefnominatie"), max_length=8, choices=ArchivalNomination.choices, blank=True
    )
    archive_action_date = models.DateField(_("archiefactiedatum"), null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("zaak")
        verbose_name_plural = _("zaken")
        indexes = [
            # queues: open cases per unit, by deadline (keyset on deadline, id)
            models.Index(
                fields=["department", "deadline", "id"],
                condition=Q(closed_at__isnull=True),
                name="case_dept_open",
            ),
            models.Index(
                fields=["team", "deadline", "id"], condition=Q(closed_at__isnull=True), name="case_team_open"
            ),
            models.Index(
                fields=["handler", "deadline", "id"],
                condition=Q(closed_at__isnull=True),
                name="case_handler_open",
            ),
            models.Index(fields=["department", "-registered_at", "-id"], name="case_dept_time"),
            models.Index(fields=["-registered_at", "-id"], name="case_time"),
            models.Index(fields=["case_type", "-registered_at"], name="case_type_time"),
            models.Index(fields=["closed_at"], name="case_closed"),
            models.Index(
                fields=["archive_action_date"],
                condition=Q(archive_action_date__isnull=False),
                name="case_archive_due",
            ),
            models.Index(fields=["deadline"], condition=Q(closed_at__isnull=True), name="case_open_deadline"),
            # management figures (figures.py): each read is an index-only scan of one of these
            models.Index(
                fields=["department", "case_type", "status_type", "deadline"],
                condition=Q(closed_at__isnull=True),
                name="case_fig_open",
            ),
            models.Index(
                fields=["closed_at", "case_type", "department", "registered_at"],
                condition=Q(closed_at__isnull=False),
                name="case_fig_closed",
            ),
            models.Index(fields=["registered_at", "case_type", "department"], name="case_fig_registered"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(result_type__isnull=False),
                name="case_closed_has_result",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=False) | Q(archive_action_date__isnull=True),
                name="case_archive_date_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_since is not None


class CaseStatus(models.Model):
    """One step in a case's history. Append-only: rows are never changed or deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="statuses")
    sequence = models.PositiveIntegerField()
    status_type = models.ForeignKey(StatusType, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("tijdstip"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reden"), max_length=500, blank=True, validators=[validate_no_control_chars])
    customer_informed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["case", "sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="cases_status_sequence")]
        verbose_name = _("status")
        verbose_name_plural = _("statussen")

    def __str__(self) -> str:
        return f"{self.case_id}#{self.sequence} {self.status_type_id}"


class CaseRole(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="roles")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_roles")
    kind = models.CharField(_("rol"), max_length=16, choices=RoleKind.choices)
    address_snapshot = models.JSONField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party", "kind"], name="cases_role_unique"),
        ]
        indexes = [models.Index(fields=["party", "case"], name="caserole_party")]
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.party_id}"


class CaseTask(PublicModel):
    """A checklist item of a case, created when the case reaches the item's status."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    item_type = models.ForeignKey(ChecklistItemType, on_delete=models.PROTECT, null=True, related_name="+")
    status_type = models.ForeignKey(StatusType, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("taak"), max_length=200)
    required = models.BooleanField(_("verplicht"), default=True)
    done_at = models.DateTimeField(_("afgewerkt op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("taak")
        verbose_name_plural = _("taken")

    def __str__(self) -> str:
        return self.description


class CaseNote(PublicModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("notitie"), validators=[MaxLengthValidator(5000), validate_no_control_chars])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "-created_at"]
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")

    def __str__(self) -> str:
        return self.text[:40]


class CaseRelation(models.Model):
    """Two related cases (both directions are read from this one row)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relations_out")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relations_in")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "other"], name="cases_relation_unique"),
            models.CheckConstraint(condition=~Q(case=models.F("other")), name="cases_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.other_id}"


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("geregistreerd")
    STATUS = "status", _("status gewijzigd")
    ASSIGNED = "assigned", _("toegewezen")
    SUSPENDED = "suspended", _("opgeschort")
    RESUMED = "resumed", _("hervat")
    EXTENDED = "extended", _("verlengd")
    DEADLINE = "deadline", _("termijn gewijzigd")
    TASK_DONE = "task_done", _("taak afgewerkt")
    TASK_REOPENED = "task_reopened", _("taak heropend")
    NOTE = "note", _("notitie")
    PARTY = "party", _("betrokkene toegevoegd")
    ATTRIBUTES = "attributes", _("kenmerken gewijzigd")
    RELATED = "related", _("zaak gekoppeld")
    CLOSED = "closed", _("afgesloten")
    REOPENED = "reopened", _("heropend")
    INFORMED = "informed", _("klant geïnformeerd")
    REMINDED = "reminded", _("herinnering verstuurd")
    ESCALATED = "escalated", _("geëscaleerd")
    RETENTION = "retention", _("archiefbeoordeling")
    DOCUMENT = "document", _("document toegevoegd")


class CaseEvent(models.Model):
    """The case's own timeline: one append-only line per thing that happened."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "-at", "-id"]
        indexes = [models.Index(fields=["case", "-at", "-id"], name="caseevent_case_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class CaseDocument(models.Model):
    """A document linked to a case, with the case type's document type it is filed as."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="case_links")
    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("documenttype"),
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        ordering = ["case", "-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "document"], name="cases_document_unique"),
        ]
        indexes = [
            models.Index(fields=["case", "-added_at", "-id"], name="casedocument_case_time"),
        ]
        verbose_name = _("document van een zaak")
        verbose_name_plural = _("documenten van zaken")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.document_id}"


class RetentionDecision(models.TextChoices):
    PENDING = "pending", _("te beoordelen")
    DESTROY = "destroy", _("vernietiging goedgekeurd")
    POSTPONED = "postponed", _("uitgesteld")
    KEEP = "keep", _("blijvend bewaren")
    TRANSFER = "transfer", _("overbrengen naar het archief")


class RetentionReview(models.Model):
    """A closed case whose archive action date has passed, on the archivist's list (see retention.py).

    The daily job lists the case (`pending`); the archivist decides. A postponed case comes back on
    the list when its new date has passed; keep and transfer are final; an approved destruction
    waits for the destroy action, which deletes the case and this row with it.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="retention_review")
    listed_at = models.DateTimeField(_("op de lijst sinds"))
    due_on = models.DateField(_("archiefactiedatum"))
    decision = models.CharField(
        _("beslissing"), max_length=10, choices=RetentionDecision.choices, default=RetentionDecision.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=500, blank=True, validators=[validate_no_control_chars])

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("archiefbeoordeling")
        verbose_name_plural = _("archiefbeoordelingen")
        indexes = [models.Index(fields=["decision", "due_on", "id"], name="retention_decision_due")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.decision}"


class DestroyedCase(models.Model):
    """The minimal record kept of a destroyed case (number, type, dates, who reviewed and destroyed)."""

    number = models.CharField(_("zaaknummer"), max_length=20, unique=True)
    case_uuid = models.UUIDField()
    case_type_name = models.CharField(_("zaaktype"), max_length=150)
    case_type_code = models.CharField(max_length=40)
    registered_at = models.DateTimeField(_("geregistreerd op"))
    closed_at = models.DateTimeField(_("afgesloten op"))
    result = models.CharField(_("resultaat"), max_length=100)
    archive_action_date = models.DateField(_("archiefactiedatum"))
    reviewed_by = models.CharField(_("beoordeeld door"), max_length=200)
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    destroyed_by = models.CharField(_("vernietigd door"), max_length=200)
    destroyed_at = models.DateTimeField(_("vernietigd op"))

    class Meta:
        ordering = ["-destroyed_at", "-id"]
        indexes = [models.Index(fields=["-destroyed_at", "-id"], name="destroyedcase_time")]
        verbose_name = _("vernietigde zaak")
        verbose_name_plural = _("vernietigde zaken")

    def __str__(self) -> str:
        return self.number


def attribute_value_label(definition: AttributeDefinition, value: Any) -> str:
    if value is None or value == "":
        return ""
    if definition.kind == AttributeKind.ADDRESS and isinstance(value, dict):
        street = " ".join(str(value.get(key) or "") for key in ("street", "house_number", "box")).strip()
        town = " ".join(str(value.get(key) or "") for key in ("postcode", "municipality")).strip()
        return ", ".join(part for part in (street, town) if part)
    return str(value)
