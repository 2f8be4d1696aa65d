"""Reads of cases and the catalogue, with the visibility rule in one place.

A case is seen by anyone who acts for the municipality unless it is confidential; a confidential
case only by its department and its handler. Citizens see nothing here (the portal has its own
queries). Lists are keyset-paginated and never count whole tables.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality
from balie.core.timeline import TimelineEntry
from balie.documents.models import Document, DocumentVersion
from balie.documents.queries import visible_documents
from balie.documents.registries import DocumentLink
from balie.parties.models import Party, PartyKind

from .models import (
    AttributeKind,
    Case,
    CaseDocument,
    CaseEvent,
    CaseRole,
    CaseStatus,
    CaseType,
    CaseTypeVersion,
    RoleKind,
    StatusType,
    VersionState,
)
from .registries import case_timeline_sources


def _visible(user: Any) -> Q:
    return Q(confidential=False) | Q(department_id=user.department_id) | Q(handler_id=user.pk)


def cases_for(user: Any) -> QuerySet[Case]:
    if not acts_for_municipality(user):
        return Case.objects.none()
    return Case.objects.filter(_visible(user))


def get_case_for(user: Any, case_id: uuid.UUID | str) -> Case:
    """The case by public id or number, or 404 when it does not exist or the user may not see it."""
    rows = cases_for(user).select_related(
        "case_type", "version", "department", "team", "handler", "status_type", "result_type", "parent"
    )
    try:
        if isinstance(case_id, str) and not _looks_like_uuid(case_id):
            return rows.get(number=case_id)
        return rows.get(uuid=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def _looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class QueueFilter:
    scope: str = "department"  # "mine", "team", "department", "all"
    department_id: int | None = None
    case_type_id: int | None = None
    status_type_id: int | None = None
    handler_id: int | None = None
    unassigned: bool = False
    deadline: str = ""  # "", "overdue", "due_soon", "on_time"
    include_closed: bool = False
    sort: str = "deadline"  # "deadline" (soonest first) or "registered" (newest first)


SOON_DAYS = 3


def queue_for(
    user: Any, filters: QueueFilter, *, after: tuple[str, int] | None = None, limit: int = 50
) -> list[Case]:
    """One page of a queue. `after` is the sort key of the last row seen: (deadline ISO, id) or
    (registered_at ISO, id). Open cases only, unless `include_closed`."""
    rows = cases_for(user)
    if filters.scope == "mine":
        rows = rows.filter(handler_id=user.pk)
    elif filters.scope == "team":
        rows = rows.filter(team_id=user.team_id) if user.team_id else rows.none()
    elif filters.scope == "department":
        rows = rows.filter(department_id=filters.department_id or user.department_id)
    elif filters.department_id:
        rows = rows.filter(department_id=filters.department_id)
    if not filters.include_closed:
        rows = rows.filter(closed_at__isnull=True)
    if filters.case_type_id:
        rows = rows.filter(case_type_id=filters.case_type_id)
    if filters.status_type_id:
        rows = rows.filter(status_type_id=filters.status_type_id)
    if filters.unassigned:
        rows = rows.filter(handler__isnull=True)
    elif filters.handler_id:
        rows = rows.filter(handler_id=filters.handler_id)
    today = timezone.localdate()
    soon = today + dt.timedelta(days=SOON_DAYS)
    if filters.deadline == "overdue":
        rows = rows.filter(deadline__lt=today)
    elif filters.deadline == "due_soon":
        rows = rows.filter(deadline__gte=today, deadline__lte=soon)
    elif filters.deadline == "on_time":
        rows = rows.filter(deadline__gt=soon)
    rows = rows.select_related("case_type", "department", "team", "handler", "status_type")
    if filters.sort == "registered":
        if after is not None:
            at, pk = dt.datetime.fromisoformat(after[0]), after[1]
            rows = rows.filter(
                Q(registered_at__lt=at) | Q(registered_at=at, id__lt=pk), registered_at__lte=at
            )
        return list(rows.order_by("-registered_at", "-id")[:limit])
    if after is not None:
        day, pk = dt.date.fromisoformat(after[0]), after[1]
        rows = rows.filter(Q(deadline__gt=day) | Q(deadline=day, id__gt=pk), deadline__gte=day)
    return list(rows.order_by("deadline", "id")[:limit])


def sort_key(case: Case, sort: str) -> tuple[str, int]:
    if sort == "registered":
        return (case.registered_at.isoformat(), case.pk)
    return (case.deadline.isoformat(), case.pk)


def case_events(case: Case, *, limit: int = 200) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case).select_related("by").order_by("-at", "-id")[:limit])


def case_timeline(user: Any, case: Case, *, limit: int = 200) -> list[CaseEvent | TimelineEntry]:
    """The case's own events and what higher apps add to its timeline (`case_timeline_sources`:
    e.g. its post items), newest first. Each source shows only what `user` may see."""
    rows: list[tuple[dt.datetime, CaseEvent | TimelineEntry]] = [
        (event.at, event) for event in case_events(case, limit=limit)
    ]
    for _name, source in case_timeline_sources:
        rows += [(entry.at, entry) for entry in source(user, case, limit)]
    rows.sort(key=lambda row: row[0], reverse=True)  # stable: the case's own event first at equal times
    return [row for _at, row in rows[:limit]]


def case_parties(case: Case) -> list[CaseRole]:
    return list(CaseRole.objects.filter(case=case).select_related("party").order_by("kind", "id"))


def cases_of_party(user: Any, party: Party, *, limit: int = 20) -> list[Case]:
    return list(
        cases_for(user)
        .filter(roles__party=party)
        .select_related("case_type", "status_type", "department")
        .distinct()
        .order_by("-registered_at", "-id")[:limit]
    )


def timeline_for(
    user: Any, party: Party, *, before: dt.datetime | None = None, limit: int = 50
) -> list[TimelineEntry]:
    """The party's cases on the 360° view, newest first."""
    rows = cases_for(user).filter(roles__party=party).select_related("status_type", "case_type").distinct()
    if before is not None:
        rows = rows.filter(registered_at__lt=before)
    entries = []
    for case in rows.order_by("-registered_at", "-id")[:limit]:
        try:
            url = reverse("backoffice:case", args=[case.uuid])
        except NoReverseMatch:
            url = ""
        badges = (case.status_type.name,) + ((_("afgesloten"),) if case.closed_at else ())
        entries.append(
            TimelineEntry(
                kind="case",
                uuid=case.uuid,
                at=case.registered_at,
                title=f"{case.number} · {case.case_type.name}",
                summary=case.subject,
                url=url,
                badges=badges,
                confidential=case.confidential,
            )
        )
    return entries


