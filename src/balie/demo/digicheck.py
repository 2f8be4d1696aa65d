"""The digicheck in the demo: the starter assessment, job profiles and trainings; a profile for
every login (hr is everyone's HR coordinator and sees the HR view; the other logins can take the
check); colleagues who took it three months ago, got a training plan, followed it and took it again.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from balie.accounts.models import User
from balie.digital_skills.actions import (
    answer_item,
    assign_employee_profile,
    complete_plan_item,
    evaluate_answer,
    generate_plan,
    schedule_plan_item,
    start_attempt,
    submit_attempt,
)
from balie.digital_skills.exercises import FORM_EXPECTED, practice_file
from balie.digital_skills.models import Answer, Attempt, AttemptState, Item, JobProfile
from balie.digital_skills.starter import (
    build_starter_assessment,
    build_starter_profiles,
    build_starter_trainings,
)

LOGIN_PROFILES = {
    "onthaal": "Onthaal",
    "teamlead": "Onthaal",
    "kassa": "Onthaal",
    "klachten": "Contactcenter (telefoon)",
    "zalen": "Bibliotheek",
    "behandelaar": "Backoffice",
    "postkamer": "Backoffice",
    "privacy": "Backoffice",
    "beheer": "Backoffice",
    "archief": "Backoffice",
    "directeur": "Backoffice",
}
# Colleagues (username) who took the check: their job profile.
TAKERS = {
    "veerle.vanlooy": "Onthaal",
    "kris.vermeiren": "Onthaal",
    "nele.bosmans": "Onthaal",
    "ahmed.bouzid": "Onthaal",
    "greet.huybrechts": "Contactcenter (telefoon)",
    "dirk.segers": "Contactcenter (telefoon)",
    "ilse.coppens": "Backoffice",
    "koen.verhoeven": "Backoffice",
    "lotte.moens": "Backoffice",
    "jeroen.baeten": "Bibliotheek",
}
# Who takes it again after their training (all of Burgerzaken: a group large enough to show).
RETAKERS = [
    "veerle.vanlooy",
    "kris.vermeiren",
    "nele.bosmans",
    "ahmed.bouzid",
    "greet.huybrechts",
    "dirk.segers",
]


def _answer(attempt: Attempt, item: Item, right: bool, employee: User) -> None:
    if item.kind == "statement":
        answer_item(attempt=attempt, item=item, scale_value=4 if right else 2, by=employee)
    elif item.kind in ("single", "multiple"):
        choices = (
            item.choices.filter(correct=right) if item.kind == "single" or right else item.choices.all()[:1]
        )
        ids = [c.pk for c in choices][: 1 if item.kind == "single" else None]
        if not ids:
            ids = [item.choices.first().pk]  # type: ignore[union-attr]
        answer_item(attempt=attempt, item=item, choice_ids=ids, by=employee)
    elif item.exercise == "bestand-toevoegen":
        content = practice_file(str(attempt.uuid)) if right else b"een ander bestand"
        answer_item(attempt=attempt, item=item, file=SimpleUploadedFile("attest.txt", content), by=employee)
    else:
        data: dict[str, Any] = {
            "informatie-zoeken": {"antwoord": "19:00" if right else "18:00"},
            "phishing-herkennen": {"mail": "mail-3" if right else "mail-1"},
            "formulier-invullen": {**FORM_EXPECTED, "postcode": "2645" if right else "2640"},
            "betrouwbare-site": {
                "oordeel": "niet-betrouwbaar" if right else "betrouwbaar",
                "uitleg": "Geen .belgium.be-adres en vraagt de pincode." if right else "",
            },
        }[item.exercise]
        answer_item(attempt=attempt, item=item, exercise_data=data, by=employee)


def _take(
    rng: random.Random, employee: User, hr: User, version: Any, skill: float, when: dt.datetime
) -> Attempt:
    attempt = start_attempt(employee=employee, assessment=version.assessment)
    for item in version.items.all():
        _answer(attempt, item, rng.random() < skill, employee)
    submit_attempt(attempt=attempt, by=employee)
    for waiting in Answer.objects.filter(attempt=attempt, passed__isnull=True):
        evaluate_answer(answer=waiting, passed=rng.random() < skill, note="", by=hr)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=when,
        submitted_at=when + dt.timedelta(minutes=25),
        completed_at=when + dt.timedelta(minutes=25),
    )
    return Attempt.objects.get(pk=attempt.pk)


def build_digicheck(rng: random.Random, now: dt.datetime, employees: dict[str, User]) -> int:
    """Returns the number of completed checks."""
    hr = employees["hr"]
    version = build_starter_assessment(by=hr)
    profiles: dict[str, JobProfile] = build_starter_profiles(by=hr)
    build_starter_trainings(by=hr)
    colleagues = {user.username: user for user in User.objects.filter(username__in=list(TAKERS))}
    for username, profile in [*LOGIN_PROFILES.items(), *TAKERS.items()]:
        employee = employees.get(username) or colleagues.get(username)
        if employee is not None:
            assign_employee_profile(
                employee=employee, job_profile=profiles[profile], hr_coordinator=hr, by=hr
            )
    earlier = now - dt.timedelta(days=90)
    completed = 0
    for username in TAKERS:
        employee = colleagues.get(username)
        if employee is None:
            continue
        attempt = _take(rng, employee, hr, version, 0.55 + rng.random() * 0.3, earlier)
        completed += 1
        if username not in RETAKERS:
            continue
        plan = generate_plan(attempt=attempt, by=hr)
        for item in plan.items.all():
            schedule_plan_item(item=item, planned_on=(earlier + dt.timedelta(days=30)).date(), by=hr)
            complete_plan_item(item=item, completed_on=(earlier + dt.timedelta(days=30)).date(), by=hr)
        _take(rng, employee, hr, version, 0.9, now - dt.timedelta(days=2))
        completed += 1
    assert not Attempt.objects.filter(state=AttemptState.IN_PROGRESS).exists()
    return completed
