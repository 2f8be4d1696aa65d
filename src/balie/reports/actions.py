"""Every change to reports: one transaction each, audited, keyword-only arguments.

Registering a report registers its case (the report case type) through the case engine, in the
department the routing rules choose, with the reporter as initiator (none: anonymous, no mails),
and the photos as case documents (checked, resized and stripped of EXIF before anything is
written). A status change passes `workflow.check_transition` and then the case engine, which keeps
the history and informs the reporter from the status type's message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import acts_for_municipality, can_manage_catalogue, can_reopen_case
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.cases.actions import (
    add_case_note,
    attach_document,
    close_case,
    register_case,
    relate_cases,
    reopen_case,
    set_status,
)
from balie.cases.models import Case, DocumentType, Origin, ResultType, RoleKind, StatusType
from balie.cases.registries import Intake
from balie.core.models import OutboxState
from balie.core.outbox import resend, write_message
from balie.documents.actions import discard_new_files_on_failure
from balie.parties.models import Party

from .geo import cell_of, check_location
from .models import Category, ReopenRequest, Report, RoutingRule, SendState
from .photos import Photo, prepare_photo
from .routing import route
from .setup import PHOTO_TYPE, report_case_type
from .workflow import RESULTS, STATUS_TYPE_NAMES, ReportStatus, check_transition, is_open

WORK_ORDER_SENDER = "reports.work_order"
REPORT_FIELDS = ["category", "status", "description", "lat", "lon", "address", "reporter", "channel"]
CATEGORY_FIELDS = ["code", "name", "parent", "description", "department", "forward_to_work_orders", "active"]
ORIGINS = {
    "web": Origin.PORTAL,
    "api": Origin.API,
    "open311": Origin.API,
    "email": Origin.EMAIL,
    "letter": Origin.POST,
}


def _require_municipality(by: Any) -> None:
    if not acts_for_municipality(by):
        raise ValidationError(_("Alleen wie voor de gemeente werkt, kan meldingen behandelen."))


def _require_admin(by: Any) -> None:
    if not can_manage_catalogue(by):
        raise ValidationError(_("Alleen een functioneel beheerder beheert de meldingscategorieën."))


# --- categories and routing (the functional administrator) -----------------------------------


@transaction.atomic
def save_category(
    *,
    by: User,
    code: str,
    name: str,
    parent: Category | None = None,
    description: str = "",
    department: Department | None = None,
    forward_to_work_orders: bool = False,
    active: bool = True,
    keywords: str = "",
    category: Category | None = None,
) -> Category:
    """Create a category (or change `category`)."""
    _require_admin(by)
    before = snapshot(category, CATEGORY_FIELDS) if category else None
    row = category or Category()
    if parent is not None and category is not None:
        ancestor: Category | None = parent
        while ancestor is not None:
            if ancestor.pk == category.pk:
                raise ValidationError({"parent": _("Een categorie kan niet onder zichzelf hangen.")})
            ancestor = ancestor.parent
    row.code, row.name, row.parent, row.description = code.strip(), name.strip(), parent, description.strip()
    row.department, row.forward_to_work_orders, row.active = department, forward_to_work_orders, active
    row.keywords = keywords.strip()
    row.full_clean(exclude=["parent", "department"])
    row.save()
    if before is None:
        record_creation(instance=row, fields=CATEGORY_FIELDS, by=by)
    else:
        record_change(
            instance=row,
            action=ChangeAction.UPDATE,
            changes=diff(before, snapshot(row, CATEGORY_FIELDS)),
            by=by,
        )
    return row


@transaction.atomic
def add_routing_rule(
    *,
    by: User,
    department: Department,
    category: Category | None = None,
    area_name: str = "",
    box: tuple[float, float, float, float] | None = None,  # (min_lat, min_lon, max_lat, max_lon)
    order: int = 10,
) -> RoutingRule:
    _require_admin(by)
    rule = RoutingRule(order=order, category=category, area_name=area_name.strip(), department=department)
    if box is not None:
        rule.min_lat, rule.min_lon, rule.max_lat, rule.max_lon = box
        if rule.min_lat > rule.max_lat or rule.min_lon > rule.max_lon:
            raise ValidationError({"area": _("De zuid- en westgrens liggen onder de noord- en oostgrens.")})
    rule.full_clean(exclude=["category", "department"])
    rule.save()
    record_creation(instance=rule, fields=["order", "category", "area_name", "department"], by=by)
    return rule


@transaction.atomic
def remove_routing_rule(*, rule: RoutingRule, by: User) -> None:
    _require_admin(by)
    record_change(
        instance=rule, action=ChangeAction.DELETE, changes={"department": [str(rule.department), None]}, by=by
    )
    rule.delete()


# --- intake ----------------------------------------------------------------------------------


def _photo_type(case: Case) -> DocumentType | None:
    return DocumentType.objects.filter(version_id=case.version_id, name=PHOTO_TYPE).first()


def check_report(
    *,
    category: Category | None,
    description: str,
    lat: float | None,
    lon: float | None,
    address: str,
    reporter: Party | None,
) -> None:
    """Everything about a new report that can be refused, before anything is written."""
    errors: dict[str, Any] = {}
    if category is None or not category.active:
        errors["category"] = _("Kies een categorie.")
    elif category.children.filter(active=True).exists():
        errors["category"] = _("Kies een categorie binnen '%(name)s'.") % {"name": category.name}
    if not description.strip():
        errors["description"] = _("Beschrijf wat er aan de hand is.")
    if (lat is None) != (lon is None):
        errors["location"] = _("Geef zowel de breedte- als de lengtegraad.")
    elif lat is None and not address.strip():
        errors["location"] = _("Duid de plaats aan op de kaart of geef een adres.")
    else:
        try:
            check_location(lat, lon)
        except ValidationError as error:
            errors.update(error.message_dict)
    if reporter is not None and reporter.merged_into_id is not None:
        errors["reporter"] = _("%(name)s is samengevoegd; kies de overblijvende klant.") % {"name": reporter}
    if errors:
        raise ValidationError(errors)


def register_report(
    *,
    category: Category | None,
    by: User,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    reporter: Party | None = None,
    channel: str = "counter",
    photos: Sequence[Any] = (),
    prepared_photos: Sequence[Photo] = (),
    received_at: dt.datetime | None = None,
    converted_from: Case | None = None,
) -> Report:
    """Register a report and its case. Refused input (no place, a place outside the municipality,
    a photo that is no image or too large …) raises ValidationError before anything is written."""
    _require_municipality(by)
    check_report(
        category=category, description=description, lat=lat, lon=lon, address=address, reporter=reporter
    )
    assert category is not None
    case_type = report_case_type()
    if case_type is None:
        raise ValidationError(_("Het zaaktype voor meldingen bestaat nog niet."))
    ready = list(prepared_photos)
    problems: list[str] = []
    for upload in photos:
        try:
            ready.append(prepare_photo(upload))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"photos": problems})
    department = route(category, lat, lon)
    now = received_at or timezone.now()
    place = address.strip() or f"{lat:.5f}, {lon:.5f}"
    with discard_new_files_on_failure(), transaction.atomic():
        case = register_case(
            case_type=case_type,
            by=by,
            subject=f"{category.name}: {place}"[:200],
            description=description,
            origin=ORIGINS.get(channel, Origin.BACKOFFICE),
            parties=[(reporter, RoleKind.INITIATOR)] if reporter else [],
            registered_at=now,
            department=department,
        )
        report = Report(
            case=case,
            category=category,
            description=description.strip(),
            lat=lat,
            lon=lon,
            cell=cell_of(lat, lon) if lat is not None and lon is not None else None,
            address=address.strip(),
            reporter=reporter,
            channel=channel[:16],
            reported_at=now,
        )
        report.full_clean(exclude=["case", "category", "reporter", "work_order_message", "duplicate_of"])
        report.save()
        record_creation(instance=report, fields=REPORT_FIELDS, by=by)
        photo_type = _photo_type(case)
        for number, photo in enumerate(ready, start=1):
            attach_document(
                case=case,
                by=by,
                file=photo.file,
                title=_("Foto %(n)d") % {"n": number},
                document_type=photo_type,
            )
        if converted_from is not None:
            relate_cases(case=case, other=converted_from, by=by)
        if category.forward_to_work_orders and work_orders_enabled():
            report = _forward(report, by=by, reason=_("Automatisch doorgestuurd (categorie)."))
    return report


def work_orders_enabled() -> bool:
    from django.conf import settings

    return settings.BALIE_REPORTS_WORK_ORDER_URL.strip().lower() != "off"


def report_intake(intake: Intake) -> Case:
    """The intake seam (cases.registries): a mail rule, the portal, the API or a conversion hands in
    a report. `extra` carries category (a Category or its code), lat, lon, address, photos."""
    extra = dict(intake.extra)
    category = extra.get("category")
    if isinstance(category, str):
        category = Category.objects.filter(code=category, active=True).first()
    report = register_report(
        category=category,
        by=intake.by,
        description="\n\n".join(part for part in (intake.subject.strip(), intake.text.strip()) if part),
        lat=extra.get("lat"),
        lon=extra.get("lon"),
        address=str(extra.get("address", "")),
        reporter=intake.party,
        channel=intake.channel,
        photos=extra.get("photos", ()),
        received_at=intake.received_at,
        converted_from=intake.converted_from,
    )
    return report.case


# --- status ----------------------------------------------------------------------------------


def _lock(report: Report) -> Report:
    Report.objects.select_for_update().filter(pk=report.pk).values_list("pk").get()
    return Report.objects.select_related("case", "category").get(pk=report.pk)


def _status_type(case: Case, status: str) -> StatusType:
    return StatusType.objects.get(version_id=case.version_id, name=STATUS_TYPE_NAMES[status])


def _move(report: Report, to: str, *, by: User, reason: str) -> Report:
    """Inside the caller's transaction and lock: the report's table, then the case engine's."""
    check_transition(report.status, to)
    if to == ReportStatus.CLOSED:
        result = ResultType.objects.get(version_id=report.case.version_id, name=RESULTS[report.status][0])
        close_case(case=report.case, result_type=result, by=by, reason=reason)
    else:
        set_status(case=report.case, status_type=_status_type(report.case, to), by=by, reason=reason)
    before = snapshot(report, ["status"])
    report.status = to
    report.is_open = is_open(to)
    report.save(update_fields=["status", "is_open", "updated_at"])
    record_change(
        instance=report,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(report, ["status"])),
        by=by,
        reason=reason,
    )
    return report


