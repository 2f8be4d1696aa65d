"""The start page: search, the open tasks of me, my team and my department, and my cases."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from balie.cases.queries import QueueFilter, queue_for
from balie.contact_moments.queries import open_tasks

from ..access import EmployeeRequest, employee_required

HOME_LIST_SIZE = 5
# query scope -> the word in the list's address
SCOPES = {"mine": "mijn", "team": "team", "department": "dienst"}


@employee_required
def home(request: EmployeeRequest) -> HttpResponse:
    lists = []
    for scope, slug in SCOPES.items():
        rows = open_tasks(request.user, scope=scope)
        # Counting the open tasks of one person, team or department stays small.
        lists.append(
            {"scope": scope, "slug": slug, "tasks": list(rows[:HOME_LIST_SIZE]), "count": rows.count()}
        )
    # My open cases, soonest deadline first; one more than shown says "there are more", no count.
    cases = queue_for(request.user, QueueFilter(scope="mine"), limit=HOME_LIST_SIZE + 1)
    context = {
        "task_lists": lists,
        "today": timezone.localdate(),
        "my_cases": cases[:HOME_LIST_SIZE],
        "my_cases_more": len(cases) > HOME_LIST_SIZE,
    }
    return render(request, "backoffice/home.html", context)
