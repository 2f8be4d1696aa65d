"""Internal tasks: the lists per scope, one task, completing and reopening it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from balie.contact_moments.actions import complete_task, reopen_task
from balie.contact_moments.queries import get_task_for, open_tasks

from ..access import EmployeeRequest, employee_required
from .parties import log_access

TASK_PAGE = 25
# URL word -> (query scope, page title)
SCOPES = {
    "mijn": ("mine", gettext_lazy("Mijn taken")),
    "team": ("team", gettext_lazy("Taken van mijn team")),
    "dienst": ("department", gettext_lazy("Taken van mijn dienst")),
}


@require_GET
@employee_required
def task_list(request: EmployeeRequest, scope: str) -> HttpResponse:
    if scope not in SCOPES:
        raise Http404
    query_scope, title = SCOPES[scope]
    # The count is over the open tasks of one person, team or department: small by nature.
    page = Paginator(open_tasks(request.user, scope=query_scope), TASK_PAGE).get_page(
        request.GET.get("pagina")
    )
    context = {
        "page": page,
        "tasks": page.object_list,
        "title": title,
        "scope": scope,
        "scopes": SCOPES,
        "today": timezone.localdate(),
    }
    return render(request, "backoffice/tasks/list.html", context)


@require_GET
@employee_required
def task_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    task = get_task_for(request.user, uuid)
    if task.party is not None:
        log_access(request, task.party)
    return render(request, "backoffice/tasks/detail.html", {"task": task})


@require_POST
@employee_required
def task_complete(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    task = get_task_for(request.user, uuid)
    try:
        complete_task(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De taak is afgewerkt."))
    return redirect("backoffice:task", uuid=task.uuid)


@require_POST
@employee_required
def task_reopen(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    task = get_task_for(request.user, uuid)
    try:
        reopen_task(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De taak is heropend."))
    return redirect("backoffice:task", uuid=task.uuid)
