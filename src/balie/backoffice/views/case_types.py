"""Beheer › Zaaktypes: the functional administrator defines case types without code.

One page per version: a draft is edited section by section (general settings, statuses with
their checklists and transitions, roles, attributes, results, document types) and published; a
published or retired version is shown read-only, with a button that prepares the next draft.
Every change is one action of balie.cases.catalogue; a refused change shows its message next to
the field and changes nothing. Each small form posts and redirects back to its section; with htmx
only the editor part of the page is swapped (same URL, same view, same HTML).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from balie.accounts.permissions import can_manage_catalogue
from balie.cases import catalogue
from balie.cases.catalogue import check_complete
from balie.cases.models import (
    AttributeKind,
    CaseTypeVersion,
    ChecklistItemType,
    StatusType,
    VersionState,
)
from balie.cases.queries import catalogue as all_case_types
from balie.cases.queries import get_version, status_types_of

from ..access import EmployeeRequest, permission_required
from ..forms.case_types import (
    AttributeForm,
    ChecklistItemForm,
    DocumentTypeForm,
    NewCaseTypeForm,
    NewStatusForm,
    ResultTypeForm,
    RoleTypeForm,
    StatusForm,
    TransitionsForm,
    VersionForm,
)
from ..forms.common import add_domain_errors

admin_required = permission_required(can_manage_catalogue)

PLACEHOLDERS = [
    ("{{ zaak.nummer }}", gettext_lazy("het zaaknummer, bv. C2026-000123")),
    ("{{ zaak.onderwerp }}", gettext_lazy("het onderwerp van de zaak")),
    ("{{ zaak.status }}", gettext_lazy("de naam van deze status")),
    ("{{ zaak.termijn }}", gettext_lazy("de uiterste datum (dd/mm/jjjj)")),
    ("{{ zaak.zaaktype }}", gettext_lazy("de naam van het zaaktype")),
    ("{{ zaak.dienst }}", gettext_lazy("de dienst die de zaak behandelt")),
    ("{{ klant.naam }}", gettext_lazy("de naam van de klant")),
    ("{{ gemeente }}", gettext_lazy("de naam van de gemeente")),
]


# -- the list and a new case type -----------------------------------------------------------------


@require_GET
@admin_required
def case_type_list(request: EmployeeRequest) -> HttpResponse:
    rows = []
    for case_type in all_case_types():
        versions = sorted(case_type.versions.all(), key=lambda v: v.number, reverse=True)
        in_force = next((v for v in versions if v.state == VersionState.PUBLISHED), None)
        draft = next((v for v in versions if v.state == VersionState.DRAFT), None)
        rows.append(
            {
                "case_type": case_type,
                "in_force": in_force,
                "draft": draft,
                "open": draft or in_force or versions[0],
            }
        )
    return render(request, "backoffice/manage/case_types/list.html", {"rows": rows})


@admin_required
def case_type_create(request: EmployeeRequest) -> HttpResponse:
    form = NewCaseTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = catalogue.create_case_type(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("Het zaaktype is aangemaakt. Werk het ontwerp af en publiceer het om het te gebruiken."),
            )
            return redirect("backoffice:manage_case_type_version", uuid=draft.uuid)
    return render(request, "backoffice/manage/case_types/new.html", {"form": form})


# -- one version: the editor (draft) or the read-only view ----------------------------------------


def _date_attributes(version: CaseTypeVersion) -> list[tuple[str, str]]:
    return [
        (attribute.code, f"{attribute.label} ({attribute.code})")
        for attribute in version.attributes.all()
        if attribute.kind == AttributeKind.DATE
    ]


def _editor(
    request: EmployeeRequest,
    version: CaseTypeVersion,
    bound: dict[str, forms.Form] | None = None,
    *,
    publish_refused: bool = False,
) -> HttpResponse:
    """The version page; `bound` holds the one form that was just refused, with its errors."""
    bound = bound or {}
    statuses = status_types_of(version)
    editable = version.state == VersionState.DRAFT
    context: dict[str, Any] = {
        "version": version,
        "case_type": version.case_type,
        "editable": editable,
        "statuses": statuses,
        "versions": list(version.case_type.versions.order_by("-number")),
        "roles": list(version.role_types.all()),
        "attributes": list(version.attributes.all()),
        "results": list(version.result_types.all()),
        "document_types": list(version.document_types.all()),
        "publish_refused": publish_refused,
    }
    if editable:
        context["problems"] = check_complete(version)
        context["general_form"] = bound.get("general") or VersionForm(
            initial=VersionForm.initial_for(version), version=version
        )
        context["status_form"] = bound.get("status") or NewStatusForm(prefix="status")
        context["role_form"] = bound.get("role") or RoleTypeForm(prefix="role")
        context["attribute_form"] = bound.get("attribute") or AttributeForm(prefix="attribute")
        context["result_form"] = bound.get("result") or ResultTypeForm(
            prefix="result", date_attributes=_date_attributes(version)
        )
        context["document_form"] = bound.get("document") or DocumentTypeForm(prefix="document")
        context["status_rows"] = [
            {
                "status": status,
                "checklist_form": bound.get(f"checklist-{status.pk}")
                or ChecklistItemForm(prefix=f"checklist-{status.pk}", status=status),
                "transitions_form": bound.get(f"next-{status.pk}")
                or TransitionsForm(
                    prefix=f"next-{status.pk}",
                    status=status,
                    siblings=statuses,
                    initial={"next_statuses": [other.pk for other in status.next_statuses.all()]},
                ),
            }
            for status in statuses
        ]
    else:
        for form in bound.values():  # a change refused because this version is no draft (any more)
            for message in form.non_field_errors():
                messages.error(request, str(message))
        context["status_rows"] = [{"status": status} for status in statuses]
        context["draft"] = next((v for v in context["versions"] if v.state == VersionState.DRAFT), None)
    return render(request, "backoffice/manage/case_types/version.html", context)


def _back(version: CaseTypeVersion, section: str) -> HttpResponse:
    """Back to the version page, at the section that changed."""
    return redirect(reverse("backoffice:manage_case_type_version", args=[version.uuid]) + f"#{section}")


def _status_of(version: CaseTypeVersion, pk: int) -> StatusType:
    try:
        return version.status_types.get(pk=pk)
    except StatusType.DoesNotExist:
        raise Http404 from None


@require_GET
@admin_required
def version_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _editor(request, get_version(uuid))


@require_POST
@admin_required
def version_update(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_version(uuid)
    form = VersionForm(request.POST, version=version)
    if form.is_valid():
        try:
            catalogue.update_version(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De algemene instellingen zijn bewaard."))
            return _back(version, "algemeen")
    version.refresh_from_db()  # a refused change leaves nothing behind, not even on this object
    return _editor(request, version, {"general": form})


@require_POST
@admin_required
def status_add(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_version(uuid)
    form = NewStatusForm(request.POST, prefix="status")
    if form.is_valid():
        try:
            status = catalogue.add_status_type(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De status „%(name)s” is toegevoegd.") % {"name": status.name})
            return _back(version, "statussen")
    return _editor(request, version, {"status": form})


@admin_required
def status_edit(request: EmployeeRequest, uuid: uuid.UUID, pk: int) -> HttpResponse:
    """The status's own page: its name and the message to the customer, per language."""
    version = get_version(uuid)
    status = _status_of(version, pk)
    form = StatusForm(request.POST or None, initial=StatusForm.initial_for(status))
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.update_status_type(status=status, by=request.user, **form.action_data())
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De status „%(name)s” is bewaard.") % {"name": status.name})
            return _back(version, f"status-{status.pk}")
        status.refresh_from_db()
    context = {
        "version": version,
        "status": status,
        "form": form,
        "editable": version.state == VersionState.DRAFT,
        "placeholders": PLACEHOLDERS,
    }
    return render(request, "backoffice/manage/case_types/status.html", context)


