"""Bad input: an answer to a question of another version, a resumed check whose assessment changed,
a training covering an unknown competence. A clear message; nothing scored wrongly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balie.digital_skills.actions import (
    add_item,
    create_training,
    publish_version,
    restart_attempt,
    start_attempt,
    start_draft,
    submit_attempt,
)
from balie.digital_skills.models import AttemptState, CompetenceResult, Training

from .conftest import SCRIPT, answer, answer_all

pytestmark = pytest.mark.django_db


def _new_version(version, hr):  # type: ignore[no-untyped-def]
    draft = start_draft(assessment=version.assessment, by=hr)
    add_item(
        version=draft, kind="statement", competence_code="2.1", level=2, prompt="Ik kan videobellen.", by=hr
    )
    return publish_version(version=draft, by=hr)


def test_an_answer_to_a_question_of_another_version_is_refused(employee, hr, version):
    # given a check under way on version 1, and a draft version 2 with its own items
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    draft = start_draft(assessment=version.assessment, by=hr)
    foreign = draft.items.get(position=1)

    # when an answer to version 2's item arrives for this check
    with pytest.raises(ValidationError, match="hoort niet bij jouw versie"):
        answer(attempt, foreign, 4, employee)

    # then nothing is saved
    assert attempt.answers.count() == 0


def test_the_step_page_refuses_an_item_of_another_version(client, employee, hr, version):
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    foreign = start_draft(assessment=version.assessment, by=hr).items.get(position=1)
    client.force_login(employee)

    response = client.post(
        reverse("backoffice:digicheck_step", args=[attempt.uuid, 1]),
        {"onderdeel": str(foreign.uuid), "schaal": "4", "verder": ""},
    )

    assert response.status_code == 422
    assert (
        "Deze vraag hoort niet bij jouw versie van de digicheck. Er werd niets bewaard."
        in response.content.decode()
    )
    assert attempt.answers.count() == 0


def test_a_choice_of_another_question_is_refused(employee, version):
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    question = version.items.get(position=3)
    other_choice = version.items.get(position=11).choices.get(correct=True)

    from balie.digital_skills.actions import answer_item

    with pytest.raises(ValidationError, match="hoort niet bij deze vraag"):
        answer_item(attempt=attempt, item=question, choice_ids=[other_choice.pk], by=employee)
    assert attempt.answers.count() == 0


def test_a_resumed_check_whose_assessment_changed_is_not_scored(client, employee, hr, version):
    # given a check with every step answered on version 1
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    answer_all(attempt, SCRIPT, employee)

    # when HR publishes version 2 before she hands in
    _new_version(version, hr)

    # then handing in is refused with a clear message and nothing is scored
    with pytest.raises(ValidationError, match="werd aangepast sinds je begon"):
        submit_attempt(attempt=attempt, by=employee)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert CompetenceResult.objects.count() == 0

    # and the step page says so and offers a new start
    client.force_login(employee)
    page = client.get(reverse("backoffice:digicheck_step", args=[attempt.uuid, 1])).content.decode()
    assert "Deze digicheck werd aangepast sinds je begon" in page
    assert "Opnieuw beginnen met de nieuwe versie" in page

    # when she starts again, the old answers stay unscored and the new check is on version 2
    new = restart_attempt(attempt=attempt, by=employee)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.ABANDONED
    assert new.version.number == 2
    assert new.answers.count() == 0


def test_a_published_version_is_frozen(hr, version):
    with pytest.raises(ValidationError, match="ligt vast"):
        add_item(version=version, kind="statement", competence_code="1.1", level=1, prompt="x", by=hr)
    assert version.items.count() == 17


def test_a_training_covering_an_unknown_competence_is_refused(hr):
    with pytest.raises(ValidationError) as refused:
        create_training(title="Cursus X", kind="course", coverage={"9.9": 3, "4.2": 3}, by=hr)

    assert refused.value.message_dict == {"coverage": ["Onbekende competentie: 9.9."]}
    assert Training.objects.count() == 0


def test_the_catalogue_page_names_the_unknown_competence(client, hr):
    client.force_login(hr)

    response = client.post(
        reverse("backoffice:digicheck_trainings"),
        {"title": "Cursus X", "kind": "course", "coverage": "4.2: 3\nX.7: 2"},
    )

    assert response.status_code == 200
    assert "Onbekende competentie: X.7." in response.content.decode()
    assert Training.objects.count() == 0
