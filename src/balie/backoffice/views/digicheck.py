"""The digicheck: take it (step by step, pause and resume, plain forms), see the result against the
job profile, training plans; HR builds assessments, job profiles and the catalogue, evaluates
exercises and reads the aggregate figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from balie.accounts.queries import get_employee
from balie.audit.actions import log_personal_data_access
from balie.audit.models import AccessChannel
from balie.digital_skills import actions, queries
from balie.digital_skills.exercises import EXERCISES, practice_file
from balie.digital_skills.models import (
    Answer,
    Assessment,
    AttemptState,
    Item,
    ItemKind,
    JobProfile,
    PlanItem,
    VersionState,
)
from balie.digital_skills.permissions import (
    can_manage_digicheck,
    can_read_digicheck_figures,
    can_see_results_of,
    is_hr_coordinator_of,
)
from balie.digital_skills.radar import Series, radar_svg
from balie.digital_skills.scoring import SCALE

from ..access import EmployeeRequest, employee_required, permission_required
from ..forms.common import add_domain_errors
from ..forms.digicheck import (
    AssessmentForm,
    AssignProfileForm,
    CompleteForm,
    EvaluateForm,
    ItemForm,
    JobProfileForm,
    PlanItemForm,
    ScheduleForm,
    TargetsForm,
    TrainingForm,
)


def _scale_labels() -> list[tuple[int, str]]:
    labels = {
        1: _("Dat kan ik nog niet"),
        2: _("Dat kan ik met hulp"),
        3: _("Dat kan ik zelfstandig"),
        4: _("Dat kan ik en ik kan anderen helpen"),
    }
    return [(value, labels[value]) for value in SCALE]


# -- home ---------------------------------------------------------------------------------------


@employee_required
def home(request: EmployeeRequest) -> HttpResponse:
    user = request.user
    profile = queries.profile_of(user)
    attempts = list(queries.attempts_of(user, user).exclude(state=AttemptState.ABANDONED))
    open_attempt = next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None)
    return render(
        request,
        "backoffice/digicheck/home.html",
        {
            "profile": profile,
            "assessments": queries.published_assessments(),
            "attempts": attempts,
            "open_attempt": open_attempt,
            "plans": queries.plans_of(user, user),
            "coordinated": queries.coordinated_employees(user),
            "awaiting": queries.awaiting_review_for(user),
            "can_manage": can_manage_digicheck(user),
            "can_read_figures": can_read_digicheck_figures(user),
        },
    )


# -- taking the check ---------------------------------------------------------------------------


@require_POST
@employee_required
def start(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    try:
        assessment = queries.published_assessments().get(uuid=uuid)
    except Assessment.DoesNotExist:
        raise Http404 from None
    try:
        attempt = actions.start_attempt(employee=request.user, assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("backoffice:digicheck")
    return redirect("backoffice:digicheck_step", attempt.uuid, _next_step(attempt))


def _next_step(attempt: Any) -> int:
    answered = set(attempt.answers.values_list("item__position", flat=True))
    positions = list(attempt.version.items.values_list("position", flat=True))
    return next((p for p in positions if p not in answered), positions[-1] if positions else 1)


def _own_open_attempt(request: EmployeeRequest, uuid: Any) -> Any:
    attempt = queries.get_attempt_for(request.user, uuid)
    if attempt.employee_id != request.user.pk:
        raise Http404
    return attempt


def _step_answer(request: EmployeeRequest, attempt: Any, item: Item) -> None:
    data = request.POST
    if item.kind == ItemKind.STATEMENT:
        try:
            value: int | None = int(data.get("schaal", ""))
        except ValueError:
            value = None
        actions.answer_item(attempt=attempt, item=item, scale_value=value, by=request.user)
    elif item.kind in (ItemKind.SINGLE, ItemKind.MULTIPLE):
        try:
            ids = [int(v) for v in data.getlist("keuze")]
        except ValueError:
            raise ValidationError(
                _("Dit antwoord hoort niet bij deze vraag. Er werd niets bewaard.")
            ) from None
        actions.answer_item(attempt=attempt, item=item, choice_ids=ids, by=request.user)
    else:
        actions.answer_item(
            attempt=attempt,
            item=item,
            exercise_data={
                k: str(data.get(k, ""))
                for k in data
                if k not in ("csrfmiddlewaretoken", "onderdeel", "pauze", "verder")
            },
            file=request.FILES.get("bestand"),
            by=request.user,
        )


@require_http_methods(["GET", "POST"])
@employee_required
def step(request: EmployeeRequest, uuid: Any, position: int) -> HttpResponseBase:
    attempt = _own_open_attempt(request, uuid)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("backoffice:digicheck_result", attempt.uuid)
    items = list(attempt.version.items.select_related("competence").prefetch_related("choices"))
    item = next((i for i in items if i.position == position), None)
    if item is None:
        raise Http404
    changed = attempt.version.state != VersionState.PUBLISHED
    errors: list[str] = []
    given = {k for k, v in request.POST.items() if v} - {
        "csrfmiddlewaretoken",
        "onderdeel",
        "pauze",
        "verder",
    }
    if request.method == "POST" and "pauze" in request.POST and not given and not request.FILES:
        messages.success(request, _("Je antwoorden tot nu toe zijn bewaard. Je kunt later verdergaan."))
        return redirect("backoffice:digicheck")
    if request.method == "POST" and not changed:
        # The step names its item: an answer to an item of another version is refused.
        try:
            posted = Item.objects.get(uuid=request.POST.get("onderdeel", ""))
        except (Item.DoesNotExist, ValidationError):
            posted = None
        try:
            if posted is None:
                raise ValidationError(_("Deze vraag bestaat niet (meer). Er werd niets bewaard."))
            _step_answer(request, attempt, posted)
        except ValidationError as error:
            errors = error.messages
        else:
            if "pauze" in request.POST:
                messages.success(request, _("Je antwoorden zijn bewaard. Je kunt later verdergaan."))
                return redirect("backoffice:digicheck")
            later = [i.position for i in items if i.position > position]
            if later:
                return redirect("backoffice:digicheck_step", attempt.uuid, later[0])
            return redirect("backoffice:digicheck_submit", attempt.uuid)
    answer = attempt.answers.filter(item=item).prefetch_related("choices").first()
    answered = set(attempt.answers.values_list("item__position", flat=True))
    return render(
        request,
        "backoffice/digicheck/step.html",
        {
            "attempt": attempt,
            "item": item,
            "items": items,
            "answered": answered,
            "answer": answer,
            "chosen": {c.pk for c in answer.choices.all()} if answer else set(),
            "outcome": answer.outcome if answer else {},
            "scale": _scale_labels(),
            "exercise": EXERCISES.get(item.exercise),
            "errors": errors,
            "changed": changed,
            "previous": max((i.position for i in items if i.position < position), default=None),
        },
        status=422 if errors else 200,
    )


@employee_required
def practice_download(request: EmployeeRequest, uuid: Any) -> HttpResponse:
    attempt = _own_open_attempt(request, uuid)
    response = HttpResponse(practice_file(str(attempt.uuid)), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="attest-gezinssamenstelling.txt"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@employee_required
def submit(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    attempt = _own_open_attempt(request, uuid)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("backoffice:digicheck_result", attempt.uuid)
    if request.method == "POST":
        try:
            attempt = actions.submit_attempt(attempt=attempt, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if attempt.state == AttemptState.AWAITING_REVIEW:
                messages.success(
                    request,
                    _(
                        "Ingediend. Een oefening wordt nog door je HR-coördinator beoordeeld; "
                        "daarna zie je je resultaat."
                    ),
                )
            else:
                messages.success(request, _("Ingediend. Hier is je resultaat."))
            return redirect("backoffice:digicheck_result", attempt.uuid)
    items = list(attempt.version.items.all())
    answered = set(attempt.answers.values_list("item__position", flat=True))
    return render(
        request,
        "backoffice/digicheck/submit.html",
        {
            "attempt": attempt,
            "items": items,
            "answered": answered,
            "missing": [i.position for i in items if i.position not in answered],
            "changed": attempt.version.state != VersionState.PUBLISHED,
        },
    )


@require_POST
@employee_required
def restart(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    attempt = _own_open_attempt(request, uuid)
    try:
        new = actions.restart_attempt(attempt=attempt, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("backoffice:digicheck")
    messages.success(request, _("Je begint opnieuw met de nieuwe versie van de digicheck."))
    return redirect("backoffice:digicheck_step", new.uuid, _next_step(new))


# -- results ------------------------------------------------------------------------------------


def _log_access(request: EmployeeRequest, employee: Any) -> None:
    """An employee's results are personal data: a look by someone else (the coordinator) is logged."""
    if employee.pk != request.user.pk:
        log_personal_data_access(
            by=request.user,
            subject_uuid=employee.uuid,
            subject_type="employee",
            channel=AccessChannel.PAGE,
            location=request.path,
            purpose="digicheck",
        )


