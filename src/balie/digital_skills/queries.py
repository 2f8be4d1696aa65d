"""Reads of the digicheck. Individual results pass `get_attempt_for` (the employee and their HR
coordinator; "not found" for everyone else). The figures are aggregates: a group of fewer than
BALIE_DIGICHECK_MIN_GROUP people is never shown (its cell is None)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from balie.accounts.models import Department, User
from balie.accounts.permissions import is_employee

from .models import (
    Assessment,
    AssessmentVersion,
    Attempt,
    AttemptState,
    Competence,
    CompetenceArea,
    CompetenceResult,
    EmployeeProfile,
    JobProfile,
    JobProfileTarget,
    PlanItemState,
    ProficiencyLevel,
    Training,
    TrainingCoverage,
    TrainingPlan,
    VersionState,
)
from .permissions import can_see_results_of, is_hr


def min_group() -> int:
    return int(getattr(settings, "BALIE_DIGICHECK_MIN_GROUP", 5))


# -- framework ----------------------------------------------------------------------------------


def areas_with_competences() -> list[CompetenceArea]:
    return list(CompetenceArea.objects.prefetch_related("competences"))


def competences() -> QuerySet[Competence]:
    return Competence.objects.select_related("area")


def levels() -> dict[int, ProficiencyLevel]:
    return {level.number: level for level in ProficiencyLevel.objects.all()}


def job_profiles() -> QuerySet[JobProfile]:
    return JobProfile.objects.prefetch_related(
        Prefetch("targets", queryset=JobProfileTarget.objects.select_related("competence"))
    )


def trainings() -> QuerySet[Training]:
    return Training.objects.prefetch_related(
        Prefetch("coverage", queryset=TrainingCoverage.objects.select_related("competence"))
    )


def profile_of(employee: User) -> EmployeeProfile | None:
    return (
        EmployeeProfile.objects.select_related("job_profile", "hr_coordinator")
        .filter(employee=employee)
        .first()
    )


def published_assessments() -> QuerySet[Assessment]:
    return Assessment.objects.filter(versions__state=VersionState.PUBLISHED).distinct()


def assessments() -> QuerySet[Assessment]:
    return Assessment.objects.prefetch_related("versions")


def get_version(version_uuid: uuid.UUID | str) -> AssessmentVersion:
    try:
        return AssessmentVersion.objects.select_related("assessment").get(uuid=version_uuid)
    except AssessmentVersion.DoesNotExist:
        raise Http404 from None


# -- individual results -------------------------------------------------------------------------


def get_attempt_for(user: Any, attempt_uuid: uuid.UUID | str) -> Attempt:
    """An attempt, for its employee or their HR coordinator; 404 for anyone else."""
    if not is_employee(user):
        raise Http404
    try:
        attempt = Attempt.objects.select_related("employee", "version__assessment", "job_profile").get(
            uuid=attempt_uuid
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    if not can_see_results_of(user, attempt.employee, profile_of(attempt.employee)):
        raise Http404
    return attempt


def attempts_of(user: Any, employee: User) -> QuerySet[Attempt]:
    if not can_see_results_of(user, employee, profile_of(employee)):
        return Attempt.objects.none()
    return Attempt.objects.filter(employee=employee).select_related("version__assessment")


def plans_of(user: Any, employee: User) -> QuerySet[TrainingPlan]:
    if not can_see_results_of(user, employee, profile_of(employee)):
        return TrainingPlan.objects.none()
    return TrainingPlan.objects.filter(employee=employee)


def get_plan_for(user: Any, plan_uuid: uuid.UUID | str) -> TrainingPlan:
    if not is_employee(user):
        raise Http404
    try:
        plan = TrainingPlan.objects.select_related("employee", "attempt").get(uuid=plan_uuid)
    except TrainingPlan.DoesNotExist:
        raise Http404 from None
    if not can_see_results_of(user, plan.employee, profile_of(plan.employee)):
        raise Http404
    return plan


def coordinated_employees(user: Any) -> QuerySet[EmployeeProfile]:
    """The employees whose results this HR coordinator may see."""
    if not is_hr(user):
        return EmployeeProfile.objects.none()
    return EmployeeProfile.objects.filter(hr_coordinator=user, employee__is_active=True).select_related(
        "employee__department", "job_profile"
    )


def awaiting_review_for(user: Any) -> QuerySet[Attempt]:
    if not is_hr(user):
        return Attempt.objects.none()
    return Attempt.objects.filter(
        state=AttemptState.AWAITING_REVIEW, employee__digicheck_profile__hr_coordinator=user
    ).select_related("employee", "version__assessment")


@dataclass
class CompetenceRow:
    competence: Competence
    level: int | None  # None: not measured by this check
    target: int | None
    previous: int | None = None

    @property
    def gap(self) -> int:
        if self.level is None or self.target is None:
            return 0
        return max(0, self.target - self.level)

    @property
    def progress(self) -> int:
        if self.level is None or self.previous is None:
            return 0
        return self.level - self.previous


@dataclass
class AreaRow:
    area: CompetenceArea
    competences: list[CompetenceRow] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        measured = [row.level for row in self.competences if row.level is not None]
        return round(sum(measured) / len(measured), 1) if measured else None

    @property
    def target_average(self) -> float | None:
        targets = [row.target for row in self.competences if row.target is not None and row.level is not None]
        return round(sum(targets) / len(targets), 1) if targets else None


def result_rows(attempt: Attempt) -> list[AreaRow]:
    """Per area, the competences measured or targeted, with the level reached, the target and the
    level of the employee's previous completed check (for progress)."""
    reached = dict(attempt.results.values_list("competence_id", "level"))
    targets: dict[int, int] = {}
    if attempt.job_profile_id:
        targets = dict(
            JobProfileTarget.objects.filter(profile_id=attempt.job_profile_id).values_list(
                "competence_id", "level"
            )
        )
    previous_attempt = (
        Attempt.objects.filter(
            employee_id=attempt.employee_id,
            state=AttemptState.COMPLETED,
            completed_at__lt=attempt.completed_at,
        )
        .order_by("-completed_at")
        .first()
        if attempt.completed_at
        else None
    )
    previous = (
        dict(previous_attempt.results.values_list("competence_id", "level")) if previous_attempt else {}
    )
    rows: list[AreaRow] = []
    for area in areas_with_competences():
        area_row = AreaRow(area=area)
        for competence in area.competences.all():
            if competence.pk in reached or competence.pk in targets:
                area_row.competences.append(
                    CompetenceRow(
                        competence=competence,
                        level=reached.get(competence.pk),
                        target=targets.get(competence.pk),
                        previous=previous.get(competence.pk),
                    )
                )
        if area_row.competences:
            rows.append(area_row)
    return rows


