"""HR builds an assessment in the back-office: a draft gets items, is published and then frozen;
a new version starts as a copy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.digital_skills.models import AssessmentVersion

pytestmark = pytest.mark.django_db


def test_hr_creates_adds_items_publishes_and_drafts_a_new_version(client, hr):
    client.force_login(hr)

    # when HR creates a digicheck and adds a question and an exercise
    response = client.post(
        reverse("backoffice:digicheck_manage"), {"name": "Digicheck bib", "introduction": ""}
    )
    draft = AssessmentVersion.objects.get(assessment__name="Digicheck bib")
    assert response["Location"] == reverse("backoffice:digicheck_version", args=[draft.uuid])
    url = reverse("backoffice:digicheck_version", args=[draft.uuid])
    client.post(
        url,
        {
            "actie": "toevoegen",
            "onderdeel-kind": "single",
            "onderdeel-competence": "G.3",
            "onderdeel-level": "3",
            "onderdeel-prompt": "Wat is de eBox?",
            "onderdeel-choices": "* Een digitale brievenbus\nEen mailadres",
            "onderdeel-scoring": "automatic",
        },
    )
    refused = client.post(
        url,
        {
            "actie": "toevoegen",
            "onderdeel-kind": "exercise",
            "onderdeel-competence": "1.2",
            "onderdeel-level": "4",
            "onderdeel-prompt": "Beoordeel de site.",
            "onderdeel-exercise": "betrouwbare-site",
            "onderdeel-scoring": "rubric",
        },
    )
    assert "Schrijf de rubric waarmee de beoordelaar scoort." in refused.content.decode()
    assert draft.items.count() == 1

    # and publishes it
    client.post(url, {"actie": "publiceren"})
    draft.refresh_from_db()
    assert draft.state == "published"

    # then the published version is frozen
    page = client.get(url).content.decode()
    assert "Een gepubliceerde versie ligt vast." in page
    more = {"actie": "toevoegen", "onderdeel-kind": "statement", "onderdeel-competence": "1.1"}
    client.post(
        url, {**more, "onderdeel-level": "1", "onderdeel-prompt": "x", "onderdeel-scoring": "automatic"}
    )
    assert draft.items.count() == 1

    # when HR makes a new version, it starts as a copy of the published one
    response = client.post(url, {"actie": "nieuwe-versie"})
    new = AssessmentVersion.objects.get(assessment__name="Digicheck bib", number=2)
    assert response["Location"] == reverse("backoffice:digicheck_version", args=[new.uuid])
    assert new.state == "draft"
    assert list(new.items.values_list("prompt", "competence__code", "level")) == [
        ("Wat is de eBox?", "G.3", 3)
    ]
    assert list(new.items.get().choices.values_list("text", "correct")) == [
        ("Een digitale brievenbus", True),
        ("Een mailadres", False),
    ]


def test_hr_assigns_a_profile_and_a_look_at_a_result_is_logged(client, hr, handler, profiles):
    client.force_login(hr)

    client.post(
        reverse("backoffice:digicheck_assign_profile"),
        {
            "profiel-employee": handler.pk,
            "profiel-job_profile": profiles["Backoffice"].pk,
            "profiel-hr_coordinator": hr.pk,
        },
    )
    page = client.get(reverse("backoffice:digicheck_employee", args=[handler.uuid]))

    assert page.status_code == 200
    assert handler.digicheck_profile.job_profile == profiles["Backoffice"]
    log = PersonalDataAccess.objects.get()
    assert (log.subject_uuid, log.subject_type, log.purpose) == (handler.uuid, "employee", "digicheck")