@transaction.atomic
def set_report_status(*, report: Report, to: str, by: User, reason: str = "") -> Report:
    """Move a report along its flow (a duplicate through `mark_duplicate`)."""
    _require_municipality(by)
    report = _lock(report)
    if to == ReportStatus.DUPLICATE:
        raise ValidationError({"status": _("Duid aan van welke melding dit een dubbel is.")})
    if to in (ReportStatus.NOT_OURS,) and not reason.strip():
        raise ValidationError({"reason": _("Zeg waarom dit niet onze bevoegdheid is.")})
    return _move(report, to, by=by, reason=reason)


@transaction.atomic
def mark_duplicate(*, report: Report, of: Report, by: User, reason: str = "") -> Report:
    """Merge: the report becomes a duplicate of `of` (linked, and the cases related)."""
    _require_municipality(by)
    if of.pk == report.pk:
        raise ValidationError({"duplicate_of": _("Een melding kan geen dubbel van zichzelf zijn.")})
    report = _lock(report)
    original = Report.objects.select_related("case").get(pk=of.pk)
    while original.duplicate_of_id is not None:  # always link to the first one
        original = Report.objects.select_related("case").get(pk=original.duplicate_of_id)
    if original.pk == report.pk:
        raise ValidationError({"duplicate_of": _("Die melding is zelf een dubbel van deze.")})
    report = _move(report, ReportStatus.DUPLICATE, by=by, reason=reason or original.case.number)
    report.duplicate_of = original
    report.save(update_fields=["duplicate_of", "updated_at"])
    record_change(
        instance=report,
        action=ChangeAction.UPDATE,
        changes={"duplicate_of": [None, original.case.number]},
        by=by,
    )
    relate_cases(case=report.case, other=original.case, by=by)
    return report


