"""The digicheck: the competence framework (DigComp 2.2 plus the municipality's own), job profiles
with target levels, versioned assessments, attempts and answers, the results per competence, the
training catalogue and training plans."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.core.models import PublicModel
from balie.core.validators import validate_plain_text

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(8)]


class Framework(models.TextChoices):
    DIGCOMP = "digcomp", _("DigComp 2.2")
    LOCAL = "local", _("Eigen competentie van de gemeente")


class CompetenceArea(models.Model):
    """One of DigComp's five areas, or the municipality's own area ("G")."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    framework = models.CharField(_("kader"), max_length=16, choices=Framework.choices)
    position = models.PositiveSmallIntegerField(_("volgorde"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("competentiegebied")
        verbose_name_plural = _("competentiegebieden")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competence(models.Model):
    area = models.ForeignKey(CompetenceArea, on_delete=models.PROTECT, related_name="competences")
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"))

    class Meta:
        ordering = ["area__position", "position"]
        verbose_name = _("competentie")
        verbose_name_plural = _("competenties")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProficiencyLevel(models.Model):
    """DigComp's eight proficiency levels in four bands."""

    number = models.PositiveSmallIntegerField(_("niveau"), unique=True, validators=LEVEL_VALIDATORS)
    name = models.CharField(_("naam"), max_length=100)
    band = models.CharField(_("band"), max_length=100)
    description = models.CharField(_("omschrijving"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("beheersingsniveau")
        verbose_name_plural = _("beheersingsniveaus")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class JobProfile(PublicModel):
    """A job (reception, library, phone, back-office …) with the level it needs per competence."""

    name = models.CharField(_("naam"), max_length=150, unique=True, validators=[validate_plain_text])
    description = models.TextField(_("omschrijving"), blank=True)
    customer_contact = models.BooleanField(_("in klantencontact"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("functieprofiel")
        verbose_name_plural = _("functieprofielen")

    def __str__(self) -> str:
        return self.name


class JobProfileTarget(models.Model):
    profile = models.ForeignKey(JobProfile, on_delete=models.CASCADE, related_name="targets")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("doelniveau"), validators=LEVEL_VALIDATORS)

    class Meta:
        ordering = ["competence__area__position", "competence__position"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "competence"], name="digital_skills_target_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=8), name="digital_skills_target_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.competence.code} → {self.level}"


class EmployeeProfile(models.Model):
    """An employee's job profile and HR coordinator: the only HR employee who sees their results."""

    employee = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digicheck_profile"
    )
    job_profile = models.ForeignKey(
        JobProfile, on_delete=models.PROTECT, related_name="employees", verbose_name=_("functieprofiel")
    )
    hr_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_digicheck_profiles",
        verbose_name=_("HR-coördinator"),
    )

    class Meta:
        verbose_name = _("profiel van een medewerker")
        verbose_name_plural = _("profielen van medewerkers")

    def __str__(self) -> str:
        return f"{self.employee} – {self.job_profile}"


class Assessment(PublicModel):
    name = models.CharField(_("naam"), max_length=150, unique=True, validators=[validate_plain_text])

    class Meta:
        ordering = ["name"]
        verbose_name = _("digicheck")
        verbose_name_plural = _("digichecks")

    def __str__(self) -> str:
        return self.name


class VersionState(models.TextChoices):
    DRAFT = "draft", _("ontwerp")
    PUBLISHED = "published", _("gepubliceerd")
    RETIRED = "retired", _("vervangen")


class AssessmentVersion(PublicModel):
    """A version of a digicheck: only a draft is edited; a published version is frozen."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    state = models.CharField(_("status"), max_length=16, choices=VersionState.choices, default="draft")
    introduction = models.TextField(_("inleiding"), blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="digital_skills_version_number"),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(state="published"),
                name="digital_skills_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["assessment"], condition=Q(state="draft"), name="digital_skills_one_draft_version"
            ),
        ]
        verbose_name = _("versie van een digicheck")
        verbose_name_plural = _("versies van een digicheck")

    def __str__(self) -> str:
        return f"{self.assessment} v{self.number}"


class ItemKind(models.TextChoices):
    STATEMENT = "statement", _("Stelling (zelfevaluatie)")
    SINGLE = "single", _("Kennisvraag, één antwoord")
    MULTIPLE = "multiple", _("Kennisvraag, meerdere antwoorden")
    EXERCISE = "exercise", _("Praktijkoefening")


class Scoring(models.TextChoices):
    AUTOMATIC = "automatic", _("automatisch")
    RUBRIC = "rubric", _("door een beoordelaar, met een rubric")


class Item(PublicModel):
    """One step of a version: a statement, a question or an exercise, measuring one competence at
    one level."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("volgorde"))
    kind = models.CharField(_("soort"), max_length=16, choices=ItemKind.choices)
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("niveau"), validators=LEVEL_VALIDATORS)
    prompt = models.TextField(_("vraag of stelling"))
    feedback = models.TextField(_("feedback"), blank=True)
    exercise = models.CharField(_("oefening"), max_length=32, blank=True)
    scoring = models.CharField(_("beoordeling"), max_length=16, choices=Scoring.choices, default="automatic")
    rubric = models.TextField(_("rubric"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="digital_skills_item_position"),
        ]
        verbose_name = _("onderdeel")
        verbose_name_plural = _("onderdelen")

    def __str__(self) -> str:
        return f"{self.version} #{self.position}"


class Choice(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("volgorde"))
    text = models.CharField(_("antwoord"), max_length=300)
    correct = models.BooleanField(_("juist"), default=False)

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("antwoordmogelijkheid")
        verbose_name_plural = _("antwoordmogelijkheden")

    def __str__(self) -> str:
        return self.text


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("bezig")
    AWAITING_REVIEW = "awaiting_review", _("wacht op beoordeling")
    COMPLETED = "completed", _("afgerond")
    ABANDONED = "abandoned", _("stopgezet")


class Attempt(PublicModel):
    """One employee taking one version of a digicheck: paused and resumed at will."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digicheck_attempts"
    )
    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="attempts")
    state = models.CharField(_("status"), max_length=16, choices=AttemptState.choices, default="in_progress")
    # Department and job profile at the time of completion: the HR figures group by them.
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    job_profile = models.ForeignKey(JobProfile, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(_("gestart op"))
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    # The employee's newest completed attempt: the heat map reads only these.
    latest = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=Q(state="in_progress"), name="digital_skills_one_open_attempt"
            ),
            models.UniqueConstraint(
                fields=["employee"], condition=Q(latest=True), name="digital_skills_one_latest_attempt"
            ),
        ]
        indexes = [models.Index(fields=["department"], condition=Q(latest=True), name="dsk_latest_dept")]
        verbose_name = _("afgenomen digicheck")
        verbose_name_plural = _("afgenomen digichecks")

    def __str__(self) -> str:
        return f"{self.employee} – {self.version}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    scale_value = models.PositiveSmallIntegerField(null=True, blank=True)
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    # What an exercise produced (the fields filled in, the mail picked, the file's hash …).
    outcome = models.JSONField(default=dict, blank=True)
    # None: waits for an evaluator (rubric), else whether the item was mastered.
    passed = models.BooleanField(null=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)
    evaluator_note = models.TextField(blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item"], name="digital_skills_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} / {self.item}"


class CompetenceResult(models.Model):
    """The level an attempt reached on one competence (written when the attempt completes)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="results")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("bereikt niveau"))
    items = models.PositiveSmallIntegerField()
    passed = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "competence"], name="digital_skills_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.competence.code} = {self.level}"