def plan_gap_rows(plan: TrainingPlan) -> list[dict[str, Any]]:
    """Each gap of the plan with the planned trainings that close it (none: uncovered)."""
    items = list(plan.items.select_related("training"))
    coverage: dict[int, dict[int, int]] = defaultdict(dict)
    for training_id, competence_id, level in TrainingCoverage.objects.filter(
        training_id__in=[i.training_id for i in items]
    ).values_list("training_id", "competence_id", "up_to_level"):
        coverage[training_id][competence_id] = level
    rows = []
    for gap in plan.gaps.select_related("competence"):
        closing = [i for i in items if coverage[i.training_id].get(gap.competence_id, 0) >= gap.target]
        rows.append({"gap": gap, "trainings": closing, "covered": bool(closing)})
    return rows


def plan_items(plan: TrainingPlan) -> list[Any]:
    return list(plan.items.select_related("training"))


def plan_completed(plan: TrainingPlan) -> bool:
    states = list(plan.items.values_list("state", flat=True))
    return bool(states) and all(state == PlanItemState.COMPLETED for state in states)


# -- aggregates ---------------------------------------------------------------------------------


@dataclass
class HeatMap:
    departments: list[Department]
    competences: list[Competence]
    # {(department id, competence id): average level, or None when under the threshold}
    cells: dict[tuple[int, int], float | None]
    # {department id: participants, or None when under the threshold}
    participants: dict[int, int | None]
    threshold: int


