"""A complaint: the reglement's facts about a complaint case (one-to-one with a `cases.Case`).

The case carries the status history, parties, documents and timeline; the complaint row carries
what the complaint reglement asks: channel, department concerned, theme, the admissibility decision,
the acknowledgement and answer deadlines, the one extension, the outcome and improvement action,
the coordinator and the ombudsman mention. `state` is the step in `workflow.py`, moved only there.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.cases.models import Case
from balie.contact_moments.models import Channel
from balie.core.models import PublicModel
from balie.core.validators import validate_no_control_chars
from balie.documents.models import Document, Letter


class ComplaintState(models.TextChoices):
    REGISTERED = "registered", _("geregistreerd")
    ADMISSIBLE = "admissible", _("ontvankelijk")
    NOT_A_COMPLAINT = "not_a_complaint", _("geen klacht, om te zetten")
    ACKNOWLEDGED = "acknowledged", _("ontvangst bevestigd")
    INVESTIGATING = "investigating", _("in onderzoek")
    ANSWERED = "answered", _("beantwoord")
    CLOSED = "closed", _("afgesloten")
    INADMISSIBLE = "inadmissible", _("onontvankelijk")
    CONVERTED = "converted", _("omgezet")


OPEN_STATES = (
    ComplaintState.REGISTERED,
    ComplaintState.ADMISSIBLE,
    ComplaintState.NOT_A_COMPLAINT,
    ComplaintState.ACKNOWLEDGED,
    ComplaintState.INVESTIGATING,
    ComplaintState.ANSWERED,
)


class InadmissibleReason(models.TextChoices):
    ANONYMOUS = "anonymous", _("anoniem")
    FACTS_TOO_OLD = "facts_too_old", _("feiten ouder dan één jaar")
    ALREADY_HANDLED = "already_handled", _("reeds behandeld als klacht")
    NOT_A_COMPLAINT = "not_a_complaint", _("geen klacht")


class Outcome(models.TextChoices):
    FOUNDED = "founded", _("gegrond")
    PARTLY_FOUNDED = "partly_founded", _("deels gegrond")
    UNFOUNDED = "unfounded", _("ongegrond")
    NO_JUDGEMENT = "no_judgement", _("geen oordeel")


class Theme(models.TextChoices):
    STAFF_BEHAVIOUR = "staff_behaviour", _("houding van medewerkers")
    SERVICE = "service", _("kwaliteit van de dienstverlening")
    DELAY = "delay", _("termijnen en wachttijden")
    PROCEDURE = "procedure", _("procedure of werkwijze")
    INFORMATION = "information", _("informatie en communicatie")
    ACCESSIBILITY = "accessibility", _("bereikbaarheid en openingsuren")
    OTHER = "other", _("andere")


class ConversionTarget(models.TextChoices):
    REPORT = "report", _("melding")
    CONTACT = "contact", _("contactmoment (vraag of informatie)")
    CASE = "case", _("zaak van een ander zaaktype")


class Complaint(PublicModel):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="complaint")
    state = models.CharField(
        _("stap"), max_length=16, choices=ComplaintState.choices, default=ComplaintState.REGISTERED
    )
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    received_on = models.DateField(_("ontvangen op"))
    facts_on = models.DateField(_("datum van de feiten"), null=True, blank=True)
    department_concerned = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("betrokken dienst"),
    )
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices, default=Theme.OTHER)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_complaints",
        verbose_name=_("klachtencoördinator"),
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investigated_complaints",
        verbose_name=_("onderzoeker"),
    )

    admissible = models.BooleanField(_("ontvankelijk"), null=True, blank=True)
    inadmissible_reason = models.CharField(
        _("reden van onontvankelijkheid"), max_length=20, choices=InadmissibleReason.choices, blank=True
    )
    admissibility_note = models.CharField(
        _("toelichting"), max_length=500, blank=True, validators=[validate_no_control_chars]
    )
    admissibility_decided_on = models.DateField(_("ontvankelijkheid beslist op"), null=True, blank=True)

    acknowledge_due = models.DateField(_("ontvangst te bevestigen tegen"))
    acknowledged_on = models.DateField(_("ontvangst bevestigd op"), null=True, blank=True)
    acknowledgement_letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    answer_due = models.DateField(_("te beantwoorden tegen"))
    extension_days = models.PositiveIntegerField(_("dagen verlengd"), default=0)
    extension_reason = models.CharField(
        _("reden van verlenging"), max_length=300, blank=True, validators=[validate_no_control_chars]
    )
    extended_on = models.DateField(_("verlengd op"), null=True, blank=True)

    outcome = models.CharField(_("oordeel"), max_length=16, choices=Outcome.choices, blank=True)
    answer_text = models.TextField(
        _("antwoord"), blank=True, validators=[MaxLengthValidator(10000), validate_no_control_chars]
    )
    improvement_action = models.TextField(
        _("verbeteractie"), blank=True, validators=[MaxLengthValidator(4000), validate_no_control_chars]
    )
    answered_on = models.DateField(_("beantwoord op"), null=True, blank=True)
    answer_letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ombudsman_mentioned = models.BooleanField(_("ombudsdienst vermeld"), default=False)

    converted_to = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("omgezet naar"),
    )
    converted_from = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("omgezet uit")
    )
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    # what came in with the complaint (a mail's attachments, a scanned letter, a portal upload)
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("stukken"))

    # deadline warnings: each sent once (tasks.py)
    acknowledge_warned_on = models.DateField(null=True, blank=True, editable=False)
    answer_warned_on = models.DateField(null=True, blank=True, editable=False)
    overdue_warned_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("klacht")
        verbose_name_plural = _("klachten")
        indexes = [
            models.Index(fields=["state", "answer_due", "id"], name="complaint_state_due"),
            models.Index(fields=["received_on", "id"], name="complaint_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(extension_days=0) | ~Q(extension_reason=""), name="complaint_extension_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="inadmissible") | ~Q(inadmissible_reason=""),
                name="complaint_inadmissible_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["answered", "closed"]) | ~Q(outcome=""),
                name="complaint_answer_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.case.number if self.case_id else "klacht"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
