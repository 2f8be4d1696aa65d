"""Every change in the digicheck: one transaction, keyword-only arguments, an audit record.

Refusals raise ValidationError with a Dutch message and change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.validators import validate_no_control_chars, validate_plain_text

from . import scoring
from .exercises import EXERCISES
from .models import (
    Answer,
    Assessment,
    AssessmentVersion,
    Attempt,
    AttemptState,
    Choice,
    Competence,
    CompetenceResult,
    EmployeeProfile,
    Item,
    ItemKind,
    JobProfile,
    JobProfileTarget,
    PlanGap,
    PlanItem,
    PlanItemState,
    Scoring,
    Training,
    TrainingCoverage,
    TrainingPlan,
    VersionState,
)
from .permissions import can_manage_digicheck, is_hr, is_hr_coordinator_of

# -- helpers ------------------------------------------------------------------------------------


def _require_manager(by: User | None) -> None:
    if by is not None and not can_manage_digicheck(by):
        raise ValidationError(_("Alleen HR beheert de digicheck."))


def _competences_by_code(levels: Mapping[str, int], *, field: str) -> dict[Competence, int]:
    """{code: level} -> {Competence: level}; an unknown code or a level outside 1–8 is refused."""
    known = {c.code: c for c in Competence.objects.filter(code__in=list(levels))}
    errors = []
    result: dict[Competence, int] = {}
    for code, level in levels.items():
        competence = known.get(code)
        if competence is None:
            errors.append(_("Onbekende competentie: %(code)s.") % {"code": code})
            continue
        if not isinstance(level, int) or not 1 <= level <= 8:
            errors.append(_("Het niveau van %(code)s moet tussen 1 en 8 liggen.") % {"code": code})
            continue
        result[competence] = level
    if errors:
        raise ValidationError({field: errors})
    return result


def parse_levels(text: str) -> dict[str, int]:
    """Lines "4.2: 3" (or "4.2 3") -> {"4.2": 3}; a line that does not read is refused."""
    levels: dict[str, int] = {}
    errors = []
    for raw in text.replace(",", "\n").splitlines():
        line = raw.strip()
        if not line:
            continue
        code, _sep, level = line.replace(":", " ").replace("=", " ").partition(" ")
        try:
            levels[code.strip().upper()] = int(level.strip())
        except ValueError:
            errors.append(_("Deze regel begrijpen we niet: %(line)s (schrijf bv. 4.2: 3).") % {"line": line})
    if errors:
        raise ValidationError(errors)
    return levels


# -- job profiles -------------------------------------------------------------------------------


@transaction.atomic
def create_job_profile(
    *,
    name: str,
    description: str = "",
    customer_contact: bool = True,
    targets: Mapping[str, int],
    by: User | None,
) -> JobProfile:
    _require_manager(by)
    resolved = _competences_by_code(targets, field="targets")
    profile = JobProfile(
        name=name.strip(), description=description.strip(), customer_contact=customer_contact
    )
    profile.full_clean()
    profile.save()
    JobProfileTarget.objects.bulk_create(
        JobProfileTarget(profile=profile, competence=competence, level=level)
        for competence, level in resolved.items()
    )
    record_creation(instance=profile, fields=["name", "customer_contact"], by=by)
    record_change(
        instance=profile,
        action=ChangeAction.UPDATE,
        changes={"targets": [None, {c.code: level for c, level in resolved.items()}]},
        by=by,
    )
    return profile


@transaction.atomic
def set_job_profile_targets(*, profile: JobProfile, targets: Mapping[str, int], by: User | None) -> None:
    _require_manager(by)
    resolved = _competences_by_code(targets, field="targets")
    profile = JobProfile.objects.select_for_update().get(pk=profile.pk)
    before = {t.competence.code: t.level for t in profile.targets.select_related("competence")}
    profile.targets.all().delete()
    JobProfileTarget.objects.bulk_create(
        JobProfileTarget(profile=profile, competence=competence, level=level)
        for competence, level in resolved.items()
    )
    after = {c.code: level for c, level in resolved.items()}
    if before != after:
        record_change(
            instance=profile, action=ChangeAction.UPDATE, changes={"targets": [before, after]}, by=by
        )


@transaction.atomic
def assign_employee_profile(
    *, employee: User, job_profile: JobProfile, hr_coordinator: User | None, by: User | None
) -> EmployeeProfile:
    _require_manager(by)
    if hr_coordinator is not None and not is_hr(hr_coordinator):
        raise ValidationError({"hr_coordinator": _("De HR-coördinator moet de rol HR hebben.")})
    if hr_coordinator is not None and hr_coordinator.pk == employee.pk:
        raise ValidationError(
            {"hr_coordinator": _("Een medewerker kan niet zijn eigen HR-coördinator zijn.")}
        )
    profile, created = EmployeeProfile.objects.select_for_update().get_or_create(
        employee=employee, defaults={"job_profile": job_profile, "hr_coordinator": hr_coordinator}
    )
    before = {"job_profile": str(profile.job_profile.uuid), "hr_coordinator": profile.hr_coordinator_id}
    profile.job_profile = job_profile
    profile.hr_coordinator = hr_coordinator
    profile.save()
    after = {
        "job_profile": str(job_profile.uuid),
        "hr_coordinator": hr_coordinator.pk if hr_coordinator else None,
    }
    if created or before != after:
        record_change(
            instance=employee,
            action=ChangeAction.UPDATE,
            changes={
                "digicheck_job_profile": [None if created else before["job_profile"], after["job_profile"]],
                "digicheck_hr_coordinator": [
                    None if created else before["hr_coordinator"],
                    str(hr_coordinator.uuid) if hr_coordinator else None,
                ],
            },
            by=by,
        )
    return profile


# -- assessments --------------------------------------------------------------------------------


@transaction.atomic
def create_assessment(*, name: str, introduction: str = "", by: User | None) -> AssessmentVersion:
    """A new digicheck with its first draft version."""
    _require_manager(by)
    assessment = Assessment(name=name.strip())
    assessment.full_clean()
    assessment.save()
    version = AssessmentVersion.objects.create(
        assessment=assessment, number=1, introduction=introduction.strip()
    )
    record_creation(instance=assessment, fields=["name"], by=by)
    record_creation(instance=version, fields=["assessment", "number", "state"], by=by)
    return version


def _locked_draft(version: AssessmentVersion) -> AssessmentVersion:
    locked = AssessmentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.state != VersionState.DRAFT:
        raise ValidationError(
            _("Versie %(number)s is gepubliceerd en ligt vast. Maak een nieuwe versie om iets te wijzigen.")
            % {"number": locked.number}
        )
    return locked


@transaction.atomic
def add_item(
    *,
    version: AssessmentVersion,
    kind: str,
    competence_code: str,
    level: int,
    prompt: str,
    feedback: str = "",
    choices: Sequence[tuple[str, bool]] = (),
    exercise: str = "",
    scoring_mode: str = Scoring.AUTOMATIC,
    rubric: str = "",
    by: User | None,
) -> Item:
    _require_manager(by)
    version = _locked_draft(version)
    errors: dict[str, list[str]] = {}
    competence = Competence.objects.filter(code=competence_code.strip().upper()).first()
    if competence is None:
        errors["competence"] = [_("Onbekende competentie: %(code)s.") % {"code": competence_code}]
    if kind not in ItemKind.values:
        errors["kind"] = [_("Kies een soort onderdeel.")]
    if not prompt.strip():
        errors["prompt"] = [_("Vul de vraag, stelling of opdracht in.")]
    if kind in (ItemKind.SINGLE, ItemKind.MULTIPLE):
        correct = sum(1 for _text, ok in choices if ok)
        if len(choices) < 2:
            errors["choices"] = [_("Een kennisvraag heeft minstens twee antwoordmogelijkheden.")]
        elif kind == ItemKind.SINGLE and correct != 1:
            errors["choices"] = [_("Een vraag met één antwoord heeft precies één juist antwoord.")]
        elif correct < 1:
            errors["choices"] = [_("Duid minstens één juist antwoord aan.")]
    elif choices:
        errors["choices"] = [_("Alleen een kennisvraag heeft antwoordmogelijkheden.")]
    if kind == ItemKind.EXERCISE:
        found = EXERCISES.get(exercise)
        if found is None:
            errors["exercise"] = [_("Kies een oefening.")]
        elif scoring_mode == Scoring.AUTOMATIC and not found.checkable:
            errors["scoring"] = [_("Deze oefening kan niet automatisch beoordeeld worden: kies een rubric.")]
        if scoring_mode == Scoring.RUBRIC and not rubric.strip():
            errors["rubric"] = [_("Schrijf de rubric waarmee de beoordelaar scoort.")]
        if scoring_mode not in Scoring.values:
            errors["scoring"] = [_("Kies hoe de oefening beoordeeld wordt.")]
    else:
        exercise, scoring_mode, rubric = "", Scoring.AUTOMATIC, ""
    if errors:
        raise ValidationError(errors)
    for text, _ok in choices:
        validate_no_control_chars(text)
    position = (version.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = Item(
        version=version,
        position=position,
        kind=kind,
        competence=competence,
        level=level,
        prompt=prompt.strip(),
        feedback=feedback.strip(),
        exercise=exercise,
        scoring=scoring_mode,
        rubric=rubric.strip(),
    )
    item.full_clean()
    item.save()
    Choice.objects.bulk_create(
        Choice(item=item, position=n, text=text.strip(), correct=ok)
        for n, (text, ok) in enumerate(choices, 1)
    )
    record_creation(
        instance=item, fields=["version", "position", "kind", "competence", "level", "prompt"], by=by
    )
    return item


@transaction.atomic
def remove_item(*, item: Item, by: User | None) -> None:
    _require_manager(by)
    _locked_draft(item.version)
    record_change(instance=item, action=ChangeAction.DELETE, changes={"prompt": [item.prompt, None]}, by=by)
    item.delete()


@transaction.atomic
def publish_version(*, version: AssessmentVersion, by: User | None) -> AssessmentVersion:
    """Freeze the draft and put it in force; the version in force until now is retired."""
    _require_manager(by)
    Assessment.objects.select_for_update().get(pk=version.assessment_id)
    version = _locked_draft(version)
    if not version.items.exists():
        raise ValidationError(_("Een versie zonder onderdelen kan niet gepubliceerd worden."))
    previous = AssessmentVersion.objects.filter(
        assessment_id=version.assessment_id, state=VersionState.PUBLISHED
    )
    for old in previous:
        old.state = VersionState.RETIRED
        old.save(update_fields=["state", "updated_at"])
        record_change(
            instance=old, action=ChangeAction.UPDATE, changes={"state": ["published", "retired"]}, by=by
        )
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["state", "published_at", "updated_at"])
    record_change(
        instance=version, action=ChangeAction.UPDATE, changes={"state": ["draft", "published"]}, by=by
    )
    return version


@transaction.atomic
def start_draft(*, assessment: Assessment, by: User | None) -> AssessmentVersion:
    """A new draft, a copy of the version in force (its items, choices and rubrics)."""
    _require_manager(by)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(_("Er is al een ontwerpversie: werk die verder af."))
    source = assessment.versions.filter(state=VersionState.PUBLISHED).first()
    number = (assessment.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = AssessmentVersion.objects.create(
        assessment=assessment, number=number, introduction=source.introduction if source else ""
    )
    if source is not None:
        for item in source.items.prefetch_related("choices"):
            copy = Item.objects.create(
                version=draft,
                position=item.position,
                kind=item.kind,
                competence_id=item.competence_id,
                level=item.level,
                prompt=item.prompt,
                feedback=item.feedback,
                exercise=item.exercise,
                scoring=item.scoring,
                rubric=item.rubric,
            )
            Choice.objects.bulk_create(
                Choice(item=copy, position=c.position, text=c.text, correct=c.correct)
                for c in item.choices.all()
            )
    record_creation(instance=draft, fields=["assessment", "number", "state"], by=by)
    return draft


# -- taking the check ---------------------------------------------------------------------------


def _changed_message() -> str:
    return _(
        "Deze digicheck werd aangepast sinds je begon. Je antwoorden op de vorige versie tellen niet "
        "mee; begin opnieuw met de nieuwe versie."
    )


@transaction.atomic
def start_attempt(*, employee: User, assessment: Assessment) -> Attempt:
    """Start the version in force, or resume the check this employee has under way."""
    if not EmployeeProfile.objects.filter(employee=employee).exists():
        raise ValidationError(_("Je hebt nog geen functieprofiel. Vraag HR om er een toe te kennen."))
    User.objects.select_for_update().get(pk=employee.pk)
    open_attempt = Attempt.objects.filter(employee=employee, state=AttemptState.IN_PROGRESS).first()
    if open_attempt is not None:
        return open_attempt
    version = assessment.versions.filter(state=VersionState.PUBLISHED).first()
    if version is None:
        raise ValidationError(_("Deze digicheck is nog niet gepubliceerd."))
    attempt = Attempt.objects.create(employee=employee, version=version, started_at=timezone.now())
    record_creation(instance=attempt, fields=["employee", "version", "state"], by=employee)
    return attempt


def _locked_open_attempt(attempt: Attempt, by: User) -> Attempt:
    locked = Attempt.objects.select_for_update().select_related("version").get(pk=attempt.pk)
    if locked.employee_id != by.pk:
        raise ValidationError(_("Alleen wie de digicheck aflegt, kan antwoorden."))
    if locked.state != AttemptState.IN_PROGRESS:
        raise ValidationError(_("Deze digicheck is al ingediend; je antwoorden liggen vast."))
    if locked.version.state != VersionState.PUBLISHED:
        raise ValidationError(_changed_message())
    return locked


@transaction.atomic
def answer_item(
    *,
    attempt: Attempt,
    item: Item,
    scale_value: int | None = None,
    choice_ids: Iterable[int] = (),
    exercise_data: Mapping[str, str] | None = None,
    file: UploadedFile | None = None,
    by: User,
) -> Answer:
    """Save one step's answer on the server (again: it replaces the earlier answer)."""
    attempt = _locked_open_attempt(attempt, by)
    if item.version_id != attempt.version_id:
        raise ValidationError(
            _("Deze vraag hoort niet bij jouw versie van de digicheck. Er werd niets bewaard.")
        )
    selected: list[Choice] = []
    outcome: dict[str, Any] = {}
    passed: bool | None
    if item.kind == ItemKind.STATEMENT:
        if scale_value not in scoring.SCALE:
            raise ValidationError({"scale_value": _("Kies een van de mogelijkheden op de schaal.")})
        passed = scoring.statement_passed(scale_value)
    elif item.kind in (ItemKind.SINGLE, ItemKind.MULTIPLE):
        ids = set(choice_ids)
        selected = list(item.choices.filter(pk__in=ids))
        if len(selected) != len(ids):
            raise ValidationError(_("Dit antwoord hoort niet bij deze vraag. Er werd niets bewaard."))
        if not selected:
            raise ValidationError({"choices": _("Kies een antwoord.")})
        if item.kind == ItemKind.SINGLE and len(selected) != 1:
            raise ValidationError({"choices": _("Kies één antwoord.")})
        correct = item.choices.filter(correct=True).values_list("pk", flat=True)
        passed = scoring.choices_passed(ids, correct)
        scale_value = None
    else:
        exercise = EXERCISES[item.exercise]
        outcome = exercise.read(exercise_data or {}, file)
        if item.exercise == "bestand-toevoegen" and not outcome.get("file"):
            raise ValidationError({"file": _("Voeg het bestand toe.")})
        if outcome.get("file", {}) and outcome["file"].get("too_large"):
            raise ValidationError(
                {"file": _("Dit bestand is te groot; het oefenbestand is maar enkele bytes.")}
            )
        passed = exercise.check(outcome, str(attempt.uuid)) if item.scoring == Scoring.AUTOMATIC else None
        scale_value = None
    answer, created = Answer.objects.update_or_create(
        attempt=attempt,
        item=item,
        defaults={
            "scale_value": scale_value,
            "outcome": outcome,
            "passed": passed,
            "answered_at": timezone.now(),
            "evaluated_by": None,
            "evaluated_at": None,
            "evaluator_note": "",
        },
    )
    answer.choices.set(selected)
    record_change(
        instance=attempt,
        action=ChangeAction.UPDATE,
        changes={"answer": [None if created else "vorig antwoord", item.position]},
        by=by,
    )
    return answer