class TrainingKind(models.TextChoices):
    COURSE = "course", _("Opleiding")
    INTERNAL = "internal", _("Interne sessie")
    ELEARNING = "elearning", _("E-learning")


class Training(PublicModel):
    title = models.CharField(_("titel"), max_length=200, unique=True, validators=[validate_plain_text])
    kind = models.CharField(_("soort"), max_length=16, choices=TrainingKind.choices)
    description = models.TextField(_("omschrijving"), blank=True)
    hours = models.DecimalField(_("duur (uren)"), max_digits=5, decimal_places=1, null=True, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("opleiding")
        verbose_name_plural = _("opleidingen")

    def __str__(self) -> str:
        return self.title


class TrainingCoverage(models.Model):
    """A training brings a competence up to a level."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="coverage")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    up_to_level = models.PositiveSmallIntegerField(_("tot niveau"), validators=LEVEL_VALIDATORS)

    class Meta:
        ordering = ["competence__area__position", "competence__position"]
        constraints = [
            models.UniqueConstraint(fields=["training", "competence"], name="digital_skills_coverage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.training}: {self.competence.code} ≤ {self.up_to_level}"


class TrainingPlan(PublicModel):
    """The trainings planned for one employee, generated from the gaps of one attempt."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_plans"
    )
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="plans")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opleidingsplan")
        verbose_name_plural = _("opleidingsplannen")

    def __str__(self) -> str:
        return f"{self.employee} ({self.created_at:%d/%m/%Y})"


class PlanGap(models.Model):
    """A gap the plan answers: covered by a planned training, or named as uncovered."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="gaps")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    achieved = models.PositiveSmallIntegerField()
    target = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["competence__area__position", "competence__position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "competence"], name="digital_skills_gap_unique")
        ]

    def __str__(self) -> str:
        return f"{self.competence_id}: {self.achieved} → {self.target}"


class PlanItemState(models.TextChoices):
    PLANNED = "planned", _("gepland")
    COMPLETED = "completed", _("gevolgd")


class PlanItem(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="items")
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("gepland op"), null=True, blank=True)
    state = models.CharField(_("status"), max_length=16, choices=PlanItemState.choices, default="planned")
    completed_on = models.DateField(_("gevolgd op"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "planned_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "training"], name="digital_skills_plan_training_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.training_id}"
