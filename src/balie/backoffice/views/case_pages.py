"""The case page: header, checklist, parties, attributes, notes, timeline, linked contacts and
related cases, with the actions the employee may take now (see case_actions.py for the posts)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from balie.accounts.permissions import can_assign_cases, can_change_deadline, can_reopen_case
from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.cases.models import AttributeKind, Case, CaseDocument, CaseRole, attribute_value_label
from balie.cases.queries import case_documents, case_parties, case_timeline, cases_for, get_case_for
from balie.cases.workflow import allowed_next, end_status
from balie.contact_moments.queries import contact_moments_for
from balie.parties.models import Party, PartyKind
from balie.parties.queries import parties_for, search_parties

from ..access import EmployeeRequest, employee_required
from ..forms.case_attributes import SEARCH_KEY, AttributeForm, is_uuid
from ..forms.cases import (
    AddPartyForm,
    AssignForm,
    AttachDocumentForm,
    CloseForm,
    DeadlineForm,
    DocumentVersionForm,
    ExtendForm,
    NoteForm,
    ReasonForm,
    RelateForm,
    StatusForm,
    version_form_key,
)

CONTACTS_ON_PAGE = 20
RELATED_ON_PAGE = 50
MAX_QUERY_LENGTH = 100
_FIELD_NAME = re.compile(r"^[\w-]{1,80}$")


def log_person_accesses(request: EmployeeRequest, parties: list[Party]) -> None:
    """Persons named with their details on a case page or in a picker leave a trace."""
    log_personal_data_accesses(
        by=request.user,
        subject_uuids=[p.uuid for p in parties if p.kind == PartyKind.PERSON],
        subject_type=PartyKind.PERSON,
        channel=AccessChannel.PAGE,
        location=request.path,
    )


def available_actions(user: Any, case: Case) -> dict[str, Any]:
    """What the page offers for this case and this employee now. The actions check it all again."""
    is_open = case.closed_at is None
    version = case.version
    next_statuses = allowed_next(case)
    end = end_status(case.version_id) if is_open else None
    return {
        "statuses": [s for s in next_statuses if end is None or s.pk != end.pk],
        "close": end is not None and any(s.pk == end.pk for s in next_statuses),
        "reopen": not is_open and can_reopen_case(user),
        "suspend": is_open and version.suspension_allowed and case.suspended_since is None,
        "resume": is_open and case.suspended_since is not None,
        "extend": is_open and version.extension_allowed and not case.extended_days,
        "deadline": is_open and can_change_deadline(user),
        "assign": is_open and can_assign_cases(user),
        "take": is_open
        and case.handler_id is None
        and case.department_id == user.department_id
        and not can_assign_cases(user),
        "give_back": is_open and case.handler_id == user.pk and not can_assign_cases(user),
        "party": is_open,
        "attributes": is_open,
        "documents": is_open,
    }


def action_forms(case: Case, offered: dict[str, Any]) -> dict[str, forms.Form]:
    """The empty forms of the actions on offer, each with its own prefix (one page, many forms)."""
    version = case.version
    built: dict[str, forms.Form] = {"note": NoteForm(), "relate": RelateForm()}
    if offered["statuses"]:
        built["status"] = StatusForm(allowed=offered["statuses"])
    if offered["close"]:
        built["close"] = CloseForm(version=version)
    if offered["reopen"]:
        built["reopen"] = ReasonForm(prefix="heropenen")
    if offered["suspend"]:
        built["suspend"] = ReasonForm(prefix="opschorten")
    if offered["extend"]:
        built["extend"] = ExtendForm(version=version)
    if offered["deadline"]:
        built["deadline"] = DeadlineForm(initial={"deadline": case.deadline})
    if offered["assign"]:
        built["assign"] = AssignForm(
            initial={
                "department": case.department.uuid,
                "team": case.team.uuid if case.team else None,
                "handler": case.handler.uuid if case.handler else None,
            }
        )
    if offered["party"]:
        built["party"] = AddPartyForm(version=version)
    if offered["attributes"]:
        built["attributes"] = AttributeForm(
            definitions=version.attributes.all(), initial=dict(case.attributes or {})
        )
    if offered["documents"]:
        built["document"] = AttachDocumentForm(version=version)
    return built


def document_rows(
    user: Any, case: Case, offered: dict[str, Any], bound: dict[str, forms.Form]
) -> list[CaseDocument]:
    """The case's documents the employee may see, each with its form for a new version."""
    rows = case_documents(case, user=user)
    for row in rows:
        key = version_form_key(row.document)
        form = bound.get(key)
        if form is None and offered["documents"]:
            form = DocumentVersionForm(document=row.document)
        row.version_form = form  # type: ignore[attr-defined]
    return rows


