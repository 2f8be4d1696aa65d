"""Mail in: the mailboxes' state, the triage inbox (file a message in one click), one message
with its sanitised preview, and an .eml / .msg dropped on a case or party page."""

from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.cases.queries import cases_for, get_case_for
from balie.mailboxes.actions import (
    assign_mail_to_case,
    assign_mail_to_party,
    file_dropped_mail,
    make_contact_moment_from_mail,
)
from balie.mailboxes.models import IncomingMail
from balie.mailboxes.queries import get_mail_for, mail_documents, mailboxes_overview, triage_inbox
from balie.parties.queries import get_party_for

from ..access import EmployeeRequest, employee_required

_CID = re.compile(r'src="cid:([^"]+)"')


def preview_html(mail: IncomingMail) -> SafeString:
    """The message's HTML (sanitised when it was ingested: no scripts, no remote images) with
    its inline images pointing at their documents."""
    urls: dict[str, str] = {}
    for link in mail.documents.filter(inline=True).select_related("document__current_version"):
        version = link.document.current_version
        if version is not None and link.content_id:
            urls[link.content_id] = reverse(
                "backoffice:document_download", args=[link.document.uuid, version.number]
            )

    def replace(match: re.Match[str]) -> str:
        url = urls.get(match.group(1))
        return f'src="{url}"' if url else 'src=""'

    return mark_safe(_CID.sub(replace, mail.html))  # noqa: S308 - nh3-sanitised at ingest


@require_GET
@employee_required
def mailboxes(request: EmployeeRequest) -> HttpResponse:
    return render(request, "backoffice/mail/mailboxes.html", {"mailboxes": mailboxes_overview(request.user)})


@require_GET
@employee_required
def triage(request: EmployeeRequest) -> HttpResponse:
    mails = triage_inbox(request.user)
    return render(request, "backoffice/mail/triage.html", {"mails": [(m, preview_html(m)) for m in mails]})


@require_GET
@employee_required
def mail_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    mail = get_mail_for(request.user, uuid)
    return render(
        request,
        "backoffice/mail/detail.html",
        {"mail": mail, "preview": preview_html(mail), "documents": mail_documents(mail)},
    )


def _back(request: EmployeeRequest, mail: IncomingMail) -> HttpResponse:
    return redirect(
        (request.POST.get("next") == "detail" and reverse("backoffice:mail_detail", args=[mail.uuid]))
        or reverse("backoffice:mail_triage")
    )


@require_POST
@employee_required
def mail_assign(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """Triage in one click: to a case (by number), to the sender's party, or a contact moment."""
    mail = get_mail_for(request.user, uuid)
    how = request.POST.get("how", "")
    try:
        if how == "case":
            number = request.POST.get("case", "").strip().upper()
            case = cases_for(request.user).filter(number=number).first()
            if case is None:
                raise ValidationError(
                    _("Geen zaak met nummer %(number)s die je mag zien.") % {"number": number or "—"}
                )
            assign_mail_to_case(mail=mail, case=case, by=request.user)
            messages.success(request, _("De mail zit nu bij zaak %(number)s.") % {"number": case.number})
        elif how == "party":
            party = get_party_for(request.user, request.POST.get("party", ""))
            assign_mail_to_party(mail=mail, party=party, by=request.user)
            messages.success(
                request, _("De mail is een contact van %(name)s.") % {"name": party.display_name}
            )
        elif how == "contact":
            make_contact_moment_from_mail(mail=mail, by=request.user)
            messages.success(request, _("De mail is als contactmoment geregistreerd."))
        else:
            raise ValidationError(_("Kies wat er met de mail moet gebeuren."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, mail)


@require_POST
@employee_required
def case_drop_mail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    case = get_case_for(request.user, uuid)
    try:
        mail = file_dropped_mail(file=request.FILES.get("mail"), by=request.user, case=case)
        messages.success(
            request, _("De mail '%(subject)s' is bij de zaak bewaard.") % {"subject": mail.subject}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("backoffice:case", args=[case.uuid]) + "#mails")


@require_POST
@employee_required
def party_drop_mail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    party = get_party_for(request.user, uuid)
    try:
        mail = file_dropped_mail(file=request.FILES.get("mail"), by=request.user, party=party)
        messages.success(
            request, _("De mail '%(subject)s' is bij de klant bewaard.") % {"subject": mail.subject}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("backoffice:party", args=[party.uuid]) + "#mails")
