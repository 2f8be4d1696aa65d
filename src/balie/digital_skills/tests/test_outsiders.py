"""Every digicheck page refuses whoever may not use it: HR's pages and the figures are refused to
other employees (403), everything is "not found" for a citizen, and the login page for anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.digital_skills.actions import start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_pages(version, profiles):  # type: ignore[no-untyped-def]
    return [
        reverse("backoffice:digicheck_figures"),
        reverse("backoffice:digicheck_figures_xlsx"),
        reverse("backoffice:digicheck_manage"),
        reverse("backoffice:digicheck_version", args=[version.uuid]),
        reverse("backoffice:digicheck_job_profiles"),
        reverse("backoffice:digicheck_job_profile", args=[profiles["Onthaal"].uuid]),
        reverse("backoffice:digicheck_trainings"),
    ]


def test_hr_pages_are_refused_to_other_employees_and_citizens(client, hr_pages, hr, handler, citizen):
    client.force_login(hr)
    for url in hr_pages:
        assert client.get(url).status_code == 200, url
    client.force_login(handler)
    for url in hr_pages:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("backoffice:digicheck_assign_profile"), {}).status_code == 403
    client.force_login(citizen)
    for url in hr_pages:
        assert client.get(url).status_code == 404, url
    client.logout()
    for url in hr_pages:
        assert client.get(url)["Location"].startswith("/aanmelden"), url


def test_someone_elses_check_cannot_be_opened_or_answered(client, employee, handler, hr, citizen, version):
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    item = version.items.get(position=1)
    urls = [
        reverse("backoffice:digicheck_step", args=[attempt.uuid, 1]),
        reverse("backoffice:digicheck_practice_file", args=[attempt.uuid]),
        reverse("backoffice:digicheck_submit", args=[attempt.uuid]),
    ]
    for user in (handler, hr, citizen):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
        response = client.post(urls[0], {"onderdeel": str(item.uuid), "schaal": "4"})
        assert response.status_code == 404
        assert client.post(reverse("backoffice:digicheck_restart", args=[attempt.uuid])).status_code == 404
    assert attempt.answers.count() == 0


def test_a_citizen_does_not_find_the_digicheck(client, citizen, version):
    client.force_login(citizen)
    assert client.get(reverse("backoffice:digicheck")).status_code == 404
    assert (
        client.post(reverse("backoffice:digicheck_start", args=[version.assessment.uuid])).status_code == 404
    )