def _attribute_rows(request: EmployeeRequest, case: Case) -> list[dict[str, Any]]:
    """Every attribute of the case's version, labelled, with its value as people read it."""
    definitions = list(case.version.attributes.all())
    values = case.attributes or {}
    party_ids = [
        str(values.get(d.code))
        for d in definitions
        if d.kind == AttributeKind.PARTY and is_uuid(str(values.get(d.code, "")))
    ]
    found = parties_for(request.user).filter(uuid__in=party_ids) if party_ids else []
    parties = {str(p.uuid): p for p in found}
    rows = []
    for definition in definitions:
        value = values.get(definition.code)
        row: dict[str, Any] = {"definition": definition, "text": attribute_value_label(definition, value)}
        if definition.kind == AttributeKind.PARTY and value:
            row["party"] = parties.get(str(value))
        elif definition.kind == AttributeKind.ADDRESS and isinstance(value, dict):
            row["text"] = address_text(value)
        elif definition.kind == AttributeKind.DATE and value:
            row["date"] = value
        rows.append(row)
    return rows


def address_text(value: dict[str, Any]) -> str:
    """An address attribute as it is written: "Kerkstraat 12 bus 3, 2640 Mortsel". (The stored
    dict's key order is not kept by PostgreSQL's jsonb, so it is put in order here.)"""
    street = " ".join(str(value.get(key) or "") for key in ("street", "house_number") if value.get(key))
    if value.get("box"):
        street += " " + _("bus %(box)s") % {"box": value["box"]}
    town = " ".join(str(value.get(key) or "") for key in ("postcode", "municipality") if value.get(key))
    return ", ".join(part for part in (street, town) if part)


def case_page(
    request: EmployeeRequest,
    case: Case,
    *,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """The whole case page; `bound` holds a form that came back with errors (shown open)."""
    user = request.user
    offered = available_actions(user, case)
    page_forms = action_forms(case, offered)
    page_forms.update(bound or {})
    roles: list[CaseRole] = case_parties(case)
    shown_parties = [role.party for role in roles]
    for form in page_forms.values():
        prepare = getattr(form, "prepare_pickers", None)
        if prepare is not None:
            shown_parties += prepare(user, form.data if getattr(form, "preview", False) else None)
    log_person_accesses(request, shown_parties)
    visible = cases_for(user).select_related("case_type", "status_type")
    context = {
        "case": case,
        "offered": offered,
        "forms": page_forms,
        "open_form": next(iter(bound), "") if bound else "",
        "tasks": list(case.tasks.filter(status_type=case.status_type).select_related("done_by")),
        "roles": roles,
        "attributes": _attribute_rows(request, case),
        "notes": list(case.notes.select_related("author")[:50]),
        "events": case_timeline(request.user, case),
        "documents": document_rows(user, case, offered, bound or {}),
        "contact_moments": list(
            contact_moments_for(user)
            .filter(case=case)
            .select_related("party", "topic", "employee")
            .order_by("-registered_at", "-id")[:CONTACTS_ON_PAGE]
        ),
        "parent": visible.filter(pk=case.parent_id).first() if case.parent_id else None,
        "sub_cases": list(visible.filter(parent=case).order_by("-registered_at")[:RELATED_ON_PAGE]),
        "related": list(
            visible.filter(Q(relations_out__other=case) | Q(relations_in__case=case))
            .distinct()
            .order_by("-registered_at")[:RELATED_ON_PAGE]
        ),
    }
    return render(request, "backoffice/cases/detail.html", context)


@require_GET
@employee_required
def case_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    return case_page(request, case)


@require_GET
@employee_required
def case_party_search(request: EmployeeRequest) -> HttpResponse:
    """The results of a party picker while one types (htmx): radio buttons named after the field."""
    name = request.GET.get("veld", "")
    if not _FIELD_NAME.match(name):
        raise Http404
    query = request.GET.get(f"{name}-zoek", "").strip()[:MAX_QUERY_LENGTH]
    results = search_parties(request.user, query) if query else []
    log_person_accesses(request, results)
    context = {"name": name, "results": results, "searched": bool(query), "search_key": SEARCH_KEY}
    return render(request, "backoffice/cases/_party_results.html", context)