@transaction.atomic
def restart_attempt(*, attempt: Attempt, by: User) -> Attempt:
    """Stop a check whose version was replaced (its answers are kept, never scored) and start the
    version in force."""
    locked = Attempt.objects.select_for_update().select_related("version").get(pk=attempt.pk)
    if locked.employee_id != by.pk or locked.state != AttemptState.IN_PROGRESS:
        raise ValidationError(_("Deze digicheck kan niet opnieuw gestart worden."))
    if locked.version.state == VersionState.PUBLISHED:
        raise ValidationError(_("Deze digicheck is niet gewijzigd: je kunt gewoon verdergaan."))
    locked.state = AttemptState.ABANDONED
    locked.save(update_fields=["state", "updated_at"])
    record_change(
        instance=locked, action=ChangeAction.UPDATE, changes={"state": ["in_progress", "abandoned"]}, by=by
    )
    return start_attempt(employee=by, assessment=locked.version.assessment)


@transaction.atomic
def submit_attempt(*, attempt: Attempt, by: User) -> Attempt:
    """Hand in: every step must be answered. Without rubric items waiting it is scored at once."""
    attempt = _locked_open_attempt(attempt, by)
    missing = attempt.version.items.exclude(answers__attempt=attempt).values_list("position", flat=True)
    if missing:
        raise ValidationError(
            _("Nog niet beantwoord: stap %(steps)s.") % {"steps": ", ".join(str(n) for n in missing)}
        )
    attempt.submitted_at = timezone.now()
    if attempt.answers.filter(passed__isnull=True).exists():
        attempt.state = AttemptState.AWAITING_REVIEW
        attempt.save(update_fields=["state", "submitted_at", "updated_at"])
        record_change(
            instance=attempt,
            action=ChangeAction.UPDATE,
            changes={"state": ["in_progress", "awaiting_review"]},
            by=by,
        )
        return attempt
    attempt.save(update_fields=["submitted_at", "updated_at"])
    _complete(attempt, by=by, previous_state="in_progress")
    return attempt


