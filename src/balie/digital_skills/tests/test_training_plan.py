"""A plan from the gaps: every gap covered by a training or named as uncovered; HR adjusts it;
a re-test after the training shows the progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balie.digital_skills.actions import (
    add_plan_item,
    complete_plan_item,
    evaluate_answer,
    generate_plan,
    schedule_plan_item,
    start_attempt,
    submit_attempt,
)
from balie.digital_skills.models import Answer, Attempt, PlanItemState, Training
from balie.digital_skills.queries import plan_gap_rows, result_rows

from .conftest import ALL_RIGHT, EXPECTED_GAPS, SCRIPT, answer_all

pytestmark = pytest.mark.django_db


def _take(employee, hr, version, script, rubric_passed):  # type: ignore[no-untyped-def]
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    answer_all(attempt, script, employee)
    submit_attempt(attempt=attempt, by=employee)
    evaluate_answer(
        answer=Answer.objects.get(attempt=attempt, passed__isnull=True), passed=rubric_passed, by=hr
    )
    return Attempt.objects.get(pk=attempt.pk)


def test_every_gap_of_a_generated_plan_is_covered(employee, hr, version, catalogue):
    attempt = _take(employee, hr, version, SCRIPT, rubric_passed=False)

    plan = generate_plan(attempt=attempt, by=hr)

    rows = plan_gap_rows(plan)
    assert {
        row["gap"].competence.code: (row["gap"].achieved, row["gap"].target) for row in rows
    } == EXPECTED_GAPS
    assert all(row["covered"] for row in rows)
    # The greedy cover takes the fewest trainings: two close all four gaps.
    assert sorted(plan.items.values_list("training__title", flat=True)) == [
        "Eerste hulp bij digitale vragen",
        "Veilig online: phishing en privacy",
    ]


def test_a_gap_no_training_closes_is_named_uncovered(client, employee, hr, version, catalogue):
    Training.objects.filter(title="Veilig online: phishing en privacy").update(active=False)
    attempt = _take(employee, hr, version, SCRIPT, rubric_passed=False)

    plan = generate_plan(attempt=attempt, by=hr)

    uncovered = {row["gap"].competence.code for row in plan_gap_rows(plan) if not row["covered"]}
    assert uncovered == {"1.2", "4.2"}
    client.force_login(employee)
    page = client.get(reverse("backoffice:digicheck_plan", args=[plan.uuid])).content.decode()
    assert page.count("Niet gedekt: geen opleiding in de catalogus") == 2


def test_hr_adjusts_the_plan_and_a_retest_after_the_training_shows_progress(
    client, employee, hr, version, catalogue
):
    # given a plan from a first check
    first = _take(employee, hr, version, SCRIPT, rubric_passed=False)
    plan = generate_plan(attempt=first, by=hr)

    # when HR adds a training, plans the dates and marks them all completed
    extra = Training.objects.get(title="Bestanden en mappen")
    add_plan_item(plan=plan, training=extra, planned_on=dt.date(2026, 12, 3), by=hr)
    with pytest.raises(ValidationError, match="staat al in het plan"):
        add_plan_item(plan=plan, training=extra, planned_on=None, by=hr)
    for item in plan.items.all():
        schedule_plan_item(item=item, planned_on=dt.date(2026, 11, 2), by=hr)
        complete_plan_item(item=item, completed_on=dt.date(2026, 11, 20), by=hr)
    assert set(plan.items.values_list("state", flat=True)) == {PlanItemState.COMPLETED}

    # and she takes the check again, now answering everything right
    second = _take(employee, hr, version, ALL_RIGHT, rubric_passed=True)

    # then her newest result shows the change against the first
    rows = {row.competence.code: row for area in result_rows(second) for row in area.competences}
    assert {code: (row.previous, row.level) for code, row in rows.items() if row.progress} == {
        "1.2": (3, 4),
        "4.2": (0, 4),
        "2.3": (0, 4),
        "G.2": (0, 3),
    }
    assert not any(row.gap for row in rows.values())
    assert list(Attempt.objects.filter(employee=employee, latest=True)) == [second]
    client.force_login(employee)
    page = client.get(reverse("backoffice:digicheck_result", args=[second.uuid])).content.decode()
    assert "Vorige keer" in page and "+4 vooruitgang" in page
    assert "Je haalt overal het niveau dat je functie vraagt." in page


def test_only_the_coordinator_makes_or_changes_a_plan(employee, hr, other_hr, version, catalogue):
    attempt = _take(employee, hr, version, SCRIPT, rubric_passed=False)

    with pytest.raises(ValidationError, match="Alleen de HR-coördinator"):
        generate_plan(attempt=attempt, by=other_hr)
    with pytest.raises(ValidationError, match="Alleen de HR-coördinator"):
        generate_plan(attempt=attempt, by=employee)
    assert attempt.plans.count() == 0
