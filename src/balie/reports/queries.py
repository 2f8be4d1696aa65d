"""Every read of reports, taking the reader: who acts for the municipality sees reports; anyone else
sees none ("not found")."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality
from balie.cases.models import Case, CaseDocument
from balie.core.timeline import TimelineEntry
from balie.documents.models import DocumentVersion
from balie.parties.models import Party

from .geo import cells_around, haversine_m
from .models import Category, Report, SendState
from .setup import PHOTO_TYPE
from .workflow import ReportStatus


def reports_for(user: Any) -> QuerySet[Report]:
    if not acts_for_municipality(user):
        return Report.objects.none()
    return Report.objects.select_related("case", "category", "category__parent", "case__department").filter(
        Q(case__confidential=False) | Q(case__department_id=user.department_id)
    )


def get_report_for(user: Any, report_id: uuid.UUID | str) -> Report:
    try:
        return reports_for(user).get(uuid=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def categories(*, active_only: bool = True) -> QuerySet[Category]:
    rows = Category.objects.select_related("parent", "department")
    return rows.filter(active=True) if active_only else rows


def leaf_categories() -> list[Category]:
    """Active categories a report can be filed under: those without active children."""
    rows = list(categories())
    parents = {row.parent_id for row in rows if row.parent_id}
    return sorted((row for row in rows if row.pk not in parents), key=str)


@dataclass(frozen=True)
class Nearby:
    report: Report
    distance_m: float


def nearby_open_reports(
    *,
    category: Category,
    lat: float,
    lon: float,
    radius_m: float | None = None,
    exclude: Report | None = None,
    public_only: bool = False,
) -> list[Nearby]:
    """Open reports of the same category within `radius_m` (default the setting), nearest first.

    One index range per query: the open reports of the category in the grid cells around the point
    (index report_open_cell), then the exact distance in Python."""
    radius = settings.BALIE_REPORTS_NEARBY_METRES if radius_m is None else radius_m
    rows = Report.objects.filter(is_open=True, category=category, cell__in=cells_around(lat, lon, radius))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    if public_only:  # what a citizen may be shown: never a report of a confidential case
        rows = rows.filter(case__confidential=False)
    found = []
    for report in rows.select_related("case").only(
        "id",
        "uuid",
        "lat",
        "lon",
        "address",
        "description",
        "status",
        "reported_at",
        "case__number",
        "case__id",
    ):
        if report.lat is None or report.lon is None:
            continue
        distance = haversine_m(lat, lon, report.lat, report.lon)
        if distance <= radius:
            found.append(Nearby(report=report, distance_m=distance))
    return sorted(found, key=lambda n: n.distance_m)


def open_reports_on_map(
    user: Any,
    *,
    category: Category | None = None,
    status: str = "",
    department_id: int | None = None,
    limit: int = 500,
) -> list[Report]:
    """Open reports with a place, newest first, at most `limit` (the map shows what fits)."""
    rows = reports_for(user).filter(is_open=True, lat__isnull=False)
    if category is not None:
        rows = rows.filter(Q(category=category) | Q(category__parent=category))
    if status:
        rows = rows.filter(status=status)
    if department_id:
        rows = rows.filter(case__department_id=department_id)
    return list(rows.order_by("-reported_at", "-id")[:limit])


def stuck_work_orders(user: Any) -> QuerySet[Report]:
    """Work orders that failed for good, or are still being tried after a failure."""
    return (
        reports_for(user)
        .filter(Q(send_state=SendState.FAILED) | Q(send_state=SendState.PENDING, send_fail_count__gt=0))
        .order_by("send_failed_at", "id")
    )


def case_timeline_entries(user: Any, case: Any, limit: int) -> list[TimelineEntry]:
    """On a report case's own timeline (cases.registries.case_timeline_sources): the report, with
    a link to its page (category, place, status), so the 360° view's case leads to the report."""
    report = reports_for(user).filter(case=case).first()
    if report is None or limit < 1:
        return []
    return [
        TimelineEntry(
            kind="report",
            uuid=report.uuid,
            at=report.reported_at,
            title=_("Melding: %(category)s") % {"category": report.category},
            summary=report.address
            or (f"{report.lat:.5f}, {report.lon:.5f}" if report.lat is not None else ""),
            url=reverse("backoffice:report", args=[report.uuid]),
            badges=(str(ReportStatus(report.status).label),),
        )
    ]


def public_reports() -> QuerySet[Report]:
    """What anyone may read about reports (Open311 GET requests): never the reporter; reports of a
    confidential case not at all."""
    return Report.objects.select_related("case", "case__department", "category").filter(
        case__confidential=False
    )


def reporter_for_contact(
    *, email: str, given_name: str, family_name: str, phone: str, by: Any
) -> Party | None:
    """The person an Open311 request names (by e-mail): the party that has the address, else a new
    person with it. None without an e-mail address (anonymous)."""
    from balie.parties.actions import add_contact_point, register_party
    from balie.parties.models import ContactPoint, ContactPointKind

    email = email.strip().lower()
    if not email:
        return None
    point = (
        ContactPoint.objects.filter(
            kind=ContactPointKind.EMAIL, value__iexact=email, party__merged_into__isnull=True
        )
        .select_related("party")
        .order_by("id")
        .first()
    )
    if point is not None:
        return point.party
    party, _created = register_party(
        kind="person",
        by=by,
        given_name=given_name.strip()[:100],
        family_name=family_name.strip()[:100] or email.split("@")[0][:100],
    )
    add_contact_point(party=party, kind=ContactPointKind.EMAIL, value=email, by=by)
    if phone.strip():
        with contextlib.suppress(ValidationError):  # a phone number that does not parse is left out
            add_contact_point(party=party, kind=ContactPointKind.PHONE, value=phone.strip(), by=by)
    return party


# --- the reporter's own reports (the e-loket) ---------------------------------------------------


def reports_of_reporter(party: Party) -> QuerySet[Report]:
    """The reports the party made, newest first: what their own e-loket lists. Nobody else's,
    whatever the id."""
    return (
        Report.objects.filter(reporter=party)
        .select_related("case", "case__status_type", "category", "category__parent")
        .order_by("-reported_at", "-id")
    )


def get_report_of_reporter(party: Party, report_id: uuid.UUID | str) -> Report:
    """One of the party's own reports, or 404: a guessed id of someone else's report shows nothing."""
    try:
        return reports_of_reporter(party).get(uuid=report_id)
    except (Report.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def photos_of_report(report: Report) -> QuerySet[CaseDocument]:
    """The photos of a report that its reporter may see: the case's documents filed as a photo
    (the report case type's document type "Foto"), never a confidential document, oldest first."""
    return (
        CaseDocument.objects.filter(
            case_id=report.case_id, document_type__name=PHOTO_TYPE, document__confidential=False
        )
        .exclude(document__current_version=None)
        .select_related("document", "document__current_version")
        .order_by("added_at", "id")
    )


def get_photo_of_reporter(
    party: Party, report_id: uuid.UUID | str, photo_id: uuid.UUID | str
) -> DocumentVersion:
    """The current version of a photo of one of the party's own reports, or 404."""
    report = get_report_of_reporter(party, report_id)
    try:
        link = photos_of_report(report).get(document__uuid=photo_id)
    except (CaseDocument.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None
    version = link.document.current_version
    if version is None or not version.mime_type.startswith("image/"):
        raise Http404
    return version


def without_report_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` less the cases of reports: for a page that lists the reports on their own."""
    return cases.filter(report__isnull=True)