@transaction.atomic
def evaluate_answer(*, answer: Answer, passed: bool, note: str = "", by: User) -> Answer:
    """The evaluator scores an exercise with its rubric; the last one completes the check."""
    attempt = Attempt.objects.select_for_update().select_related("employee").get(pk=answer.attempt_id)
    profile = EmployeeProfile.objects.filter(employee_id=attempt.employee_id).first()
    if not is_hr_coordinator_of(by, profile):
        raise ValidationError(_("Alleen de HR-coördinator van deze medewerker beoordeelt deze oefening."))
    answer = Answer.objects.select_related("item").get(pk=answer.pk)
    if answer.item.scoring != Scoring.RUBRIC:
        raise ValidationError(_("Deze oefening wordt automatisch beoordeeld."))
    if attempt.state != AttemptState.AWAITING_REVIEW:
        raise ValidationError(_("Deze digicheck wacht niet op een beoordeling."))
    validate_no_control_chars(note)
    answer.passed = passed
    answer.evaluator_note = note.strip()
    answer.evaluated_by = by
    answer.evaluated_at = timezone.now()
    answer.save(update_fields=["passed", "evaluator_note", "evaluated_by", "evaluated_at"])
    record_change(
        instance=attempt,
        action=ChangeAction.UPDATE,
        changes={"evaluated": [None, {"item": answer.item.position, "passed": passed}]},
        by=by,
    )
    if not attempt.answers.filter(passed__isnull=True).exists():
        _complete(attempt, by=by, previous_state="awaiting_review")
    return answer


