"""An employee takes the digicheck: answers saved per step, scored per competence, gaps named."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.digital_skills.actions import evaluate_answer, start_attempt, submit_attempt
from balie.digital_skills.models import Answer, AttemptState
from balie.digital_skills.queries import result_rows

from .conftest import EXPECTED_GAPS, EXPECTED_LEVELS, SCRIPT, answer, answer_all

pytestmark = pytest.mark.django_db


def test_the_scripted_answers_give_exactly_the_expected_levels_and_gaps(employee, hr, version):
    # given an employee at the counter who starts the digicheck
    attempt = start_attempt(employee=employee, assessment=version.assessment)

    # when she answers every step as scripted and hands in
    answer_all(attempt, SCRIPT, employee)
    submit_attempt(attempt=attempt, by=employee)

    # then the check waits for the evaluator of the rubric exercise
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.AWAITING_REVIEW
    assert attempt.results.count() == 0

    # when her HR coordinator scores it "not passed"
    waiting = Answer.objects.get(attempt=attempt, passed__isnull=True)
    evaluate_answer(answer=waiting, passed=False, note="Noemt maar één signaal.", by=hr)

    # then the levels per competence and the gaps are exactly the expected ones
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.COMPLETED
    assert attempt.latest is True
    levels = dict(attempt.results.values_list("competence__code", "level"))
    assert levels == EXPECTED_LEVELS
    gaps = {
        row.competence.code: (row.level, row.target)
        for area in result_rows(attempt)
        for row in area.competences
        if row.gap
    }
    assert gaps == EXPECTED_GAPS
    assert ChangeRecord.objects.filter(object_uuid=attempt.uuid).count() == 1 + 17 + 1 + 1 + 1


def test_pausing_and_resuming_keeps_the_answers(employee, version):
    # given an employee who answered two steps and left
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    items = list(version.items.all())
    answer(attempt, items[0], 4, employee)
    answer(attempt, items[1], {"antwoord": "tot 19 uur"}, employee)

    # when she starts again
    resumed = start_attempt(employee=employee, assessment=version.assessment)

    # then it is the same check, with her answers
    assert resumed.pk == attempt.pk
    assert list(resumed.answers.order_by("item__position").values_list("passed", flat=True)) == [True, True]


def test_handing_in_with_steps_missing_is_refused(employee, version):
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    answer(attempt, version.items.get(position=1), 4, employee)

    with pytest.raises(ValidationError, match="Nog niet beantwoord: stap 2, 3"):
        submit_attempt(attempt=attempt, by=employee)

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert attempt.submitted_at is None


def test_someone_else_cannot_answer_or_evaluate(employee, handler, other_hr, version):
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    item = version.items.get(position=1)

    with pytest.raises(ValidationError, match="Alleen wie de digicheck aflegt"):
        answer(attempt, item, 4, handler)
    assert attempt.answers.count() == 0

    answer_all(attempt, SCRIPT, employee)
    submit_attempt(attempt=attempt, by=employee)
    waiting = Answer.objects.get(attempt=attempt, passed__isnull=True)
    with pytest.raises(ValidationError, match="Alleen de HR-coördinator"):
        evaluate_answer(answer=waiting, passed=True, by=other_hr)
    waiting.refresh_from_db()
    assert waiting.passed is None


def test_an_employee_without_a_job_profile_cannot_start(handler, version):
    with pytest.raises(ValidationError, match="nog geen functieprofiel"):
        start_attempt(employee=handler, assessment=version.assessment)