def heat_map(*, threshold: int | None = None) -> HeatMap:
    """Department × competence: the average level of the employees' newest completed checks.

    One grouped query over the results of the newest attempts (partial index on `latest`). A
    department with fewer than `threshold` participants is not shown, nor any cell over fewer.
    """
    k = min_group() if threshold is None else threshold
    rows = (
        CompetenceResult.objects.filter(attempt__latest=True, attempt__department__isnull=False)
        .values_list("attempt__department_id", "competence_id")
        .annotate(average=Avg("level"), n=Count("id"))
        .order_by()
    )
    cells: dict[tuple[int, int], float | None] = {}
    for department_id, competence_id, average, n in rows:
        cells[(department_id, competence_id)] = round(float(average), 1) if n >= k else None
    counts = dict(
        Attempt.objects.filter(latest=True, department__isnull=False)
        .values_list("department_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    participants = {d: (n if n >= k else None) for d, n in counts.items()}
    department_ids = {d for d, _c in cells}
    competence_ids = {c for _d, c in cells}
    return HeatMap(
        departments=list(Department.objects.filter(pk__in=department_ids).order_by("name")),
        competences=list(competences().filter(pk__in=competence_ids)),
        cells=cells,
        participants=participants,
        threshold=k,
    )


@dataclass
class Participation:
    department: Department | None
    in_contact: int
    took_check: int | None  # None: under the threshold


def participation(*, threshold: int | None = None) -> list[Participation]:
    """Per department: employees in customer contact (their job profile says so) and how many of
    them completed a check; a department with fewer than the threshold in contact shows no count."""
    k = min_group() if threshold is None else threshold
    profiles = EmployeeProfile.objects.filter(job_profile__customer_contact=True, employee__is_active=True)
    in_contact = dict(profiles.values_list("employee__department_id").annotate(n=Count("id")).order_by())
    took = dict(
        profiles.filter(employee__digicheck_attempts__state=AttemptState.COMPLETED)
        .values_list("employee__department_id")
        .annotate(n=Count("employee_id", distinct=True))
        .order_by()
    )
    departments = {d.pk: d for d in Department.objects.filter(pk__in=[k_ for k_ in in_contact if k_])}
    rows = [
        Participation(
            department=departments.get(department_id) if department_id else None,
            in_contact=n,
            took_check=took.get(department_id, 0) if n >= k else None,
        )
        for department_id, n in in_contact.items()
    ]
    rows.sort(key=lambda row: row.department.name if row.department else "")
    # The total is shown only when the departments it hides add up to nobody or to a group of k:
    # otherwise the total minus the shown departments would give a small group away.
    total_in = sum(in_contact.values())
    hidden_in = sum(n for n in in_contact.values() if n < k)
    total_shown = total_in >= k and (hidden_in == 0 or hidden_in >= k)
    rows.append(
        Participation(
            department=None, in_contact=total_in, took_check=sum(took.values()) if total_shown else None
        )
    )
    return rows


@dataclass
class ProgressRow:
    month: dt.date
    participants: int | None
    averages: dict[int, float | None]  # area id -> average level


def progress(*, threshold: int | None = None) -> tuple[list[CompetenceArea], list[ProgressRow]]:
    """Per month, the average level per area over the checks completed that month."""
    k = min_group() if threshold is None else threshold
    # People per month from the attempts (a few thousand rows); sums and counts per month and
    # competence from the results, added up per area here (no join to the competences).
    people = dict(
        Attempt.objects.filter(state=AttemptState.COMPLETED)
        .annotate(month=TruncMonth("completed_at"))
        .values_list("month")
        .annotate(n=Count("employee_id", distinct=True))
        .order_by()
    )
    area_of = dict(Competence.objects.values_list("pk", "area_id"))
    sums: dict[Any, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for month, competence_id, total, n in (
        CompetenceResult.objects.filter(attempt__state=AttemptState.COMPLETED)
        .annotate(month=TruncMonth("attempt__completed_at"))
        .values_list("month", "competence_id")
        .annotate(total=Sum("level"), n=Count("id"))
        .order_by()
    ):
        pair = sums[month][area_of[competence_id]]
        pair[0] += total
        pair[1] += n
    averages: dict[Any, dict[int, float | None]] = {
        month: {
            area_id: (round(total / n, 1) if people.get(month, 0) >= k else None)
            for area_id, (total, n) in per_area.items()
        }
        for month, per_area in sums.items()
    }
    rows = [
        ProgressRow(
            month=month.date() if isinstance(month, dt.datetime) else month,
            participants=n if n >= k else None,
            averages=averages.get(month, {}),
        )
        for month, n in sorted(people.items())
    ]
    return list(CompetenceArea.objects.all()), rows