def _complete(attempt: Attempt, *, by: User, previous_state: str) -> None:
    answers = attempt.answers.select_related("item")
    levels = scoring.competence_levels(
        scoring.ScoredItem(competence_id=a.item.competence_id, level=a.item.level, passed=bool(a.passed))
        for a in answers
    )
    CompetenceResult.objects.bulk_create(
        CompetenceResult(
            attempt=attempt, competence_id=competence_id, level=lv.level, items=lv.items, passed=lv.passed
        )
        for competence_id, lv in levels.items()
    )
    employee = User.objects.get(pk=attempt.employee_id)
    profile = EmployeeProfile.objects.filter(employee=employee).first()
    Attempt.objects.filter(employee=employee, latest=True).update(latest=False)
    attempt.state = AttemptState.COMPLETED
    attempt.completed_at = timezone.now()
    attempt.latest = True
    attempt.department_id = employee.department_id
    attempt.job_profile_id = profile.job_profile_id if profile else None
    attempt.save(update_fields=["state", "completed_at", "latest", "department", "job_profile", "updated_at"])
    record_change(
        instance=attempt,
        action=ChangeAction.UPDATE,
        changes={
            "state": [previous_state, "completed"],
            "levels": [None, {str(k): v.level for k, v in levels.items()}],
        },
        by=by,
    )


