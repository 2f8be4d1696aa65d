"""The start page: search, and the open tasks of me, my team and my department."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

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
    return render(request, "backoffice/home.html", {"task_lists": lists, "today": timezone.localdate()})
