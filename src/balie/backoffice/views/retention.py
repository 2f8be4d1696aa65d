"""The archivist's pages: the closed cases due for review (decide per case or for a selection),
the approved ones waiting for destruction, the kept and postponed ones, and the destroyed cases
with a CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from balie.accounts.permissions import can_review_retention
from balie.cases.models import RetentionDecision
from balie.cases.retention import (
    approve_destruction,
    destroy_cases,
    destroyed_cases_for,
    keep_permanently,
    postpone_retention,
    retention_reviews_for,
)

from ..access import EmployeeRequest, permission_required
from ..forms.common import add_domain_errors
from ..forms.retention import RetentionDecisionForm, RetentionFilterForm

PAGE = 50
# The list in the address bar -> (decisions shown, actions allowed, title)
LISTS: dict[str, tuple[list[str], list[str], Any]] = {
    "te-beoordelen": (
        [RetentionDecision.PENDING],
        ["goedkeuren", "uitstellen", "bewaren", "overbrengen"],
        gettext_lazy("Te beoordelen"),
    ),
    "goedgekeurd": (
        [RetentionDecision.DESTROY],
        ["vernietigen", "uitstellen"],
        gettext_lazy("Klaar voor vernietiging"),
    ),
    "uitgesteld": ([RetentionDecision.POSTPONED], [], gettext_lazy("Uitgesteld")),
    "bewaard": (
        [RetentionDecision.KEEP, RetentionDecision.TRANSFER],
        [],
        gettext_lazy("Bewaard of over te brengen"),
    ),
}
RENAMED = {"until": "tot", "reason": "reden"}


def _page_number(request: EmployeeRequest) -> int:
    try:
        return max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        return 1


def _tabs(user: Any) -> list[tuple[str, Any, int]]:
    """(list, title, how many cases are on it) for the tabs: one grouped count of the reviews."""
    per_decision = dict(
        retention_reviews_for(user, decisions=RetentionDecision.values)
        .order_by()
        .values_list("decision")
        .annotate(n=Count("id"))
    )
    return [
        (slug, title, sum(per_decision.get(d, 0) for d in decisions))
        for slug, (decisions, _allowed, title) in LISTS.items()
    ]


@require_http_methods(["GET", "POST"])
@permission_required(can_review_retention)
def retention_list(request: EmployeeRequest, lijst: str = "te-beoordelen") -> HttpResponse:
    if lijst not in LISTS:
        raise Http404
    decisions, allowed, title = LISTS[lijst]
    filter_form = RetentionFilterForm(request.GET or None)
    case_type = filter_form.cleaned_data.get("zaaktype") if filter_form.is_valid() else None
    reviews = retention_reviews_for(
        request.user, decisions=decisions, case_type_id=case_type.pk if case_type else None
    )

    form = None
    if allowed:
        form = RetentionDecisionForm(request.POST or None, allowed=allowed)
        if request.method == "POST" and form.is_valid() and _decide(request, form, reviews):
            return redirect(request.get_full_path())
    elif request.method == "POST":
        raise Http404

    page = _page_number(request)
    start = (page - 1) * PAGE
    rows = list(reviews[start : start + PAGE + 1])
    query = request.GET.copy()
    query.pop("pagina", None)
    checked = set(request.POST.getlist("zaak")) if request.method == "POST" else set()
    context = {
        "lijst": lijst,
        "title": title,
        "tabs": _tabs(request.user),
        "rows": rows[:PAGE],
        "page": page,
        "has_next": len(rows) > PAGE,
        "query": query.urlencode(),
        "filter_form": filter_form,
        "form": form,
        "allowed": allowed,
        "checked": checked,
        "today": timezone.localdate(),
    }
    return render(request, "backoffice/retention/list.html", context)


def _decide(request: EmployeeRequest, form: RetentionDecisionForm, reviews: Any) -> bool:
    """Apply the chosen decision to the checked cases; True when it was done."""
    wanted = set(form.cleaned_data["zaak"])
    chosen = list(reviews.filter(case__uuid__in=wanted))
    if len(chosen) != len(wanted):
        form.add_error("zaak", _("Een of meer zaken staan niet (meer) op deze lijst."))
        return False
    data, user = form.cleaned_data, request.user
    action = data["actie"]
    try:
        if action == "goedkeuren":
            done = approve_destruction(reviews=chosen, by=user, reason=data["reden"])
            text = ngettext(
                "De vernietiging van %(n)d zaak is goedgekeurd.",
                "De vernietiging van %(n)d zaken is goedgekeurd.",
                done,
            )
        elif action == "uitstellen":
            done = postpone_retention(reviews=chosen, by=user, until=data.get("tot"), reason=data["reden"])
            text = ngettext("%(n)d zaak is uitgesteld.", "%(n)d zaken zijn uitgesteld.", done)
        elif action in ("bewaren", "overbrengen"):
            done = keep_permanently(
                reviews=chosen, by=user, transfer=action == "overbrengen", reason=data["reden"]
            )
            text = (
                ngettext(
                    "%(n)d zaak wordt overgebracht naar het archief.",
                    "%(n)d zaken worden overgebracht naar het archief.",
                    done,
                )
                if action == "overbrengen"
                else ngettext(
                    "%(n)d zaak wordt blijvend bewaard.", "%(n)d zaken worden blijvend bewaard.", done
                )
            )
        else:
            done = len(destroy_cases(reviews=chosen, by=user))
            text = ngettext("%(n)d zaak is vernietigd.", "%(n)d zaken zijn vernietigd.", done)
    except ValidationError as error:
        add_domain_errors(form, error, rename=RENAMED)
        return False
    messages.success(request, text % {"n": done})
    return True


# --- destroyed cases -------------------------------------------------------------------------


def _destroyed(request: EmployeeRequest) -> tuple[RetentionFilterForm, Any]:
    form = RetentionFilterForm(request.GET or None)
    case_type = form.cleaned_data.get("zaaktype") if form.is_valid() else None
    return form, destroyed_cases_for(request.user, case_type_code=case_type.code if case_type else "")


@require_GET
@permission_required(can_review_retention)
def destroyed_list(request: EmployeeRequest) -> HttpResponse:
    filter_form, rows_query = _destroyed(request)
    page = _page_number(request)
    start = (page - 1) * PAGE
    rows = list(rows_query[start : start + PAGE + 1])
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "lijst": "vernietigd",
        "title": _("Vernietigd"),
        "tabs": _tabs(request.user),
        "rows": rows[:PAGE],
        "page": page,
        "has_next": len(rows) > PAGE,
        "query": query.urlencode(),
        "filter_form": filter_form,
    }
    return render(request, "backoffice/retention/destroyed.html", context)


def _safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@permission_required(can_review_retention)
def destroyed_csv(request: EmployeeRequest) -> HttpResponseBase:
    _form, rows = _destroyed(request)
    writer = csv.writer(_Echo(), delimiter=";")

    def when(value: Any) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(
            [
                _("zaaknummer"),
                _("zaaktype"),
                _("zaaktypecode"),
                _("geregistreerd op"),
                _("afgesloten op"),
                _("resultaat"),
                _("archiefactiedatum"),
                _("beoordeeld door"),
                _("beoordeeld op"),
                _("vernietigd door"),
                _("vernietigd op"),
            ]
        )
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    row.number,
                    _safe(row.case_type_name),
                    row.case_type_code,
                    when(row.registered_at),
                    when(row.closed_at),
                    _safe(row.result),
                    row.archive_action_date.isoformat(),
                    _safe(row.reviewed_by),
                    when(row.reviewed_at),
                    _safe(row.destroyed_by),
                    when(row.destroyed_at),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="vernietigde-zaken-{stamp}.csv"'
    return response