# -- training catalogue and plans ---------------------------------------------------------------


@transaction.atomic
def create_training(
    *,
    title: str,
    kind: str,
    description: str = "",
    hours: Decimal | None = None,
    coverage: Mapping[str, int],
    by: User | None,
) -> Training:
    _require_manager(by)
    resolved = _competences_by_code(coverage, field="coverage")
    if not resolved:
        raise ValidationError({"coverage": _("Een opleiding dekt minstens één competentie.")})
    validate_plain_text(title)
    training = Training(title=title.strip(), kind=kind, description=description.strip(), hours=hours)
    training.full_clean()
    training.save()
    TrainingCoverage.objects.bulk_create(
        TrainingCoverage(training=training, competence=c, up_to_level=level) for c, level in resolved.items()
    )
    record_creation(instance=training, fields=["title", "kind", "hours"], by=by)
    record_change(
        instance=training,
        action=ChangeAction.UPDATE,
        changes={"coverage": [None, {c.code: level for c, level in resolved.items()}]},
        by=by,
    )
    return training


def _require_coordinator(employee_id: int, by: User) -> None:
    profile = EmployeeProfile.objects.filter(employee_id=employee_id).first()
    if not is_hr_coordinator_of(by, profile):
        raise ValidationError(
            _("Alleen de HR-coördinator van deze medewerker maakt en wijzigt het opleidingsplan.")
        )


