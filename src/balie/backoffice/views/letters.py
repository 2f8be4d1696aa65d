"""A letter's page (its DOCX and PDF, their versions, an edit in Word uploaded again) and mass
mailings (the list, and one mailing's progress while the worker makes it). Letters and mailings
are read through balie.documents.letters.queries: what an employee may not see is not found.
Both show who the letters are addressed to: the access log records the persons shown."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.documents.letters.actions import replace_letter_docx
from balie.documents.letters.mailing import retry_failed
from balie.documents.letters.queries import (
    failed_items,
    get_letter_for,
    get_mailing_for,
    mailing_items,
    mailings_for,
)
from balie.documents.models import Letter, MailingItemState, MailingState
from balie.documents.queries import versions_of
from balie.parties.models import Party, PartyKind

from ..access import EmployeeRequest, employee_required
from ..forms.common import add_domain_errors
from ..forms.letters import LetterDocxForm

SHOWN_LETTERS = 50


def _log_persons(request: EmployeeRequest, parties: list[Party | None]) -> None:
    persons = [party.uuid for party in parties if party is not None and party.kind == PartyKind.PERSON]
    if persons:
        log_personal_data_accesses(
            by=request.user,
            subject_uuids=persons,
            subject_type=PartyKind.PERSON,
            channel=AccessChannel.PAGE,
            location=request.path,
        )


def _letter_page(
    request: EmployeeRequest, letter: Letter, form: LetterDocxForm | None = None
) -> HttpResponse:
    _log_persons(request, [letter.party])
    return render(
        request,
        "backoffice/letters/detail.html",
        {
            "letter": letter,
            "docx_versions": versions_of(letter.docx_document),
            "pdf_versions": versions_of(letter.pdf_document),
            "form": form or LetterDocxForm(),
        },
    )


@require_GET
@employee_required
def letter_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _letter_page(request, get_letter_for(request.user, uuid))


@require_POST
@employee_required
def letter_upload_docx(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    letter = get_letter_for(request.user, uuid)
    form = LetterDocxForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            replace_letter_docx(letter=letter, file=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De bewerkte brief is bewaard en de PDF is opnieuw gemaakt."))
            return redirect("backoffice:letter", uuid=letter.uuid)
    return _letter_page(request, letter, form)


@require_GET
@employee_required
def mailing_list(request: EmployeeRequest) -> HttpResponse:
    mailings = mailings_for(request.user).order_by("-created_at")[:100]
    return render(request, "backoffice/letters/mailings.html", {"mailings": mailings})


@require_GET
@employee_required
def mailing_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """The progress; while the worker runs, htmx asks again every two seconds for the part that
    changes."""
    mailing = get_mailing_for(request.user, uuid)
    failed = failed_items(mailing)
    made = mailing_items(mailing, state=MailingItemState.DONE, limit=SHOWN_LETTERS)
    _log_persons(request, [item.party for item in [*failed, *made]])
    context = {
        "mailing": mailing,
        "failed": failed,
        "made": made,
        "more_made": max(0, mailing.done_count - len(made)),
        "running": mailing.state != MailingState.DONE,
    }
    if request.htmx:
        return render(request, "backoffice/letters/_mailing_progress.html", context)
    return render(request, "backoffice/letters/mailing.html", context)


@require_POST
@employee_required
def mailing_retry(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    mailing = get_mailing_for(request.user, uuid)
    count = retry_failed(mailing=mailing, by=request.user)
    if count:
        messages.success(
            request,
            _("%(count)s brieven worden opnieuw gemaakt.") % {"count": count},
        )
    return redirect("backoffice:mailing", uuid=mailing.uuid)
