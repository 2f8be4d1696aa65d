"""Beheer › KBO-imports: what was imported from the KBO open data, what runs, what failed where."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from balie.accounts.permissions import can_manage_catalogue
from balie.authentic_sources.kbo.queries import kbo_extract, kbo_imports

from ..access import EmployeeRequest, permission_required


@require_GET
@permission_required(can_manage_catalogue)
def kbo_import_list(request: EmployeeRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/manage/kbo_imports.html",
        {"imports": kbo_imports(request.user), "extract": kbo_extract()},
    )