@transaction.atomic
def generate_plan(*, attempt: Attempt, by: User) -> TrainingPlan:
    """A plan from the gaps of a completed check: trainings that close them, the rest named."""
    _require_coordinator(attempt.employee_id, by)
    if attempt.state != AttemptState.COMPLETED or attempt.job_profile_id is None:
        raise ValidationError(_("Een opleidingsplan volgt uit een afgeronde digicheck."))
    targets = dict(
        JobProfileTarget.objects.filter(profile_id=attempt.job_profile_id).values_list(
            "competence_id", "level"
        )
    )
    levels = dict(attempt.results.values_list("competence_id", "level"))
    gap_list = scoring.gaps(targets, levels)
    coverage: dict[int, dict[int, int]] = {}
    for training_id, competence_id, level in TrainingCoverage.objects.filter(
        training__active=True
    ).values_list("training_id", "competence_id", "up_to_level"):
        coverage.setdefault(training_id, {})[competence_id] = level
    chosen, _uncovered = scoring.cover(gap_list, coverage)
    plan = TrainingPlan.objects.create(employee_id=attempt.employee_id, attempt=attempt, created_by=by)
    PlanGap.objects.bulk_create(
        PlanGap(plan=plan, competence_id=g.competence_id, achieved=g.achieved, target=g.target)
        for g in gap_list
    )
    PlanItem.objects.bulk_create(PlanItem(plan=plan, training_id=training_id) for training_id in chosen)
    record_creation(instance=plan, fields=["employee", "attempt"], by=by)
    record_change(
        instance=plan,
        action=ChangeAction.UPDATE,
        changes={"trainings": [None, sorted(chosen)], "gaps": [None, len(gap_list)]},
        by=by,
    )
    return plan


@transaction.atomic
def add_plan_item(
    *, plan: TrainingPlan, training: Training, planned_on: dt.date | None, by: User
) -> PlanItem:
    _require_coordinator(plan.employee_id, by)
    if plan.items.filter(training=training).exists():
        raise ValidationError(_("Deze opleiding staat al in het plan."))
    item = PlanItem.objects.create(plan=plan, training=training, planned_on=planned_on)
    record_change(
        instance=plan, action=ChangeAction.UPDATE, changes={"added": [None, str(training.uuid)]}, by=by
    )
    return item


@transaction.atomic
def remove_plan_item(*, item: PlanItem, by: User) -> None:
    _require_coordinator(item.plan.employee_id, by)
    if item.state == PlanItemState.COMPLETED:
        raise ValidationError(_("Een gevolgde opleiding blijft in het plan."))
    record_change(
        instance=item.plan,
        action=ChangeAction.UPDATE,
        changes={"removed": [str(item.training.uuid), None]},
        by=by,
    )
    item.delete()


@transaction.atomic
def schedule_plan_item(*, item: PlanItem, planned_on: dt.date | None, by: User) -> PlanItem:
    _require_coordinator(item.plan.employee_id, by)
    before = item.planned_on
    item.planned_on = planned_on
    item.save(update_fields=["planned_on"])
    record_change(
        instance=item.plan,
        action=ChangeAction.UPDATE,
        changes={f"planned_on {item.training.title}": [str(before) if before else None, str(planned_on)]},
        by=by,
    )
    return item


@transaction.atomic
def complete_plan_item(*, item: PlanItem, completed_on: dt.date, by: User) -> PlanItem:
    _require_coordinator(item.plan.employee_id, by)
    if item.state == PlanItemState.COMPLETED:
        raise ValidationError(_("Deze opleiding is al als gevolgd aangeduid."))
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("Een opleiding kan niet in de toekomst gevolgd zijn.")})
    item.state = PlanItemState.COMPLETED
    item.completed_on = completed_on
    item.save(update_fields=["state", "completed_on"])
    record_change(
        instance=item.plan,
        action=ChangeAction.UPDATE,
        changes={f"completed {item.training.title}": [None, str(completed_on)]},
        by=by,
    )
    return item
