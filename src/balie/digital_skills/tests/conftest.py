"""The digicheck's fixtures: HR, the starter assessment, job profiles and trainings, and an
employee of Burgerzaken at the counter whose HR coordinator is `hr`."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balie.accounts.actions import create_employee
from balie.accounts.models import Department, Role, User
from balie.digital_skills.actions import answer_item, assign_employee_profile
from balie.digital_skills.exercises import practice_file
from balie.digital_skills.models import AssessmentVersion, Attempt, Item, JobProfile, Training
from balie.digital_skills.starter import (
    build_starter_assessment,
    build_starter_profiles,
    build_starter_trainings,
)


@pytest.fixture
def hr(burgerzaken: Department) -> User:
    return create_employee(
        username="hr",
        first_name="Karen",
        last_name="Willems",
        email="karen@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.HR],
        by=None,
    )


@pytest.fixture
def other_hr(burgerzaken: Department) -> User:
    return create_employee(
        username="hr2",
        first_name="Hilde",
        last_name="Roels",
        email="hilde@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.HR],
        by=None,
    )


@pytest.fixture
def version(hr: User) -> AssessmentVersion:
    return build_starter_assessment(by=hr)


@pytest.fixture
def profiles(hr: User) -> dict[str, JobProfile]:
    return build_starter_profiles(by=hr)


@pytest.fixture
def catalogue(hr: User) -> list[Training]:
    return build_starter_trainings(by=hr)


@pytest.fixture
def employee(front_desk: User, hr: User, profiles: dict[str, JobProfile]) -> User:
    assign_employee_profile(employee=front_desk, job_profile=profiles["Onthaal"], hr_coordinator=hr, by=hr)
    return front_desk


# The scripted answers, by step: what the e2e test clicks too.
#   1.1: 2 ✓ 3 ✓ -> 3    1.2: 3 ✓ 4 (rubric) ✗ -> 3    1.3: 2 ✓ 3 ✓ -> 3
#   4.2: 3 ✗ 4 ✓ -> 0    2.3: 3 ✗ 4 ✓ -> 0    G.1: 2 ✓ 3 ✓ -> 3    G.2: 3 ✗ -> 0
#   G.3, G.4, G.5: 3 ✓ -> 3    5.4: 2 ✓ -> 2
SCRIPT: dict[int, Any] = {
    1: 4,
    2: {"antwoord": "19:00"},
    3: ["Oplichting"],
    4: {"oordeel": "niet-betrouwbaar", "uitleg": "Het adres is vreemd."},
    5: 3,
    6: "file",
    7: {"mail": "mail-1"},
    8: ["Het rijksregisternummer", "De pincode van de eID"],
    9: 2,
    10: {"naam": "An Peeters", "straat": "Kerkstraat 12", "postcode": "2645", "verhuisdatum": "2026-12-01"},
    11: ["Een nieuwe pin- en pukcode aanvragen"],
    12: 3,
    13: ["Op de website van de gemeente"],
    14: ["Een beveiligde digitale brievenbus van de overheid"],
    15: ["De burger laat alles door een kleinkind doen", "De burger heeft geen computer of smartphone"],
    16: ["Ik help de burger om het zelf te doen en bewaar niets"],
    17: 4,
}
EXPECTED_LEVELS = {
    "1.1": 3, "1.2": 3, "1.3": 3, "4.2": 0, "2.3": 0,
    "G.1": 3, "G.2": 0, "G.3": 3, "G.4": 3, "G.5": 3, "5.4": 2,
}  # fmt: skip
EXPECTED_GAPS = {"1.2": (3, 4), "4.2": (0, 4), "2.3": (0, 4), "G.2": (0, 3)}

# Every answer right (the re-test after training).
ALL_RIGHT: dict[int, Any] = {
    **SCRIPT,
    7: {"mail": "mail-3"},
    9: 4,
    13: ["In MyMinfin"],
}


def answer(attempt: Attempt, item: Item, value: Any, by: User) -> Any:
    if item.kind == "statement":
        return answer_item(attempt=attempt, item=item, scale_value=value, by=by)
    if item.kind in ("single", "multiple"):
        ids = list(item.choices.filter(text__in=value).values_list("pk", flat=True))
        return answer_item(attempt=attempt, item=item, choice_ids=ids, by=by)
    if value == "file":
        upload = SimpleUploadedFile("attest.txt", practice_file(str(attempt.uuid)))
        return answer_item(attempt=attempt, item=item, file=upload, by=by)
    return answer_item(attempt=attempt, item=item, exercise_data=value, by=by)


def answer_all(attempt: Attempt, script: dict[int, Any], by: User) -> None:
    for item in attempt.version.items.all():
        answer(attempt, item, script[item.position], by)


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:  # type: ignore[no-untyped-def]
    """The test client speaks plain http; pages link CSS without collectstatic's manifest."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