# --- catalogue -------------------------------------------------------------------------------


def case_types_in_use() -> QuerySet[CaseType]:
    """Case types a case can be registered for now (an active type with a version in force)."""
    return CaseType.objects.filter(active=True, versions__state=VersionState.PUBLISHED).select_related(
        "department"
    )


def catalogue() -> QuerySet[CaseType]:
    return CaseType.objects.select_related("department").prefetch_related("versions")


def get_version(version_id: uuid.UUID | str) -> CaseTypeVersion:
    try:
        return CaseTypeVersion.objects.select_related("case_type", "department").get(uuid=version_id)
    except (CaseTypeVersion.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def version_in_force(case_type: CaseType) -> CaseTypeVersion | None:
    return case_type.versions.filter(state=VersionState.PUBLISHED).first()


def status_types_of(version: CaseTypeVersion) -> list[StatusType]:
    return list(version.status_types.order_by("order").prefetch_related("next_statuses", "checklist"))


# --- documents -------------------------------------------------------------------------------

DOCUMENTS_ON_PAGE = 100


def case_documents(case: Case, *, user: Any, limit: int = DOCUMENTS_ON_PAGE) -> list[CaseDocument]:
    """The case's documents that `user` may see (a confidential one only its department), newest
    first, with their current version and earlier versions."""
    rule = visible_documents(user, prefix="document__")
    if rule is None:
        return []
    return list(
        CaseDocument.objects.filter(rule, case=case)
        .select_related(
            "document__current_version__created_by", "document_type", "added_by", "document__department"
        )
        .prefetch_related(
            Prefetch(
                "document__versions",
                queryset=DocumentVersion.objects.select_related("created_by").order_by("-number"),
            )
        )
        .order_by("-added_at", "-id")[:limit]
    )


def persons_concerned_by(document: Document) -> list[uuid.UUID]:
    """The persons in a role on a case the document belongs to: reading the document reads about
    them (the personal-data access log)."""
    return list(
        Party.objects.filter(case_roles__case__documents__document=document, kind=PartyKind.PERSON)
        .values_list("uuid", flat=True)
        .distinct()
    )


def get_case_document_for(user: Any, case: Case, document_id: uuid.UUID | str) -> CaseDocument:
    """One document of the case that `user` may see, or 404."""
    rule = visible_documents(user, prefix="document__")
    if rule is None:
        raise Http404
    try:
        return CaseDocument.objects.select_related("document", "document_type").get(
            rule, case=case, document__uuid=document_id
        )
    except (CaseDocument.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def case_links(user: Any, document_ids: Sequence[int]) -> dict[int, list[DocumentLink]]:
    """Document link provider: the cases each document belongs to, those `user` may see."""
    links: dict[int, list[DocumentLink]] = {}
    rows = (
        CaseDocument.objects.filter(document_id__in=list(document_ids), case__in=cases_for(user))
        .select_related("case")
        .order_by("added_at", "id")
    )
    for row in rows:
        label = f"{row.case.number} {row.case.subject}".strip()
        links.setdefault(row.document_id, []).append(
            DocumentLink(kind="case", uuid=row.case.uuid, label=label)
        )
    return links


# -- what a customer sees of their own cases (the e-loket) ---------------------------------------

CUSTOMER_ROLES = (RoleKind.INITIATOR, RoleKind.SUBJECT, RoleKind.REPRESENTATIVE)


def cases_of_customer(party: Party) -> QuerySet[Case]:
    """The cases in which the party is the applicant, the person concerned or the representative:
    what their own e-loket lists, newest first. Nobody else's, whatever the id."""
    return (
        Case.objects.filter(roles__party=party, roles__kind__in=CUSTOMER_ROLES)
        .distinct()
        .select_related("case_type", "status_type", "department", "result_type")
        .order_by("-registered_at", "-id")
    )


def get_case_of_customer(party: Party, case_id: uuid.UUID | str) -> Case:
    """One of the party's own cases, or 404: a guessed id of someone else's case shows nothing."""
    try:
        return cases_of_customer(party).get(uuid=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def customer_status_history(case: Case) -> list[CaseStatus]:
    """The steps the case went through, oldest first, with their names (not who set them)."""
    return list(case.statuses.select_related("status_type").order_by("sequence"))


def next_statuses_of(case: Case) -> list[StatusType]:
    """What can come next, for "the next step" on the customer's page."""
    if case.closed_at is not None:
        return []
    return list(case.status_type.next_statuses.order_by("order"))


def e_services() -> QuerySet[CaseTypeVersion]:
    """The case types citizens can request in the e-loket: the version in force of each active
    type that is an e-service and asks nothing a citizen cannot give (a required party attribute)."""
    return (
        CaseTypeVersion.objects.filter(state=VersionState.PUBLISHED, e_service=True, case_type__active=True)
        .exclude(attributes__kind=AttributeKind.PARTY, attributes__required=True)
        .select_related("case_type", "department")
        .order_by("name")
    )


def get_e_service(code: str) -> CaseTypeVersion:
    try:
        return e_services().get(case_type__code=code)
    except CaseTypeVersion.DoesNotExist:
        raise Http404 from None


def documents_added_by(case: Case, account: Any) -> list[CaseDocument]:
    """The documents of the case that this account added (the e-loket shows a citizen what they
    handed in themselves), oldest first."""
    return list(
        CaseDocument.objects.filter(case=case, added_by=account)
        .select_related("document__current_version")
        .order_by("added_at", "id")
    )
