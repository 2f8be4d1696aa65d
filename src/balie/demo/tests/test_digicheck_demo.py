"""The demo's digicheck: the assessment, job profiles, results the hr login sees, a check to take."""

from __future__ import annotations

import pytest
from django.utils import timezone

from balie.accounts.models import User
from balie.demo.loader import load_demo_data
from balie.digital_skills.models import Assessment, Attempt, AttemptState, EmployeeProfile, TrainingPlan
from balie.digital_skills.queries import coordinated_employees, heat_map, progress


@pytest.mark.django_db
def test_the_demo_has_a_digicheck_with_results_for_hr_and_a_check_to_take() -> None:
    summary = load_demo_data(now=timezone.now(), persons=20, contact_moments=50, case_count=5)

    assert summary.digichecks == Attempt.objects.filter(state=AttemptState.COMPLETED).count() == 16
    assert Assessment.objects.get().versions.get().state == "published"
    hr = User.objects.get(username="hr")
    assert coordinated_employees(hr).count() == EmployeeProfile.objects.count() == 21
    onthaal = User.objects.get(username="onthaal")
    assert not Attempt.objects.filter(employee=onthaal).exists()
    assert EmployeeProfile.objects.get(employee=onthaal).job_profile.name == "Onthaal"
    # Burgerzaken (six) shows in the heat map; Omgeving (three) stays hidden
    grid = heat_map()
    shown = {d.name: grid.participants[d.pk] for d in grid.departments}
    assert shown["Burgerzaken"] == 6 and shown["Omgeving"] is None
    _areas, months = progress()
    assert [m.participants for m in months] == [10, 6]
    assert TrainingPlan.objects.count() == 6
