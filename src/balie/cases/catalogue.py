"""Editing the case-type catalogue: drafts, their parts, publishing.

Only a draft version is edited. `start_draft` copies the version in force (statuses with their
transitions and checklists, roles, attributes, results, document types); `publish_version`
checks the draft is complete and puts it in force, retiring the previous version in the same
transaction. Running cases keep pointing at the version they started with.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import can_manage_catalogue
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction

from .models import (
    AttributeDefinition,
    AttributeKind,
    CaseType,
    CaseTypeVersion,
    ChecklistItemType,
    DocumentType,
    ResultType,
    RetentionStart,
    RoleKind,
    RoleType,
    StatusType,
    VersionState,
)

VERSION_FIELDS = [
    "name",
    "description",
    "department",
    "lead_time_days",
    "lead_time_unit",
    "reminder_days",
    "suspension_allowed",
    "max_suspension_days",
    "extension_allowed",
    "max_extension_days",
    "confidential",
    "assignment_rule",
    "assignment_team",
    "e_service",
    "e_service_intro",
]
MESSAGE_LANGUAGES = ("nl", "fr", "en")


def _require_admin(by: User) -> None:
    if not can_manage_catalogue(by):
        raise ValidationError(_("Alleen een functioneel beheerder kan zaaktypes beheren."))


def _require_draft(version: CaseTypeVersion) -> None:
    if version.state != VersionState.DRAFT:
        raise ValidationError(
            _("Alleen een ontwerpversie kan gewijzigd worden. Maak eerst een nieuwe versie.")
        )


def _clean(instance: models.Model, exclude: list[str]) -> None:
    instance.full_clean(exclude=exclude, validate_unique=False)


@transaction.atomic
def create_case_type(*, code: str, name: str, department: Department, by: User) -> CaseTypeVersion:
    """A new case type with its first (draft) version; returns the draft."""
    _require_admin(by)
    if CaseType.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Er bestaat al een zaaktype met deze code.")})
    case_type = CaseType(code=code, name=name.strip(), department=department)
    _clean(case_type, ["department"])
    case_type.save()
    version = CaseTypeVersion(case_type=case_type, number=1, name=case_type.name, department=department)
    _clean(version, ["case_type", "department", "assignment_team"])
    version.save()
    record_creation(instance=case_type, fields=["code", "name", "department"], by=by)
    return version


@transaction.atomic
def update_version(*, version: CaseTypeVersion, by: User, **data: Any) -> CaseTypeVersion:
    _require_admin(by)
    _require_draft(version)
    unknown = set(data) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(version, VERSION_FIELDS)
    for key, value in data.items():
        setattr(version, key, value)
    errors: dict[str, str] = {}
    if version.assignment_team is not None and version.assignment_team.department_id != version.department_id:
        errors["assignment_team"] = _("Dit team hoort niet bij de verantwoordelijke dienst.")
    if version.suspension_allowed is False:
        version.max_suspension_days = 0
    if version.extension_allowed and not version.max_extension_days:
        errors["max_extension_days"] = _("Geef aan met hoeveel dagen een zaak verlengd mag worden.")
    if not version.extension_allowed:
        version.max_extension_days = 0
    if errors:
        raise ValidationError(errors)
    _clean(version, ["case_type", "department", "assignment_team"])
    version.save()
    record_change(
        instance=version,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(version, VERSION_FIELDS)),
        by=by,
    )
    return version


def _clean_messages(messages: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    from .tasks import render_message  # the engine lives with its only user

    result: dict[str, dict[str, str]] = {}
    for lang, message in (messages or {}).items():
        if lang not in MESSAGE_LANGUAGES:
            raise ValidationError({"messages": _("Onbekende taal '%(lang)s'.") % {"lang": lang}})
        subject = str((message or {}).get("subject") or "").strip()
        body = str((message or {}).get("body") or "").strip()
        if not subject and not body:
            continue
        if not subject or not body:
            raise ValidationError({f"subject_{lang}": _("Vul zowel het onderwerp als de tekst in.")})
        if len(subject) > 200 or len(body) > 5000:
            raise ValidationError({f"body_{lang}": _("Het bericht is te lang.")})
        try:  # a template that does not render is refused now, not when the customer should get it
            render_message(subject + "\n" + body, {"zaak": {}, "klant": {}, "gemeente": ""})
        except Exception as error:  # noqa: BLE001 - any template error is the administrator's to fix
            raise ValidationError(
                {f"body_{lang}": _("De sjabloontekst klopt niet: %(error)s") % {"error": error}}
            ) from None
        result[lang] = {"subject": subject, "body": body}
    return result


@transaction.atomic
def add_status_type(
    *,
    version: CaseTypeVersion,
    by: User,
    name: str,
    informs_customer: bool = False,
    messages: dict[str, Any] | None = None,
) -> StatusType:
    """Append a status at the end; the previous last status may go to it (edit with set_transitions)."""
    _require_admin(by)
    _require_draft(version)
    cleaned = _clean_messages(messages)
    if informs_customer and "nl" not in cleaned:
        raise ValidationError({"subject_nl": _("Schrijf minstens het Nederlandse bericht voor de klant.")})
    last = version.status_types.order_by("-order").first()
    status = StatusType(
        version=version,
        order=(last.order + 1) if last else 1,
        name=name.strip(),
        informs_customer=informs_customer,
        messages=cleaned,
    )
    _clean(status, ["version"])
    if version.status_types.filter(name__iexact=status.name).exists():
        raise ValidationError({"name": _("Er is al een status met deze naam.")})
    status.save()
    if last is not None:
        last.next_statuses.add(status)
    return status


@transaction.atomic
def update_status_type(
    *, status: StatusType, by: User, name: str, informs_customer: bool, messages: dict[str, Any] | None
) -> StatusType:
    _require_admin(by)
    _require_draft(status.version)
    cleaned = _clean_messages(messages)
    if informs_customer and "nl" not in cleaned:
        raise ValidationError({"subject_nl": _("Schrijf minstens het Nederlandse bericht voor de klant.")})
    if status.version.status_types.filter(name__iexact=name.strip()).exclude(pk=status.pk).exists():
        raise ValidationError({"name": _("Er is al een status met deze naam.")})
    status.name = name.strip()
    status.informs_customer = informs_customer
    status.messages = cleaned
    _clean(status, ["version"])
    status.save()
    return status


@transaction.atomic
def set_transitions(*, status: StatusType, by: User, next_statuses: list[StatusType]) -> StatusType:
    _require_admin(by)
    _require_draft(status.version)
    for other in next_statuses:
        if other.version_id != status.version_id or other.pk == status.pk:
            raise ValidationError({"next_statuses": _("Kies andere statussen van dit zaaktype.")})
    status.next_statuses.set(next_statuses)
    return status


@transaction.atomic
def move_status_type(*, status: StatusType, by: User, up: bool) -> None:
    """Swap a status with its neighbour (the order decides which one is the end status)."""
    _require_admin(by)
    _require_draft(status.version)
    siblings = status.version.status_types.order_by("order")
    neighbour = (
        siblings.filter(order__lt=status.order).order_by("-order").first()
        if up
        else siblings.filter(order__gt=status.order).first()
    )
    if neighbour is None:
        return
    top = (siblings.aggregate(top=Max("order"))["top"] or 0) + 1
    mine, theirs = status.order, neighbour.order
    StatusType.objects.filter(pk=status.pk).update(order=top)
    StatusType.objects.filter(pk=neighbour.pk).update(order=mine)
    StatusType.objects.filter(pk=status.pk).update(order=theirs)


@transaction.atomic
def remove_part(*, part: models.Model, by: User) -> None:
    """Remove a status, checklist item, role, attribute, result or document type from a draft."""
    _require_admin(by)
    version = part.status_type.version if isinstance(part, ChecklistItemType) else part.version  # type: ignore[attr-defined]
    _require_draft(version)
    if isinstance(part, AttributeDefinition):
        # a result's retention would silently start from the closing date instead
        users = version.result_types.filter(retention_attribute=part.code).values_list("name", flat=True)
        if users:
            raise ValidationError(
                _("Het resultaat '%(name)s' telt de bewaartermijn vanaf dit kenmerk; pas dat eerst aan.")
                % {"name": users[0]}
            )
    part.delete()


@transaction.atomic
def add_checklist_item(
    *, status: StatusType, by: User, description: str, required: bool = True
) -> ChecklistItemType:
    _require_admin(by)
    _require_draft(status.version)
    last = status.checklist.aggregate(top=Max("order"))["top"] or 0
    item = ChecklistItemType(
        status_type=status, description=description.strip(), required=required, order=last + 1
    )
    _clean(item, ["status_type"])
    item.save()
    return item


@transaction.atomic
def add_role_type(*, version: CaseTypeVersion, by: User, kind: str, name: str) -> RoleType:
    _require_admin(by)
    _require_draft(version)
    if version.role_types.filter(kind=kind).exists():
        raise ValidationError({"kind": _("Deze rol bestaat al in dit zaaktype.")})
    role = RoleType(version=version, kind=kind, name=name.strip())
    _clean(role, ["version"])
    role.save()
    return role


@transaction.atomic
def add_attribute(
    *,
    version: CaseTypeVersion,
    by: User,
    code: str,
    label: str,
    kind: str,
    required: bool = False,
    help_text: str = "",
    choices: list[str] | None = None,
    min_value: Any = None,
    max_value: Any = None,
    max_length: int = 500,
) -> AttributeDefinition:
    _require_admin(by)
    _require_draft(version)
    cleaned_choices = [str(choice).strip() for choice in (choices or []) if str(choice).strip()]
    errors: dict[str, str] = {}
    if version.attributes.filter(code=code).exists():
        errors["code"] = _("Er is al een kenmerk met deze code.")
    if kind == AttributeKind.CHOICE and len(cleaned_choices) < 2:
        errors["choices"] = _("Geef minstens twee keuzes, één per regel.")
    if kind != AttributeKind.CHOICE:
        cleaned_choices = []
    if min_value is not None and max_value is not None and min_value > max_value:
        errors["max_value"] = _("Het maximum is kleiner dan het minimum.")
    if errors:
        raise ValidationError(errors)
    last = version.attributes.aggregate(top=Max("order"))["top"] or 0
    attribute = AttributeDefinition(
        version=version,
        order=last + 1,
        code=code,
        label=label.strip(),
        kind=kind,
        required=required,
        help_text=help_text.strip(),
        choices=cleaned_choices,
        min_value=min_value if kind == AttributeKind.NUMBER else None,
        max_value=max_value if kind == AttributeKind.NUMBER else None,
        max_length=max_length,
    )
    _clean(attribute, ["version"])
    attribute.save()
    return attribute


@transaction.atomic
def add_result_type(
    *,
    version: CaseTypeVersion,
    by: User,
    name: str,
    archival_nomination: str,
    retention_years: int,
    retention_start: str = RetentionStart.CLOSED,
    retention_attribute: str = "",
) -> ResultType:
    _require_admin(by)
    _require_draft(version)
    if retention_start == RetentionStart.ATTRIBUTE:
        if not version.attributes.filter(code=retention_attribute, kind=AttributeKind.DATE).exists():
            raise ValidationError({"retention_attribute": _("Kies een datumkenmerk van dit zaaktype.")})
    else:
        retention_attribute = ""
    result = ResultType(
        version=version,
        name=name.strip(),
        archival_nomination=archival_nomination,
        retention_years=retention_years,
        retention_start=retention_start,
        retention_attribute=retention_attribute,
    )
    _clean(result, ["version"])
    result.save()
    return result


@transaction.atomic
def add_document_type(
    *, version: CaseTypeVersion, by: User, name: str, direction: str, confidential: bool = False
) -> DocumentType:
    _require_admin(by)
    _require_draft(version)
    document_type = DocumentType(
        version=version, name=name.strip(), direction=direction, confidential=confidential
    )
    _clean(document_type, ["version"])
    document_type.save()
    return document_type


def check_complete(version: CaseTypeVersion) -> list[str]:
    """What still stops this version from being published (empty when it can be)."""
    problems: list[str] = []
    statuses = list(version.status_types.order_by("order").prefetch_related("next_statuses"))
    if len(statuses) < 2:
        problems.append(_("Geef minstens twee statussen (de laatste sluit de zaak af)."))
    if not version.result_types.exists():
        problems.append(_("Geef minstens één resultaat, met zijn archiefregel."))
    if len(statuses) >= 2:
        end = statuses[-1]
        reachable = {statuses[0].pk}
        frontier = [statuses[0]]
        by_pk = {status.pk: status for status in statuses}
        while frontier:
            current = frontier.pop()
            for nxt in current.next_statuses.all():
                if nxt.pk not in reachable and nxt.pk in by_pk:
                    reachable.add(nxt.pk)
                    frontier.append(by_pk[nxt.pk])
        if end.pk not in reachable:
            problems.append(
                _("De laatste status '%(name)s' is vanaf de eerste niet te bereiken.") % {"name": end.name}
            )
        for status in statuses[:-1]:
            if status.pk in reachable and not status.next_statuses.all():
                problems.append(_("Vanuit '%(name)s' kan de zaak nergens heen.") % {"name": status.name})
        if end.next_statuses.all():
            problems.append(_("De laatste status sluit de zaak af en heeft geen volgende status."))
    kinds = set(version.role_types.values_list("kind", flat=True))
    if kinds and RoleKind.INITIATOR not in kinds and any(status.informs_customer for status in statuses):
        problems.append(_("Een status informeert de klant, maar het zaaktype kent geen rol 'aanvrager'."))
    for status in statuses:
        if status.informs_customer and not (status.messages or {}).get("nl"):
            problems.append(
                _("Status '%(name)s' informeert de klant maar heeft geen bericht.") % {"name": status.name}
            )
    return problems


@transaction.atomic
def publish_version(*, version: CaseTypeVersion, by: User) -> CaseTypeVersion:
    """Put a complete draft in force; the version in force until now is retired."""
    _require_admin(by)
    version = CaseTypeVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    problems = check_complete(version)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    CaseTypeVersion.objects.filter(case_type_id=version.case_type_id, state=VersionState.PUBLISHED).update(
        state=VersionState.RETIRED, retired_at=now
    )
    version.state = VersionState.PUBLISHED
    version.published_at = now
    version.save(update_fields=["state", "published_at", "updated_at"])
    CaseType.objects.filter(pk=version.case_type_id).update(name=version.name, department=version.department)
    record_change(
        instance=version, action=ChangeAction.UPDATE, changes={"state": ["draft", "published"]}, by=by
    )
    return version


@transaction.atomic
def start_draft(*, case_type: CaseType, by: User) -> CaseTypeVersion:
    """A new draft, copied from the version in force (or the newest one)."""
    _require_admin(by)
    source = (
        case_type.versions.filter(state=VersionState.PUBLISHED).first()
        or case_type.versions.order_by("-number").first()
    )
    if case_type.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(_("Er is al een ontwerpversie; werk die verder af."))
    assert source is not None
    number = (case_type.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = CaseTypeVersion.objects.get(pk=source.pk)
    draft.pk = None
    draft.id = None
    draft._state.adding = True
    draft.uuid = CaseTypeVersion._meta.get_field("uuid").get_default()
    draft.number = number
    draft.state = VersionState.DRAFT
    draft.published_at = None
    draft.retired_at = None
    try:
        draft.save()
    except IntegrityError:
        raise ValidationError(_("Er is al een ontwerpversie; werk die verder af.")) from None
    status_map: dict[int, StatusType] = {}
    for status in source.status_types.order_by("order"):
        old_pk = status.pk
        copy = StatusType.objects.create(
            version=draft,
            order=status.order,
            name=status.name,
            informs_customer=status.informs_customer,
            messages=status.messages,
        )
        status_map[old_pk] = copy
        ChecklistItemType.objects.bulk_create(
            ChecklistItemType(
                status_type=copy, order=item.order, description=item.description, required=item.required
            )
            for item in ChecklistItemType.objects.filter(status_type_id=old_pk)
        )
    for old_pk, copy in status_map.items():
        targets = StatusType.objects.get(pk=old_pk).next_statuses.values_list("pk", flat=True)
        copy.next_statuses.set([status_map[pk] for pk in targets])
    _copy_rows(RoleType.objects.filter(version=source), draft)
    _copy_rows(AttributeDefinition.objects.filter(version=source), draft)
    _copy_rows(ResultType.objects.filter(version=source), draft)
    _copy_rows(DocumentType.objects.filter(version=source), draft)
    record_creation(instance=draft, fields=["number"], by=by)
    return draft


def _copy_rows(rows: models.QuerySet[Any], draft: CaseTypeVersion) -> None:
    copies = []
    for row in rows:
        row.pk = None
        row.version = draft
        copies.append(row)
    rows.model.objects.bulk_create(copies)