def _gap_sentence(row: Any, level_names: dict[int, Any]) -> str:
    target = level_names.get(row.target)
    if row.level == 0:
        return _(
            "%(competence)s is nog nieuw voor je. "
            "Voor je functie is niveau %(target)s (%(target_name)s) het doel."
        ) % {
            "competence": row.competence.name,
            "target": row.target,
            "target_name": target.name if target else "",
        }
    reached = level_names.get(row.level)
    return _(
        "Bij %(competence)s zit je nu op niveau %(level)s (%(level_name)s). Voor je functie is niveau "
        "%(target)s (%(target_name)s) het doel: nog %(steps)s stap(pen)."
    ) % {
        "competence": row.competence.name,
        "level": row.level,
        "level_name": reached.name if reached else "",
        "target": row.target,
        "target_name": target.name if target else "",
        "steps": row.gap,
    }


@employee_required
def result(request: EmployeeRequest, uuid: Any) -> HttpResponse:
    attempt = queries.get_attempt_for(request.user, uuid)
    employee = attempt.employee
    profile = queries.profile_of(employee)
    _log_access(request, employee)
    areas = queries.result_rows(attempt) if attempt.state == AttemptState.COMPLETED else []
    rows = [row for area in areas for row in area.competences if row.level is not None]
    level_names = queries.levels()
    radar = radar_svg(
        title=_("Digitale competenties van %(name)s") % {"name": employee.get_full_name()},
        description=_("Bereikt niveau en doelniveau per competentie; dezelfde cijfers staan in de tabel."),
        labels=[row.competence.code for row in rows],
        series=[
            Series(_("Bereikt"), [row.level for row in rows], "radar__series--reached"),
            Series(_("Doel"), [row.target for row in rows], "radar__series--target"),
        ],
    )
    missed = (
        Answer.objects.filter(attempt=attempt, passed=False)
        .exclude(item__feedback="")
        .select_related("item__competence")
        .order_by("item__position")
        if attempt.state == AttemptState.COMPLETED
        else []
    )
    return render(
        request,
        "backoffice/digicheck/result.html",
        {
            "attempt": attempt,
            "employee": employee,
            "own": employee.pk == request.user.pk,
            "coordinator": is_hr_coordinator_of(request.user, profile),
            "areas": areas,
            "radar": radar,
            "has_previous": any(row.previous is not None for row in rows),
            "gaps": [_gap_sentence(row, level_names) for row in rows if row.gap],
            "strengths": [row for row in rows if row.target is not None and row.gap == 0],
            "missed": missed,
            "plans": attempt.plans.all(),
            "waiting": attempt.answers.filter(passed__isnull=True).select_related("item")
            if attempt.state == AttemptState.AWAITING_REVIEW
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
@employee_required
def evaluate(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    attempt = queries.get_attempt_for(request.user, uuid)
    if not is_hr_coordinator_of(request.user, queries.profile_of(attempt.employee)):
        raise Http404
    waiting = list(
        attempt.answers.filter(item__scoring="rubric")
        .select_related("item__competence")
        .order_by("item__position")
    )
    form = EvaluateForm(request.POST or None, prefix="beoordeling")
    if request.method == "POST" and form.is_valid():
        try:
            answer = next(a for a in waiting if str(a.pk) == request.POST.get("antwoord"))
        except StopIteration:
            raise Http404 from None
        try:
            actions.evaluate_answer(
                answer=answer,
                passed=form.cleaned_data["passed"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het oordeel is bewaard."))
            return redirect("backoffice:digicheck_evaluate", attempt.uuid)
    return render(
        request,
        "backoffice/digicheck/evaluate.html",
        {"attempt": attempt, "answers": waiting, "form": form, "exercises": EXERCISES},
    )


@employee_required
def employee_page(request: EmployeeRequest, uuid: Any) -> HttpResponse:
    employee = get_employee(uuid)
    profile = queries.profile_of(employee)
    if not can_see_results_of(request.user, employee, profile):
        raise Http404
    _log_access(request, employee)
    return render(
        request,
        "backoffice/digicheck/employee.html",
        {
            "employee": employee,
            "profile": profile,
            "attempts": queries.attempts_of(request.user, employee).exclude(state=AttemptState.ABANDONED),
            "plans": queries.plans_of(request.user, employee),
        },
    )


# -- training plans -----------------------------------------------------------------------------


@require_POST
@employee_required
def plan_generate(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    attempt = queries.get_attempt_for(request.user, uuid)
    try:
        plan = actions.generate_plan(attempt=attempt, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("backoffice:digicheck_result", attempt.uuid)
    messages.success(request, _("Het opleidingsplan is opgesteld. Pas het aan waar nodig."))
    return redirect("backoffice:digicheck_plan", plan.uuid)


@require_http_methods(["GET", "POST"])
@employee_required
def plan(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    training_plan = queries.get_plan_for(request.user, uuid)
    if request.method == "GET":
        _log_access(request, training_plan.employee)
    coordinator = is_hr_coordinator_of(request.user, queries.profile_of(training_plan.employee))
    add_form = PlanItemForm(prefix="toevoegen")
    if request.method == "POST":
        if not coordinator:
            raise PermissionDenied
        action = request.POST.get("actie")
        try:
            if action == "toevoegen":
                add_form = PlanItemForm(request.POST, prefix="toevoegen")
                if not add_form.is_valid():
                    raise ValidationError(_("Kies een opleiding."))
                actions.add_plan_item(
                    plan=training_plan,
                    training=add_form.cleaned_data["training"],
                    planned_on=add_form.cleaned_data["planned_on"],
                    by=request.user,
                )
            else:
                item = (
                    training_plan.items.select_related("training")
                    .filter(pk=request.POST.get("item") or 0)
                    .first()
                )
                if item is None:
                    raise Http404
                if action == "plannen":
                    schedule = ScheduleForm(request.POST, prefix=f"p{item.pk}")
                    if not schedule.is_valid():
                        raise ValidationError(_("Vul een geldige datum in."))
                    actions.schedule_plan_item(
                        item=item, planned_on=schedule.cleaned_data["planned_on"], by=request.user
                    )
                elif action == "gevolgd":
                    done = CompleteForm(request.POST, prefix=f"g{item.pk}")
                    if not done.is_valid():
                        raise ValidationError(_("Vul de datum in waarop de opleiding gevolgd werd."))
                    actions.complete_plan_item(
                        item=item, completed_on=done.cleaned_data["completed_on"], by=request.user
                    )
                elif action == "schrappen":
                    actions.remove_plan_item(item=item, by=request.user)
                else:
                    raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Het opleidingsplan is bijgewerkt."))
            return redirect("backoffice:digicheck_plan", training_plan.uuid)
    items: list[PlanItem] = queries.plan_items(training_plan)
    return render(
        request,
        "backoffice/digicheck/plan.html",
        {
            "plan": training_plan,
            "gaps": queries.plan_gap_rows(training_plan),
            "items": [
                (
                    item,
                    ScheduleForm(prefix=f"p{item.pk}", initial={"planned_on": item.planned_on}),
                    CompleteForm(prefix=f"g{item.pk}", initial={"completed_on": timezone.localdate()}),
                )
                for item in items
            ],
            "coordinator": coordinator,
            "add_form": add_form,
            "completed": queries.plan_completed(training_plan),
        },
    )


# -- HR figures ---------------------------------------------------------------------------------


@permission_required(can_read_digicheck_figures)
def figures(request: EmployeeRequest) -> HttpResponse:
    grid = queries.heat_map()
    heat_rows = [
        (
            department,
            grid.participants.get(department.pk),
            [grid.cells.get((department.pk, c.pk)) for c in grid.competences],
        )
        for department in grid.departments
    ]
    areas, months = queries.progress()
    return render(
        request,
        "backoffice/digicheck/figures.html",
        {
            "participation": queries.participation(),
            "grid": grid,
            "heat_rows": heat_rows,
            "areas": areas,
            "months": [(m, [m.averages.get(a.pk) for a in areas]) for m in months],
        },
    )


@permission_required(can_read_digicheck_figures)
def figures_xlsx(request: EmployeeRequest) -> HttpResponse:
    from balie.digital_skills.export import figures_workbook

    response = HttpResponse(
        figures_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="digicheck-{timezone.localdate():%Y-%m-%d}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# -- HR: building blocks ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(can_manage_digicheck)
def manage(request: EmployeeRequest) -> HttpResponseBase:
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.create_assessment(
                name=form.cleaned_data["name"],
                introduction=form.cleaned_data["introduction"],
                by=request.user,
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            return redirect("backoffice:digicheck_version", version.uuid)
    return render(
        request,
        "backoffice/digicheck/manage.html",
        {
            "assessments": queries.assessments(),
            "form": form,
            "assign_form": AssignProfileForm(prefix="profiel"),
        },
    )


@require_POST
@permission_required(can_manage_digicheck)
def assign_profile(request: EmployeeRequest) -> HttpResponseBase:
    form = AssignProfileForm(request.POST, prefix="profiel")
    if form.is_valid():
        try:
            actions.assign_employee_profile(
                employee=form.cleaned_data["employee"],
                job_profile=form.cleaned_data["job_profile"],
                hr_coordinator=form.cleaned_data["hr_coordinator"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Het profiel is toegekend."))
    else:
        messages.error(request, _("Kies een medewerker en een functieprofiel."))
    return redirect("backoffice:digicheck_manage")


@require_http_methods(["GET", "POST"])
@permission_required(can_manage_digicheck)
def version_page(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    version = queries.get_version(uuid)
    form = ItemForm(request.POST or None, prefix="onderdeel")
    if request.method == "POST":
        action = request.POST.get("actie")
        try:
            if action == "publiceren":
                actions.publish_version(version=version, by=request.user)
                messages.success(request, _("Versie %(n)s is gepubliceerd.") % {"n": version.number})
                return redirect("backoffice:digicheck_version", version.uuid)
            if action == "nieuwe-versie":
                draft = actions.start_draft(assessment=version.assessment, by=request.user)
                return redirect("backoffice:digicheck_version", draft.uuid)
            if action == "schrappen":
                item = version.items.filter(uuid=request.POST.get("item", "")).first()
                if item is None:
                    raise Http404
                actions.remove_item(item=item, by=request.user)
                return redirect("backoffice:digicheck_version", version.uuid)
            if form.is_valid():
                data = form.cleaned_data
                actions.add_item(
                    version=version,
                    kind=data["kind"],
                    competence_code=data["competence"],
                    level=data["level"],
                    prompt=data["prompt"],
                    feedback=data["feedback"],
                    choices=form.parsed_choices(),
                    exercise=data["exercise"],
                    scoring_mode=data["scoring"],
                    rubric=data["rubric"],
                    by=request.user,
                )
                messages.success(request, _("Het onderdeel is toegevoegd."))
                return redirect("backoffice:digicheck_version", version.uuid)
        except ValidationError as error:
            if action in ("publiceren", "nieuwe-versie", "schrappen"):
                messages.error(request, " ".join(error.messages))
            else:
                add_domain_errors(form, error)
    return render(
        request,
        "backoffice/digicheck/version.html",
        {
            "version": version,
            "items": version.items.select_related("competence").prefetch_related("choices"),
            "form": form,
            "other_versions": version.assessment.versions.exclude(pk=version.pk),
            "has_draft": version.assessment.versions.filter(state=VersionState.DRAFT).exists(),
            "exercises": EXERCISES,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(can_manage_digicheck)
def job_profiles(request: EmployeeRequest) -> HttpResponseBase:
    form = JobProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.create_job_profile(
                name=data["name"],
                description=data["description"],
                customer_contact=data["customer_contact"],
                targets=data["targets"],
                by=request.user,
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het functieprofiel is aangemaakt."))
            return redirect("backoffice:digicheck_job_profiles")
    return render(
        request,
        "backoffice/digicheck/job_profiles.html",
        {
            "profiles": queries.job_profiles(),
            "form": form,
            "areas": queries.areas_with_competences(),
            "levels": queries.levels().values(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(can_manage_digicheck)
def job_profile(request: EmployeeRequest, uuid: Any) -> HttpResponseBase:
    try:
        profile = queries.job_profiles().get(uuid=uuid)
    except JobProfile.DoesNotExist:
        raise Http404 from None
    initial = "\n".join(f"{t.competence.code}: {t.level}" for t in profile.targets.all())
    form = TargetsForm(request.POST or None, initial={"targets": initial})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_job_profile_targets(
                profile=profile, targets=form.cleaned_data["targets"], by=request.user
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De doelniveaus zijn bewaard."))
            return redirect("backoffice:digicheck_job_profile", profile.uuid)
    return render(request, "backoffice/digicheck/job_profile.html", {"profile": profile, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required(can_manage_digicheck)
def training_catalogue(request: EmployeeRequest) -> HttpResponseBase:
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.create_training(
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                hours=data["hours"],
                coverage=data["coverage"],
                by=request.user,
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De opleiding is toegevoegd aan de catalogus."))
            return redirect("backoffice:digicheck_trainings")
    return render(
        request, "backoffice/digicheck/trainings.html", {"trainings": queries.trainings(), "form": form}
    )