@transaction.atomic
def ask_reopen(*, report: Report, by: User, text: str, asked_at: dt.datetime | None = None) -> ReopenRequest:
    """The reporter asks (by mail, phone, at the counter) to reopen a resolved or closed report."""
    _require_municipality(by)
    if not text.strip():
        raise ValidationError({"text": _("Noteer waarom de melder ze opnieuw wil openen.")})
    report = _lock(report)
    if report.is_open:
        raise ValidationError(_("Deze melding is nog open."))
    if report.reopen_requests.filter(decided_at__isnull=True).exists():
        raise ValidationError(_("Er is al een vraag om heropening die op een beslissing wacht."))
    request = ReopenRequest.objects.create(
        report=report, text=text.strip(), asked_at=asked_at or timezone.now(), recorded_by=by
    )
    record_creation(instance=request, fields=["text"], by=by)
    if report.case.closed_at is None:
        add_case_note(
            case=report.case, by=by, text=_("Vraag om heropening: %(text)s") % {"text": text.strip()}
        )
    return request


@transaction.atomic
def decide_reopen(*, request: ReopenRequest, by: User, grant: bool, reason: str) -> ReopenRequest:
    """Grant (the report goes back to 'in behandeling'; a closed case is reopened) or refuse."""
    if not can_reopen_case(by):
        raise ValidationError(_("Je hebt geen toestemming om meldingen te heropenen."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden.")})
    request = ReopenRequest.objects.select_for_update().get(pk=request.pk)
    if request.decided_at is not None:
        raise ValidationError(_("Over deze vraag is al beslist."))
    report = _lock(request.report)
    if grant:
        if report.status == ReportStatus.CLOSED:
            if report.case.status_type.name != STATUS_TYPE_NAMES[ReportStatus.CLOSED]:
                raise ValidationError(_("Deze melding kan niet heropend worden."))
            case = reopen_case(case=report.case, by=by, reason=reason)
            report.status = _status_of(case)
            report.case = case
        if report.status != ReportStatus.RESOLVED:
            raise ValidationError(_("Alleen een opgeloste melding wordt heropend."))
        report = _move(report, ReportStatus.IN_PROGRESS, by=by, reason=reason)
    request.decided_at, request.decided_by, request.granted = timezone.now(), by, grant
    request.save(update_fields=["decided_at", "decided_by", "granted", "updated_at"])
    record_change(
        instance=request, action=ChangeAction.UPDATE, changes={"granted": [None, grant]}, by=by, reason=reason
    )
    return request


def _status_of(case: Case) -> str:
    from .workflow import STATUS_BY_TYPE_NAME

    return STATUS_BY_TYPE_NAME[case.status_type.name]


# --- work orders -----------------------------------------------------------------------------


def _forward(report: Report, *, by: User, reason: str) -> Report:
    message = write_message(
        sender=WORK_ORDER_SENDER,
        destination=f"work-order:{report.case.number}",
        payload={"report": report.pk, "kind": "create"},
    )
    report.send_state = SendState.PENDING
    report.work_order_message = message
    report.save(update_fields=["send_state", "work_order_message", "updated_at"])
    record_change(
        instance=report,
        action=ChangeAction.UPDATE,
        changes={"send_state": [SendState.NOT_SENT, SendState.PENDING]},
        by=by,
    )
    if report.status == ReportStatus.NEW:
        report = _move(report, ReportStatus.FORWARDED, by=by, reason=reason)
    return report


@transaction.atomic
def forward_report(*, report: Report, by: User, reason: str = "") -> Report:
    """Send the report to the technical services' work-order system (through the outbox)."""
    _require_municipality(by)
    report = _lock(report)
    if not work_orders_enabled():
        raise ValidationError(_("Er is geen werkorderbeheer ingesteld."))
    if not report.is_open:
        raise ValidationError(_("Een afgehandelde melding wordt niet meer doorgestuurd."))
    if report.send_state != SendState.NOT_SENT:
        raise ValidationError(_("Deze melding is al doorgestuurd."))
    return _forward(report, by=by, reason=reason or _("Doorgestuurd naar het werkorderbeheer."))


@transaction.atomic
def resend_work_order(*, report: Report, by: User) -> Report:
    """Put a work order that failed for good back in line (same report, fresh attempts)."""
    _require_municipality(by)
    report = _lock(report)
    if report.send_state != SendState.FAILED:
        raise ValidationError(_("Alleen een mislukte werkorder wordt opnieuw verstuurd."))
    message = report.work_order_message
    if message is not None and message.state == OutboxState.FAILED:
        resend(message=message)
    else:  # the failed message was pruned: a new one
        report.work_order_message = write_message(
            sender=WORK_ORDER_SENDER,
            destination=f"work-order:{report.case.number}",
            payload={"report": report.pk, "kind": "create"},
        )
    report.send_state = SendState.PENDING
    report.save(update_fields=["send_state", "work_order_message", "updated_at"])
    record_change(
        instance=report,
        action=ChangeAction.UPDATE,
        changes={"send_state": [SendState.FAILED, SendState.PENDING]},
        by=by,
        reason="resend",
    )
    return report


# --- what other apps ask of reports ----------------------------------------------------------


def move_reports_to_survivor(survivor: Party, duplicate: Party) -> int:
    """Party merge handler (parties.merging): the duplicate's reports are the survivor's."""
    return Report.objects.filter(reporter=duplicate).update(reporter=survivor)


def release_destroyed_case(case: Case, by: Any) -> int:
    """Case destruction handler (cases.registries): a destroyed report case takes its report with
    it (the report is part of the case's record); duplicates that pointed at it keep no link."""
    report = Report.objects.filter(case=case).first()
    if report is None:
        return 0
    Report.objects.filter(duplicate_of=report).update(duplicate_of=None)
    ReopenRequest.objects.filter(report=report).delete()
    report.delete()
    return 1
