"""The check's pages are plain forms: every step is saved on the server, also without JavaScript."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balie.digital_skills.actions import evaluate_answer, start_attempt
from balie.digital_skills.exercises import practice_file
from balie.digital_skills.models import Answer, Attempt, AttemptState

from .conftest import EXPECTED_LEVELS, SCRIPT

pytestmark = pytest.mark.django_db


def _post_step(client, attempt, item, value):  # type: ignore[no-untyped-def]
    url = reverse("backoffice:digicheck_step", args=[attempt.uuid, item.position])
    data: dict = {"onderdeel": str(item.uuid), "verder": ""}
    if item.kind == "statement":
        data["schaal"] = str(value)
    elif item.kind in ("single", "multiple"):
        data["keuze"] = [str(pk) for pk in item.choices.filter(text__in=value).values_list("pk", flat=True)]
    elif value == "file":
        data["bestand"] = SimpleUploadedFile("attest.txt", practice_file(str(attempt.uuid)))
    else:
        data.update(value)
    return client.post(url, data)


def test_an_employee_takes_the_check_page_by_page_and_sees_her_result(client, employee, hr, version):
    # given the employee on the digicheck page
    client.force_login(employee)
    page = client.get(reverse("backoffice:digicheck"))
    assert "Digicheck balie starten" in page.content.decode()

    # when she starts and answers every step with the script
    response = client.post(reverse("backoffice:digicheck_start", args=[version.assessment.uuid]))
    attempt = Attempt.objects.get(employee=employee)
    assert response["Location"] == reverse("backoffice:digicheck_step", args=[attempt.uuid, 1])
    for item in version.items.all():
        response = _post_step(client, attempt, item, SCRIPT[item.position])
        assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("backoffice:digicheck_submit", args=[attempt.uuid])
    response = client.post(reverse("backoffice:digicheck_submit", args=[attempt.uuid]))

    # then she reads that an exercise waits for her coordinator
    result = client.get(response["Location"]).content.decode()
    assert "wordt nog beoordeeld door je HR-coördinator" in result

    # when the coordinator judges it and she opens her result
    evaluate_answer(answer=Answer.objects.get(attempt=attempt, passed__isnull=True), passed=False, by=hr)
    html = client.get(reverse("backoffice:digicheck_result", args=[attempt.uuid])).content.decode()

    # then the chart, the table and the gaps are there
    assert '<svg class="radar"' in html and '<title id="radar-title">' in html
    for code in EXPECTED_LEVELS:
        assert f'data-competence="{code}"' in html
    assert "Bij Evalueren van data, informatie en digitale inhoud zit je nu op niveau 3 (Gemiddeld 3)" in html
    assert "Een burger helpen met MyMinfin is nog nieuw voor je. Voor je functie is niveau 3" in html
    assert "De overheid vraagt nooit" not in html  # she answered that question right
    assert "Op de website van de gemeente" not in html


def test_pausing_saves_the_step_and_resuming_opens_the_first_open_step(client, employee, version):
    client.force_login(employee)
    client.post(reverse("backoffice:digicheck_start", args=[version.assessment.uuid]))
    attempt = Attempt.objects.get(employee=employee)
    first = version.items.get(position=1)

    response = client.post(
        reverse("backoffice:digicheck_step", args=[attempt.uuid, 1]),
        {"onderdeel": str(first.uuid), "schaal": "3", "pauze": ""},
    )
    assert response["Location"] == reverse("backoffice:digicheck")
    assert attempt.answers.get().scale_value == 3

    response = client.post(reverse("backoffice:digicheck_start", args=[version.assessment.uuid]))
    assert response["Location"] == reverse("backoffice:digicheck_step", args=[attempt.uuid, 2])
    page = client.get(reverse("backoffice:digicheck_step", args=[attempt.uuid, 1])).content.decode()
    assert 'value="3" checked' in page


def test_a_step_without_an_answer_is_refused_with_a_message(client, employee, version):
    client.force_login(employee)
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    item = version.items.get(position=3)

    response = client.post(
        reverse("backoffice:digicheck_step", args=[attempt.uuid, 3]),
        {"onderdeel": str(item.uuid), "verder": ""},
    )

    assert response.status_code == 422
    assert "Kies een antwoord." in response.content.decode()
    assert attempt.answers.count() == 0
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.IN_PROGRESS
