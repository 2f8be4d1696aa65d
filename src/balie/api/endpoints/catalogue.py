"""The catalogue: topics, departments (with teams) and case types, for other systems to fill in their
forms."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from balie.accounts.models import Team
from balie.accounts.queries import active_departments, active_teams
from balie.cases.models import CaseTypeVersion, StatusType, VersionState
from balie.cases.queries import case_types_in_use
from balie.contact_moments.models import Topic
from balie.contact_moments.queries import active_topics

from ..auth import requires
from ..models import Scope
from ..schemas.cases import CaseTypeOut
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


def _version_out(version: CaseTypeVersion) -> dict[str, Any]:
    statuses = list(version.status_types.all())
    end = statuses[-1].pk if statuses else None
    return {
        "uuid": version.uuid,
        "number": version.number,
        "name": version.name,
        "description": version.description,
        "lead_time_days": version.lead_time_days,
        "lead_time_unit": version.lead_time_unit,
        "suspension_allowed": version.suspension_allowed,
        "max_suspension_days": version.max_suspension_days,
        "extension_allowed": version.extension_allowed,
        "max_extension_days": version.max_extension_days,
        "confidential": version.confidential,
        "published_at": version.published_at,
        "statuses": [
            {
                "id": status.pk,
                "order": status.order,
                "name": status.name,
                "informs_customer": status.informs_customer,
                "next": [following.pk for following in status.next_statuses.all()],
                "end": status.pk == end,
            }
            for status in statuses
        ],
        "roles": list(version.role_types.all()),
        "attributes": list(version.attributes.all()),
        "results": list(version.result_types.all()),
    }


@router.get(
    "/case-types",
    response={200: list[CaseTypeOut], **AUTH_ERRORS},
    summary="Zaaktypes oplijsten",
    description="De zaaktypes waarvoor nu een zaak geregistreerd kan worden, op naam, elk met de versie"
    " die geldt: statussen (en waarheen een zaak van elke status mag), rollen, kenmerken en resultaten.",
    **requires(Scope.CATALOGUE_READ),
)
def list_case_types(request: HttpRequest) -> list[dict[str, Any]]:
    in_force = CaseTypeVersion.objects.filter(state=VersionState.PUBLISHED).prefetch_related(
        Prefetch(
            "status_types", queryset=StatusType.objects.order_by("order").prefetch_related("next_statuses")
        ),
        "role_types",
        "attributes",
        "result_types",
    )
    case_types = case_types_in_use().prefetch_related(
        Prefetch("versions", queryset=in_force, to_attr="in_force")
    )
    return [
        {
            "uuid": case_type.uuid,
            "code": case_type.code,
            "name": case_type.name,
            "department": case_type.department,
            "version": _version_out(case_type.in_force[0]),
        }
        for case_type in case_types.order_by("name", "id")
    ]
