"""The post queues (my post, my department's post) and the page of one post item with what can be
done to it: take, give back, assign, change the status, answer, acknowledge, link to a case,
correct the details, add a document. Each post: validate, call one action, back to the page."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from balie.cases.queries import get_case_for
from balie.contact_moments.queries import get_contact_moment_for
from balie.correspondence.actions import (
    add_document,
    answer,
    assign,
    change_status,
    link_case,
    register_acknowledgement,
    register_answer,
    update_details,
)
from balie.correspondence.models import Direction, DocumentRole, PostItem, PostStatus, ReplyKind
from balie.correspondence.permissions import can_route_post, can_work_post_item
from balie.correspondence.queries import (
    get_post_item_for,
    is_overdue,
    item_documents,
    item_history,
    queue_for,
    queue_key,
    replies_to,
)
from balie.correspondence.workflow import allowed_next
from balie.parties.models import Party
from balie.parties.queries import get_party_ref_for

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.post import (
    AddDocumentForm,
    AnsweredForm,
    AssignForm,
    DetailsForm,
    LinkCaseForm,
    PostQueueFilterForm,
    RegisterAnswerForm,
    StatusForm,
)
from .case_pages import log_person_accesses
from .post_dispatch import dispatch_card

QUEUE_PAGE = 50
SCOPES = {
    "mijn": ("mine", gettext_lazy("Mijn post")),
    "dienst": ("department", gettext_lazy("Post van mijn dienst")),
}
PAGING_KEYS = ("na", "na_id")


# --- the queue --------------------------------------------------------------------------------


def _after(request: EmployeeRequest) -> tuple[str, int] | None:
    position, pk = request.GET.get("na", "")[:40], request.GET.get("na_id", "")
    if not position or not pk.isdigit():
        return None
    return position, int(pk)


@require_GET
@employee_required
def post_queue(request: EmployeeRequest, scope: str) -> HttpResponse:
    if scope not in SCOPES:
        raise Http404
    query_scope, title = SCOPES[scope]
    user = request.user
    filter_form = PostQueueFilterForm(
        request.GET, scope=query_scope, department=user.department, pick_department=can_route_post(user)
    )
    filters = filter_form.queue_filter()
    try:
        rows = queue_for(user, filters, after=_after(request), limit=QUEUE_PAGE + 1)
    except ValueError:  # a position that does not parse: start at the top
        rows = queue_for(user, filters, limit=QUEUE_PAGE + 1)
    more = len(rows) > QUEUE_PAGE
    rows = rows[:QUEUE_PAGE]
    for row in rows:
        row.overdue = is_overdue(row)  # type: ignore[attr-defined]
    log_person_accesses(request, [row.party for row in rows if row.party is not None])
    query = request.GET.copy()
    for key in PAGING_KEYS:
        query.pop(key, None)
    department = filter_form.department
    context = {
        "title": str(title)
        if department is None or department == user.department or query_scope == "mine"
        else _("Post van %(department)s") % {"department": department.name},
        "scope": scope,
        "scopes": SCOPES,
        "items": rows,
        "filter_form": filter_form,
        "filters": filters,
        "filtered": any(filter_form.data.get(name) for name in filter_form.fields),
        "department": department,
        "outgoing": filters.direction == Direction.OUTGOING,
        "base_query": query.urlencode(),
        "next_key": queue_key(rows[-1]) if more else None,
        "paged": _after(request) is not None,
    }
    return render(request, "backoffice/post/queue.html", context)


# --- one item -----------------------------------------------------------------------------------


def item_url(item: PostItem, anchor: str = "") -> str:
    return reverse("backoffice:post_item", args=[item.uuid]) + (f"#{anchor}" if anchor else "")


def available_actions(user: Any, item: PostItem) -> dict[str, Any]:
    """What the page offers for this item and this employee now. The actions check it all again."""
    works = can_work_post_item(user, item) or can_route_post(user)
    incoming = item.is_incoming
    # Answering names the reply, sending is a dispatch, assigning names a handler: their own
    # forms. Back from "in treatment" to "assigned" (not started after all) is a plain move.
    statuses = [
        s
        for s in allowed_next(item)
        if s not in (PostStatus.ANSWERED, PostStatus.SENT)
        and (s != PostStatus.ASSIGNED or item.status == PostStatus.IN_TREATMENT)
    ]
    if incoming:
        statuses = [s for s in statuses if s != PostStatus.REGISTERED or item.status == PostStatus.FILED]
    answerable = incoming and PostStatus.ANSWERED in allowed_next(item) and works
    return {
        "works": works,
        "complete": item.needs_details,
        "take": incoming
        and item.is_open
        and not item.needs_details
        and item.handler_id is None
        and item.department_id == user.department_id,
        "give_back": incoming and item.is_open and item.handler_id == user.pk,
        "assign": incoming and item.is_open and not item.needs_details and can_route_post(user),
        "statuses": statuses if works and not item.needs_details else [],
        "answer": answerable and not item.needs_details,
        "acknowledge": incoming and works and not item.needs_details,
        "link_case": works,
        "details": works and not item.needs_details,
        "document": works,
    }


def page_forms(item: PostItem, offered: dict[str, Any]) -> dict[str, forms.Form]:
    built: dict[str, forms.Form] = {}
    if offered["assign"]:
        built["assign"] = AssignForm(
            initial={
                "department": item.department.uuid,
                "handler": item.handler.uuid if item.handler else None,
            }
        )
    if offered["statuses"]:
        built["status"] = StatusForm(allowed=offered["statuses"])
    if offered["answer"]:
        built["answer"] = RegisterAnswerForm(
            initial={"subject": (_("Antwoord: %(subject)s") % {"subject": item.subject})[:200]}
        )
        built["answered"] = AnsweredForm()
    if offered["link_case"]:
        built["case"] = LinkCaseForm(initial={"number": item.case.number if item.case else ""})
    if offered["details"]:
        built["details"] = DetailsForm(
            incoming=item.is_incoming,
            initial={
                "party": str(item.party.uuid) if item.party else "",
                "correspondent_name": item.correspondent_name,
                "subject": item.subject,
                "reference": item.reference,
                "received_on": item.received_on,
                "confidential": item.confidential,
            },
        )
    if offered["document"]:
        built["document"] = AddDocumentForm(roles=_document_roles(item))
    return built


def _document_roles(item: PostItem) -> list[str]:
    if item.is_incoming:
        return [DocumentRole.SCAN, DocumentRole.ATTACHMENT]
    return [DocumentRole.LETTER, DocumentRole.ATTACHMENT]


def post_item_page(
    request: EmployeeRequest, item: PostItem, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    user = request.user
    offered = available_actions(user, item)
    built = page_forms(item, offered)
    built.update(bound or {})
    shown: list[Party] = [item.party] if item.party is not None else []
    details = built.get("details")
    if isinstance(details, DetailsForm):
        shown += details.prepare_pickers(user, details.data if details.preview else None)
    log_person_accesses(request, shown)
    contact_moment = None
    if item.contact_moment_ref is not None:
        try:
            contact_moment = get_contact_moment_for(user, item.contact_moment_ref)
        except Http404:
            contact_moment = None
    context = {
        "item": item,
        "offered": offered,
        "forms": built,
        "open_form": next(iter(bound), "") if bound else "",
        "overdue": is_overdue(item),
        "history": item_history(item),
        "documents": item_documents(user, item),
        "replies": replies_to(user, item),
        "reply_to": _visible(user, item.reply_to),
        "case": _visible_case(user, item),
        "contact_moment": contact_moment,
        **(dispatch_card(user, item) if not item.is_incoming else {}),
        "acknowledged": item.replies.filter(reply_kind=ReplyKind.ACKNOWLEDGEMENT).exists()
        if item.is_incoming
        else False,
    }
    return render(request, "backoffice/post/detail.html", context)


def _visible(user: Any, item: PostItem | None) -> PostItem | None:
    if item is None:
        return None
    try:
        return get_post_item_for(user, item.uuid)
    except Http404:
        return None


def _visible_case(user: Any, item: PostItem) -> Any:
    if item.case is None:
        return None
    try:
        return get_case_for(user, item.case.uuid)
    except Http404:
        return None


@require_GET
@employee_required
def post_item(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return post_item_page(request, get_post_item_for(request.user, uuid))


def _run(
    request: EmployeeRequest,
    item: PostItem,
    key: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
    anchor: str = "",
    rename: dict[str, str] | None = None,
) -> HttpResponse:
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error, rename=rename)
        else:
            messages.success(request, done)
            return redirect(item_url(item, anchor))
    if not available_actions(request.user, item)["works"]:
        # No form on the page to show the errors at: say them on top.
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(item_url(item))
    return post_item_page(request, item, bound={key: form})


def _simple(request: EmployeeRequest, item: PostItem, act: Callable[[], object], done: str) -> HttpResponse:
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(item_url(item))


@require_POST
@employee_required
def post_take(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    return _simple(
        request,
        item,
        lambda: assign(item=item, by=request.user, handler=request.user),
        _("%(number)s is aan u toegewezen.") % {"number": item.number},
    )


@require_POST
@employee_required
def post_give_back(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    return _simple(
        request,
        item,
        lambda: assign(item=item, by=request.user, handler=None, reason=request.POST.get("reden", "")[:500]),
        _("%(number)s staat terug in de wachtrij van de dienst.") % {"number": item.number},
    )


@require_POST
@employee_required
def post_assign(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    form = AssignForm(request.POST)
    return _run(
        request,
        item,
        "assign",
        form,
        lambda data: assign(
            item=item,
            by=request.user,
            department=data["department"],
            handler=data["handler"],
            reason=data["reason"],
        ),
        _("Het poststuk is toegewezen."),
    )


@require_POST
@employee_required
def post_set_status(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    # Every status is a choice here: the workflow says which move is allowed, and why not.
    form = StatusForm(request.POST, allowed=list(PostStatus.values))
    return _run(
        request,
        item,
        "status",
        form,
        lambda data: change_status(item=item, status=data["status"], by=request.user, reason=data["reason"]),
        _("De status is gewijzigd."),
    )


@require_POST
@employee_required
def post_register_answer(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    form = RegisterAnswerForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reply = register_answer(
                item=item,
                by=request.user,
                channel=data["channel"],
                subject=data["subject"],
                letter=data["letter"],
            )
        except ValidationError as error:
            add_domain_errors(form, error, rename={"reply": "subject", "status": "subject"})
        else:
            messages.success(
                request,
                _("Het antwoord %(number)s is geregistreerd; het poststuk is beantwoord.")
                % {"number": reply.number},
            )
            return redirect(item_url(reply))
    return post_item_page(request, item, bound={"answer": form})


def _reply(user: Any, number: str) -> PostItem | None:
    if not number.strip():
        return None
    try:
        reply = get_post_item_for(user, number.strip())
    except Http404:
        raise ValidationError({"reply": _("Er is geen uitgaand poststuk met dit nummer.")}) from None
    return reply


@require_POST
@employee_required
def post_answered(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    form = AnsweredForm(request.POST)
    return _run(
        request,
        item,
        "answered",
        form,
        lambda data: answer(
            item=item, by=request.user, reply=_reply(request.user, data["reply"]), reason=data["reason"]
        ),
        _("Het poststuk is beantwoord."),
    )


@require_POST
@employee_required
def post_acknowledge(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    try:
        acknowledgement = register_acknowledgement(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(item_url(item))
    messages.success(
        request,
        _("De ontvangstmelding %(number)s is geregistreerd; voeg er de brief aan toe.")
        % {"number": acknowledgement.number},
    )
    return redirect(item_url(acknowledgement, "documenten"))


def _case(user: Any, number: str) -> Any:
    if not number.strip():
        return None
    try:
        return get_case_for(user, number.strip().upper())
    except Http404:
        raise ValidationError({"number": _("Er is geen zaak met dit nummer.")}) from None


@require_POST
@employee_required
def post_link_case(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    form = LinkCaseForm(request.POST)
    return _run(
        request,
        item,
        "case",
        form,
        lambda data: link_case(item=item, case=_case(request.user, data["number"]), by=request.user),
        _("De koppeling met de zaak is bewaard."),
        rename={"case": "number"},
    )


@require_POST
@employee_required
def post_details(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    form = DetailsForm(request.POST, incoming=item.is_incoming)
    form.preview = form.wants_search(request.POST)
    if form.preview:
        return post_item_page(request, item, bound={"details": form})

    def act(data: dict[str, Any]) -> object:
        party = None
        if data["party"]:
            try:
                party = get_party_ref_for(request.user, data["party"])
            except Http404:
                raise ValidationError({"party": _("Kies een klant uit de zoekresultaten.")}) from None
        changes = {**form.sender_arguments(), "party": party}
        if item.is_incoming and data.get("received_on"):
            changes["received_on"] = data["received_on"]
        return update_details(item=item, by=request.user, **changes)

    return _run(request, item, "details", form, act, _("De gegevens zijn bewaard."))


@require_POST
@employee_required
def post_add_document(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    item = get_post_item_for(request.user, uuid)
    form = AddDocumentForm(request.POST, request.FILES, roles=_document_roles(item))
    return _run(
        request,
        item,
        "document",
        form,
        lambda data: add_document(item=item, file=data["file"], role=data["role"], by=request.user),
        _("Het document is toegevoegd."),
        anchor="documenten",
    )