@require_POST
@admin_required
def status_move(request: EmployeeRequest, uuid: uuid.UUID, pk: int) -> HttpResponse:
    version = get_version(uuid)
    status = _status_of(version, pk)
    try:
        catalogue.move_status_type(status=status, by=request.user, up=request.POST.get("richting") == "op")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return _back(version, f"status-{status.pk}")


@require_POST
@admin_required
def status_transitions(request: EmployeeRequest, uuid: uuid.UUID, pk: int) -> HttpResponse:
    version = get_version(uuid)
    status = _status_of(version, pk)
    form = TransitionsForm(
        request.POST, prefix=f"next-{status.pk}", status=status, siblings=status_types_of(version)
    )
    if form.is_valid():
        try:
            catalogue.set_transitions(
                status=status, by=request.user, next_statuses=list(form.cleaned_data["next_statuses"])
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request, _("De overgangen vanuit „%(name)s” zijn bewaard.") % {"name": status.name}
            )
            return _back(version, f"status-{status.pk}")
    return _editor(request, version, {f"next-{status.pk}": form})


@require_POST
@admin_required
def checklist_add(request: EmployeeRequest, uuid: uuid.UUID, pk: int) -> HttpResponse:
    version = get_version(uuid)
    status = _status_of(version, pk)
    form = ChecklistItemForm(request.POST, prefix=f"checklist-{status.pk}", status=status)
    if form.is_valid():
        try:
            catalogue.add_checklist_item(status=status, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De taak is toegevoegd aan „%(name)s”.") % {"name": status.name})
            return _back(version, f"status-{status.pk}")
    return _editor(request, version, {f"checklist-{status.pk}": form})


def _add_part(
    request: EmployeeRequest,
    version: CaseTypeVersion,
    form: Any,
    *,
    key: str,
    add: Callable[..., Any],
    data: dict[str, Any] | None,
    done: str,
    section: str,
) -> HttpResponse:
    """Add one part (role, attribute, result, document type) to a draft through `add`; errors
    go back to the form on the editor."""
    if form.is_valid():
        try:
            add(version=version, by=request.user, **(data if data is not None else form.cleaned_data))
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return _back(version, section)
    return _editor(request, version, {key: form})


@require_POST
@admin_required
def role_add(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_version(uuid)
    form = RoleTypeForm(request.POST, prefix="role")
    return _add_part(
        request, version, form, key="role", add=catalogue.add_role_type, data=None,
        done=_("De rol is toegevoegd."), section="rollen",
    )  # fmt: skip


@require_POST
@admin_required
def attribute_add(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_version(uuid)
    form = AttributeForm(request.POST, prefix="attribute")
    return _add_part(
        request, version, form, key="attribute", add=catalogue.add_attribute,
        data=form.action_data() if form.is_valid() else None,
        done=_("Het kenmerk is toegevoegd."), section="kenmerken",
    )  # fmt: skip


@require_POST
@admin_required
def result_add(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_version(uuid)
    form = ResultTypeForm(request.POST, prefix="result", date_attributes=_date_attributes(version))
    return _add_part(
        request, version, form, key="result", add=catalogue.add_result_type, data=None,
        done=_("Het resultaat is toegevoegd."), section="resultaten",
    )  # fmt: skip


@require_POST
@admin_required
def document_type_add(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_version(uuid)
    form = DocumentTypeForm(request.POST, prefix="document")
    return _add_part(
        request, version, form, key="document", add=catalogue.add_document_type, data=None,
        done=_("Het documenttype is toegevoegd."), section="documenttypes",
    )  # fmt: skip


# The parts a draft can lose, by the word in the URL: (rows of this version, section to return to)
def _parts(version: CaseTypeVersion) -> dict[str, tuple[QuerySet[Any], str]]:
    return {
        "statussen": (version.status_types.all(), "statussen"),
        "taken": (ChecklistItemType.objects.filter(status_type__version=version), "statussen"),
        "rollen": (version.role_types.all(), "rollen"),
        "kenmerken": (version.attributes.all(), "kenmerken"),
        "resultaten": (version.result_types.all(), "resultaten"),
        "documenttypes": (version.document_types.all(), "documenttypes"),
    }


@require_POST
@admin_required
def part_remove(request: EmployeeRequest, uuid: uuid.UUID, part: str, pk: int) -> HttpResponse:
    version = get_version(uuid)
    parts = _parts(version)
    if part not in parts:
        raise Http404
    rows, section = parts[part]
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404
    name = str(row)
    try:
        catalogue.remove_part(part=row, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("„%(name)s” is verwijderd.") % {"name": name})
    return _back(version, section)


@require_POST
@admin_required
def version_publish(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_version(uuid)
    try:
        catalogue.publish_version(version=version, by=request.user)
    except ValidationError as error:
        if version.state != VersionState.DRAFT or not check_complete(version):
            for message in error.messages:  # not a draft (any more): nothing to show in the editor
                messages.error(request, message)
            return _back(version, "top")
        return _editor(request, version, publish_refused=True)
    messages.success(
        request,
        _(
            "Versie %(number)s is gepubliceerd: nieuwe zaken volgen deze versie. Lopende zaken houden "
            "de versie waarmee ze begonnen."
        )
        % {"number": version.number},
    )
    return _back(version, "top")


@require_POST
@admin_required
def version_start_draft(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_version(uuid)
    try:
        draft = catalogue.start_draft(case_type=version.case_type, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(version, "top")
    messages.success(
        request,
        _("Versie %(number)s is klaar om te bewerken; de versie in gebruik blijft gelden tot u publiceert.")
        % {"number": draft.number},
    )
    return redirect("backoffice:manage_case_type_version", uuid=draft.uuid)
