"""Signing, as employees meet it: the list of what waits for me (to approve, to sign) and what I
asked; a document's signing page (send it for signatures, approve or refuse, sign, withdraw, the
signatures' state and validation). Each action view validates its small form, calls one action,
and goes back to the document's page with a message, or shows the page again with the errors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.documents.models import CertificateKind, Document, SigningRequest, SigningState
from balie.documents.queries import get_document_for, versions_of
from balie.documents.signing.actions import approve, refuse, request_signing, revalidate, sign, withdraw
from balie.documents.signing.credentials import personal_configured
from balie.documents.signing.pades import PDF_TYPE
from balie.documents.signing.queries import (
    events_of,
    get_signing_request_for,
    my_requests,
    requests_of_document,
    waiting_for_me,
)
from balie.documents.signing.rules import approval_turn, signature_turn, step_label

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.signing import ApproveForm, RefuseForm, RequestSigningForm, SignForm, WithdrawForm


def document_signing_url(document: Document, anchor: str = "") -> str:
    return reverse("backoffice:document_signing", args=[document.uuid]) + (f"#{anchor}" if anchor else "")


def _describe(row: SigningRequest) -> SigningRequest:
    """Put on a request what a list shows of it: whom it waits for, why it was refused."""
    steps = list(row.steps.all())
    waiting = next((s for s in steps if row.is_open and s.position == row.current_position), None)
    row.waiting_label = step_label(waiting) if waiting is not None else ""  # type: ignore[attr-defined]
    row.waiting_kind = waiting.kind if waiting is not None else ""  # type: ignore[attr-defined]
    refused = next((s for s in steps if s.state == "refused"), None)
    row.refusal = refused.reason if refused is not None else ""  # type: ignore[attr-defined]
    return row


@require_GET
@employee_required
def signing_list(request: EmployeeRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/signing/list.html",
        {
            "waiting": [_describe(row) for row in waiting_for_me(request.user)],
            "mine": [_describe(row) for row in my_requests(request.user)],
        },
    )


def _validation_rows(row: SigningRequest | None) -> list[dict[str, Any]]:
    if row is None:
        return []
    result = []
    for report in row.validation or []:
        result.append(
            {
                **report,
                "signed_at": parse_datetime(report.get("signed_at") or "")
                if report.get("signed_at")
                else None,
                "timestamp": parse_datetime(report.get("timestamp") or "")
                if report.get("timestamp")
                else None,
                "ok": report.get("intact") and report.get("valid") and report.get("changes_allowed"),
            }
        )
    return result


def _can(check: Callable[[], Any]) -> bool:
    try:
        check()
    except ValidationError:
        return False
    return True


def _offered(user: Any, document: Document, current: SigningRequest | None) -> dict[str, Any]:
    """What this employee may do on the page now (the actions check again when they run)."""
    version = document.current_version
    offered: dict[str, Any] = {
        "request": current is None and version is not None and version.mime_type == PDF_TYPE,
        "approve": current is not None and _can(lambda: approval_turn(current, user)),
        "sign": False,
        "withdraw": current is not None and current.requested_by_id == user.pk,
        "password": False,
    }
    if current is not None and current.state == SigningState.SIGNING:
        offered["sign"] = _can(lambda: signature_turn(current, user))
        if offered["sign"]:
            step = signature_turn(current, user).step
            offered["password"] = step.certificate == CertificateKind.PERSONAL
            offered["no_certificate"] = offered["password"] and not personal_configured(user)
    return offered


def signing_page(
    request: EmployeeRequest,
    document: Document,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    rows = [_describe(row) for row in requests_of_document(request.user, document)]
    current = next((row for row in rows if row.is_open), None)
    latest = rows[0] if rows else None
    offered = _offered(request.user, document, current)
    context = {
        "document": document,
        "versions": versions_of(document),
        "current": current,
        "latest": latest,
        "earlier": [row for row in rows if row is not latest],
        "events": events_of(latest) if latest is not None else [],
        "validation": _validation_rows(latest),
        "offered": offered,
        "forms": {
            "request": bound.get("request") or (RequestSigningForm() if offered["request"] else None),
            "approve": bound.get("approve") or (ApproveForm() if offered["approve"] else None),
            "refuse": bound.get("refuse")
            or (RefuseForm() if offered["approve"] or offered["sign"] else None),
            "sign": bound.get("sign") or (SignForm() if offered["sign"] else None),
            "withdraw": bound.get("withdraw") or (WithdrawForm() if offered["withdraw"] else None),
        },
        "open_form": next(iter(bound), ""),
    }
    return render(request, "backoffice/signing/document.html", context, status=status)


@require_GET
@employee_required
def document_signing(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return signing_page(request, get_document_for(request.user, uuid))


def _run(
    request: EmployeeRequest,
    document: Document,
    key: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(document_signing_url(document))
    return signing_page(request, document, bound={key: form}, status=422)


@require_POST
@employee_required
def document_request_signing(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    document = get_document_for(request.user, uuid)
    form = RequestSigningForm(request.POST)
    return _run(
        request,
        document,
        "request",
        form,
        lambda data: request_signing(
            document=document, procedure=data["procedure"], by=request.user, note=data["note"]
        ),
        _("Het document is ter ondertekening verstuurd."),
    )


def _signing_request(request: EmployeeRequest, request_uuid: uuid.UUID) -> tuple[SigningRequest, Document]:
    signing_request = get_signing_request_for(request.user, request_uuid)
    return signing_request, get_document_for(request.user, signing_request.document.uuid)


@require_POST
@employee_required
def signing_approve(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    signing_request, document = _signing_request(request, uuid)
    return _run(
        request,
        document,
        "approve",
        ApproveForm(request.POST),
        lambda data: approve(request=signing_request, by=request.user, note=data["note"]),
        _("Goedgekeurd: het document gaat naar de eerste ondertekenaar."),
    )


@require_POST
@employee_required
def signing_refuse(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    signing_request, document = _signing_request(request, uuid)
    return _run(
        request,
        document,
        "refuse",
        RefuseForm(request.POST),
        lambda data: refuse(request=signing_request, by=request.user, reason=data["reason"]),
        _("Geweigerd: de aanvrager krijgt het document terug met uw reden."),
    )


@require_POST
@employee_required
def signing_sign(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    signing_request, document = _signing_request(request, uuid)
    return _run(
        request,
        document,
        "sign",
        SignForm(request.POST),
        lambda data: sign(request=signing_request, by=request.user, password=data["password"]),
        _("Ondertekend: de ondertekende PDF is de nieuwe versie van het document."),
    )


@require_POST
@employee_required
def signing_withdraw(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    signing_request, document = _signing_request(request, uuid)
    return _run(
        request,
        document,
        "withdraw",
        WithdrawForm(request.POST),
        lambda data: withdraw(request=signing_request, by=request.user, reason=data["reason"]),
        _("De aanvraag is ingetrokken."),
    )


@require_POST
@employee_required
def signing_validate(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    signing_request, document = _signing_request(request, uuid)
    try:
        revalidate(request=signing_request, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("De handtekeningen zijn opnieuw gevalideerd."))
    return redirect(document_signing_url(document, "handtekeningen"))
