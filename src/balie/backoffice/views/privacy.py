"""For the privacy officer: who opened whose personal data, and who changed what; searchable and
exportable."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from balie.accounts.permissions import can_read_audit
from balie.audit.models import AccessChannel, ChangeAction, ChangeRecord
from balie.audit.queries import search_access_log, search_changes
from balie.parties.queries import parties_for

from ..access import EmployeeRequest, permission_required
from ..forms.audit import AccessLogSearchForm

LOG_PAGE = 50
T = TypeVar("T", bound=Model)


def _page_number(request: EmployeeRequest) -> int:
    try:
        return max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        return 1


def _log_page(request: EmployeeRequest, search: Callable[..., QuerySet[T]]) -> tuple[list[T], dict[str, Any]]:
    """One page of a log searched with the privacy officer's form, and the page's context."""
    form = AccessLogSearchForm(request.GET or None, user=request.user)
    rows: list[T] = []
    page = _page_number(request)
    has_next = False
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        # No COUNT over a log kept ten years: fetch one row more to know whether a next page exists.
        start = (page - 1) * LOG_PAGE
        rows = list(search(**filters)[start : start + LOG_PAGE + 1])
        has_next = len(rows) > LOG_PAGE
        rows = rows[:LOG_PAGE]
    query = request.GET.copy()
    query.pop("pagina", None)
    return rows, {"form": form, "page": page, "has_next": has_next, "query": query.urlencode()}


def _search_changes(*, subject_uuid: Any = None, **filters: Any) -> QuerySet[ChangeRecord]:
    """The change history searched with the access log's form: the person is the changed object."""
    return search_changes(object_uuid=subject_uuid, **filters)


@require_GET
@permission_required(can_read_audit)
def access_log(request: EmployeeRequest) -> HttpResponse:
    rows, context = _log_page(request, search_access_log)
    subjects = parties_for(request.user).in_bulk({r.subject_uuid for r in rows}, field_name="uuid")
    context["rows"] = [(row, subjects.get(row.subject_uuid)) for row in rows]
    return render(request, "backoffice/privacy/access_log.html", context)


def _safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@permission_required(can_read_audit)
def access_log_csv(request: EmployeeRequest) -> HttpResponseBase:
    form = AccessLogSearchForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return access_log(request)
    rows = search_access_log(**(form.filters() if form.is_bound else {}))
    writer = csv.writer(_Echo(), delimiter=";")
    channels = dict(AccessChannel.choices)

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that a spreadsheet reads the accents right
        yield writer.writerow(
            [
                _("tijdstip"),
                _("medewerker"),
                _("medewerker-id"),
                _("over (id)"),
                _("soort"),
                _("kanaal"),
                _("scherm of endpoint"),
                _("doel"),
                _("toepassing"),
            ]
        )
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                    _safe(row.actor_label),
                    row.actor_uuid or "",
                    row.subject_uuid,
                    _safe(row.subject_type),
                    channels.get(row.channel, row.channel),
                    _safe(row.location),
                    _safe(row.purpose),
                    _safe(row.application),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="inzages-persoonsgegevens-{stamp}.csv"'
    return response


@require_GET
@permission_required(can_read_audit)
def change_log(request: EmployeeRequest) -> HttpResponse:
    """Who changed what: every domain object's history in one searchable list."""
    rows, context = _log_page(request, _search_changes)
    parties = parties_for(request.user).in_bulk({r.object_uuid for r in rows}, field_name="uuid")
    context["rows"] = [(row, parties.get(row.object_uuid)) for row in rows]
    return render(request, "backoffice/privacy/change_log.html", context)


@require_GET
@permission_required(can_read_audit)
def change_log_csv(request: EmployeeRequest) -> HttpResponseBase:
    form = AccessLogSearchForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return change_log(request)
    rows = _search_changes(**(form.filters() if form.is_bound else {}))
    writer = csv.writer(_Echo(), delimiter=";")
    actions = dict(ChangeAction.choices)

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(
            [
                _("tijdstip"),
                _("door"),
                _("door (id)"),
                _("objecttype"),
                _("object (id)"),
                _("actie"),
                _("veld"),
                _("oud"),
                _("nieuw"),
                _("reden"),
            ]
        )
        for row in rows.iterator(chunk_size=2000):
            common = [
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                _safe(row.actor_label),
                row.actor_uuid or "",
                row.model,
                row.object_uuid,
                actions.get(row.action, row.action),
            ]
            changes = row.changes.items() if row.changes else [("", ["", ""])]
            for field, values in changes:
                old, new = [*values, "", ""][:2] if isinstance(values, list) else ("", values)
                yield writer.writerow(
                    [
                        *common,
                        _safe(field),
                        _safe("" if old is None else old),
                        _safe("" if new is None else new),
                        _safe(row.reason),
                    ]
                )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="wijzigingen-{stamp}.csv"'
    return response
