"""The catalogue: topics and departments (with teams), for other systems to fill in their forms."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest
from ninja import Router

from balie.accounts.models import Team
from balie.accounts.queries import active_departments, active_teams
from balie.contact_moments.models import Topic
from balie.contact_moments.queries import active_topics

from ..auth import requires
from ..models import Scope
from ..schemas.catalogue import DepartmentOut, TopicOut
from ..schemas.common import AUTH_ERRORS

router = Router(tags=["catalogus"])


@router.get(
    "/topics",
    response={200: list[TopicOut], **AUTH_ERRORS},
    summary="Onderwerpen oplijsten",
    description="De onderwerpen in gebruik, op naam.",
    **requires(Scope.CATALOGUE_READ),
)
def list_topics(request: HttpRequest) -> list[Topic]:
    return list(active_topics())


@router.get(
    "/departments",
    response={200: list[DepartmentOut], **AUTH_ERRORS},
    summary="Diensten oplijsten",
    description="De actieve diensten met hun actieve teams, op naam (voor `handoff`).",
    **requires(Scope.CATALOGUE_READ),
)
def list_departments(request: HttpRequest) -> list[dict[str, object]]:
    teams: defaultdict[int, list[Team]] = defaultdict(list)
    for team in active_teams():
        teams[team.department_id].append(team)
    return [
        {
            "uuid": department.uuid,
            "name": department.name,
            "code": department.code,
            "email": department.email,
            "teams": teams[department.pk],
        }
        for department in active_departments()
    ]
