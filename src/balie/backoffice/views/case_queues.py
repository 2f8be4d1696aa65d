"""The case queues: my cases, my team's and my department's, with filters, keyset paging, bulk
reassignment by a team lead, and taking an unassigned case."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from balie.accounts.permissions import can_assign_cases
from balie.cases.actions import assign_case, assign_cases
from balie.cases.models import Case
from balie.cases.queries import QueueFilter, cases_for, get_case_for, queue_for, sort_key

from ..access import EmployeeRequest, employee_required
from ..forms.cases import BulkAssignForm, QueueFilterForm
from ..forms.common import add_domain_errors

QUEUE_PAGE = 50
# URL word -> (query scope, page title)
SCOPES = {
    "mijn": ("mine", gettext_lazy("Mijn zaken")),
    "team": ("team", gettext_lazy("Zaken van mijn team")),
    "dienst": ("department", gettext_lazy("Zaken van mijn dienst")),
}
PAGING_KEYS = ("na", "na_id")
BULK_RENAMED = {"handler": "behandelaar"}


def _after(request: EmployeeRequest) -> tuple[str, int] | None:
    """Where the page starts: the sort key of the last row of the previous page."""
    position, pk = request.GET.get("na", "")[:40], request.GET.get("na_id", "")
    if not position or not pk.isdigit():
        return None
    return position, int(pk)


def _query_without_paging(request: EmployeeRequest) -> str:
    query = request.GET.copy()
    for key in PAGING_KEYS:
        query.pop(key, None)
    return query.urlencode()


@require_http_methods(["GET", "POST"])
@employee_required
def case_queue(request: EmployeeRequest, scope: str) -> HttpResponse:
    if scope not in SCOPES:
        raise Http404
    query_scope, scope_title = SCOPES[scope]
    title = str(scope_title)
    user = request.user
    pick_department = query_scope == "department" and can_assign_cases(user)
    filter_form = QueueFilterForm(
        request.GET, scope=query_scope, department=user.department, pick_department=pick_department
    )
    department = filter_form.department
    if department is not None and department != user.department:
        title = _("Zaken van %(department)s") % {"department": department.name}
    filters = filter_form.queue_filter(user)

    bulk_form = None
    if can_assign_cases(user):
        bulk_form = BulkAssignForm(request.POST or None, department=department)
    if request.method == "POST":
        if bulk_form is None:
            # The engine refuses too; say it the same way, nothing changes.
            messages.error(request, _("Alleen een teamverantwoordelijke kan zaken in bulk toewijzen."))
            return redirect(request.get_full_path())
        if _bulk_assign(request, bulk_form):
            return redirect(request.get_full_path())

    rows = _page(request, filters)
    more = len(rows) > QUEUE_PAGE
    rows = rows[:QUEUE_PAGE]
    next_key = sort_key(rows[-1], filters.sort) if more else None
    checked = set(request.POST.getlist("zaak")) if request.method == "POST" else set()
    context = {
        "title": title,
        "scope": scope,
        "scopes": SCOPES,
        "cases": rows,
        "filter_form": filter_form,
        "filters": filters,
        "filtered": any(filter_form.data.get(name) for name in filter_form.fields if name != "sortering"),
        "department": department,
        "bulk_form": bulk_form,
        "checked": checked,
        "base_query": _query_without_paging(request),
        "next_key": next_key,
        "paged": _after(request) is not None,
    }
    return render(request, "backoffice/cases/queue.html", context)


def _page(request: EmployeeRequest, filters: QueueFilter) -> list[Case]:
    try:
        return queue_for(request.user, filters, after=_after(request), limit=QUEUE_PAGE + 1)
    except ValueError:  # a position that does not parse: start at the top
        return queue_for(request.user, filters, limit=QUEUE_PAGE + 1)


def _bulk_assign(request: EmployeeRequest, form: BulkAssignForm) -> bool:
    if not form.is_valid():
        return False
    wanted = set(form.cleaned_data["zaak"])
    cases = list(cases_for(request.user).filter(uuid__in=wanted).select_related("department"))
    if len(cases) != len(wanted):
        form.add_error("zaak", _("Een of meer zaken werden niet gevonden."))
        return False
    try:
        changed = assign_cases(cases=cases, by=request.user, **form.target())
    except ValidationError as error:
        add_domain_errors(form, error, rename=BULK_RENAMED)
        return False
    counts = {"count": changed, "total": len(cases)}
    messages.success(request, _("%(count)d van de %(total)d zaken zijn opnieuw toegewezen.") % counts)
    return True


def back_to(request: EmployeeRequest, default: str) -> str:
    """The page a small form came from (a queue with its filters), if it is one of ours."""
    target = request.POST.get("terug", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_POST
@employee_required
def case_take(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """ "Neem": an unassigned case of my department becomes mine (its team stays)."""
    case = get_case_for(request.user, uuid)
    try:
        assign_case(case=case, by=request.user, handler=request.user, team=case.team)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Zaak %(number)s is aan u toegewezen.") % {"number": case.number})
    return redirect(back_to(request, case_url(case)))


def case_url(case: Case) -> str:
    return reverse("backoffice:case", args=[case.uuid])
