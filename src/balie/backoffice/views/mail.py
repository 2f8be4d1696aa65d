"""Mail out: "E-mail schrijven" / "Beantwoorden" from a case, a contact moment or the 360° view
(optionally from a mail template, with the case's documents as attachments), the list of sent
mails with their state and "Opnieuw versturen" for a failed one, and Beheer › Mailsjablonen.
Each post validates, calls one action of `balie.mailboxes` and goes back with a message.

Mail in: the mailboxes' state, the triage inbox (file a message in one click), one message
with its sanitised preview, and an .eml / .msg dropped on a case or party page.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.accounts.permissions import can_manage_catalogue
from balie.cases.queries import case_documents, case_parties, cases_for, get_case_for
from balie.contact_moments.models import Channel, Direction
from balie.contact_moments.queries import documents_of_contact_moment, get_contact_moment_for
from balie.mailboxes.actions import (
    assign_mail_to_case,
    assign_mail_to_party,
    create_mail_template,
    delete_mail_rule,
    file_dropped_mail,
    mailbox_of,
    make_contact_moment_from_mail,
    resend_mail,
    save_mail_rule,
    send_mail,
    update_mail_template,
    update_mailbox_senders,
)
from balie.mailboxes.models import IncomingMail, MailRule, SentMail, SentMailState
from balie.mailboxes.queries import (
    active_templates,
    all_templates,
    get_mail_for,
    get_mailbox_to_manage,
    get_sent_mail_for,
    get_template,
    list_sent_mails,
    mail_documents,
    mailboxes_overview,
    rules_of,
    triage_inbox,
)
from balie.mailboxes.templates import merge_fields, render_template
from balie.parties.models import ContactPointKind, Party
from balie.parties.queries import get_party_for

from ..access import EmployeeRequest, employee_required, permission_required
from ..forms.common import add_domain_errors
from ..forms.mail import MailboxSendersForm, MailForm, MailRuleForm, MailTemplateForm
from .case_pages import log_person_accesses

admin_required = permission_required(can_manage_catalogue)


def _email_of(party: Party | None) -> str:
    if party is None:
        return ""
    point = party.contact_points.filter(kind=ContactPointKind.EMAIL).order_by("-preferred", "id").first()
    return point.value if point else ""


def _context_of(request: EmployeeRequest) -> dict[str, Any]:
    """What the mail is written from (?zaak=, ?contact=, ?klant=), each read as the employee may
    see it (404 otherwise); the party defaults to the contact's, else the case's first party."""
    source = request.POST if request.method == "POST" else request.GET
    case = get_case_for(request.user, source["zaak"]) if source.get("zaak") else None
    moment = get_contact_moment_for(request.user, source["contact"]) if source.get("contact") else None
    if moment is not None and case is None and moment.case is not None:
        case = get_case_for(request.user, moment.case.uuid)
    party = get_party_for(request.user, source["klant"]) if source.get("klant") else None
    if party is None and moment is not None:
        party = moment.party
    if party is None and case is not None:
        roles = case_parties(case)
        party = roles[0].party if roles else None
    if case is None and moment is None and party is None:
        raise Http404
    documents: list[Any] = []
    if case is not None:
        documents += [link.document for link in case_documents(case, user=request.user)]
    if moment is not None:
        documents += [link.document for link in documents_of_contact_moment(request.user, moment)]
    # The copies of mails sent before are no attachments to offer.
    sent_copies = set(SentMail.objects.filter(eml__in=documents).values_list("eml_id", flat=True))
    documents = [
        d for d in {d.pk: d for d in documents}.values() if d.current_version_id and d.pk not in sent_copies
    ]
    return {"case": case, "moment": moment, "party": party, "documents": documents}


@employee_required
def write_mail(request: EmployeeRequest) -> HttpResponse:
    found = _context_of(request)
    case, moment, party, documents = found["case"], found["moment"], found["party"], found["documents"]
    if party is not None:
        log_person_accesses(request, [party])
    replying = bool(
        moment is not None and moment.channel == Channel.EMAIL and moment.direction == Direction.INBOUND
    )
    templates = active_templates()
    if request.method == "POST" and "use_template" not in request.POST:
        form = MailForm(request.POST, templates=templates, documents=documents)
        if form.is_valid():
            data = form.cleaned_data
            chosen = set(data.get("attachments") or [])
            try:
                mail = send_mail(
                    by=request.user,
                    to=data["to"],
                    subject=data["subject"],
                    body=data["body"],
                    case=case,
                    contact_moment=moment,
                    party=party,
                    template=data["template"],
                    attachments=[d for d in documents if str(d.uuid) in chosen],
                    in_reply_to=data["in_reply_to"],
                    references=data["references"],
                )
            except ValidationError as error:
                add_domain_errors(form, error)
            else:
                messages.success(
                    request, _("De e-mail aan %(to)s vertrekt zo dadelijk.") % {"to": mail.to_address}
                )
                return redirect("backoffice:sent_mail_detail", mail.uuid)
    else:
        source = request.POST if request.method == "POST" else request.GET
        initial: dict[str, Any] = {
            "to": source.get("to") or _email_of(party),
            "in_reply_to": source.get("in_reply_to", ""),
            "references": source.get("references", ""),
            "subject": source.get("subject", ""),
            "body": source.get("body", ""),
        }
        if replying and moment is not None and not initial["subject"]:
            initial["subject"] = _("Re: %(subject)s") % {"subject": moment.summary.split("\n", 1)[0][:200]}
        template_id = source.get("template", "")
        if template_id:
            template = next((t for t in templates if str(t.uuid) == template_id), None)
            if template is not None:
                subject, body = render_template(template, party=party, case=case, employee=request.user)
                initial.update(template=template, subject=subject, body=body)
        form = MailForm(initial=initial, templates=templates, documents=documents)
    department = (
        case.department if case is not None else moment.department if moment else request.user.department
    )
    context = {
        "form": form,
        "case": case,
        "moment": moment,
        "party": party,
        "replying": replying,
        "mailbox": mailbox_of(department),
    }
    return render(request, "backoffice/mail/write.html", context)


@require_GET
@employee_required
def sent_mails(request: EmployeeRequest) -> HttpResponse:
    state = request.GET.get("toestand", "")
    context = {
        "mails": list_sent_mails(request.user, state=state),
        "state": state if state in SentMailState.values else "",
        "states": SentMailState.choices,
    }
    return render(request, "backoffice/mail/list.html", context)


@require_GET
@employee_required
def sent_mail_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    mail = get_sent_mail_for(request.user, uuid)
    if mail.party is not None:
        log_person_accesses(request, [mail.party])
    return render(request, "backoffice/mail/detail.html", {"mail": mail})


@require_POST
@employee_required
def sent_mail_resend(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    mail = get_sent_mail_for(request.user, uuid)
    try:
        resend_mail(mail=mail, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De e-mail wordt opnieuw verstuurd."))
    return redirect("backoffice:sent_mail_detail", mail.uuid)


@require_GET
@admin_required
def mail_templates(request: EmployeeRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/manage/mail_templates/list.html",
        {"templates": all_templates(), "section": "mail_templates"},
    )


@admin_required
def mail_template_form(request: EmployeeRequest, uuid: uuid.UUID | None = None) -> HttpResponse:
    template = get_template(uuid) if uuid else None
    initial = (
        {"name": template.name, "subject": template.subject, "body": template.body, "active": template.active}
        if template
        else {"active": True}
    )
    form = MailTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if template is None:
                create_mail_template(by=request.user, **form.cleaned_data)
            else:
                update_mail_template(template=template, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het mailsjabloon is bewaard."))
            return redirect("backoffice:manage_mail_templates")
    context = {"form": form, "template": template, "fields": merge_fields(), "section": "mail_templates"}
    return render(request, "backoffice/manage/mail_templates/form.html", context)


# -- mail in ------------------------------------------------------------------------------------


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
    return render(
        request,
        "backoffice/mail/mailboxes.html",
        {"mailboxes": mailboxes_overview(request.user), "can_manage": can_manage_catalogue(request.user)},
    )


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
        "backoffice/mail/incoming_detail.html",
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


# -- a mailbox's rules and sender lists (the functional administrator) --------------------------


def _rule_initial(rule: MailRule) -> dict[str, Any]:
    return {
        "position": rule.position,
        "name": rule.name,
        "active": rule.active,
        "sender": rule.sender,
        "recipient": rule.recipient,
        "subject_contains": rule.subject_contains,
        "target": rule.target,
        "case_type": rule.case_type.uuid if rule.case_type else None,
    }


@employee_required  # anyone but the functional administrator: 404 (get_mailbox_to_manage)
def mailbox_rules(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    """One mailbox's rules (what a message becomes) and its sender lists. Each form posts on its
    own (`form` = senders, rule, delete); a refused form is shown again with its errors."""
    mailbox = get_mailbox_to_manage(request.user, uuid)
    rules = rules_of(mailbox)
    senders_form = MailboxSendersForm(
        initial={"allowed_senders": mailbox.allowed_senders, "denied_senders": mailbox.denied_senders}
    )
    new_rule_form = MailRuleForm(
        prefix="new", initial={"position": (rules[-1].position + 10) if rules else 10}
    )
    edit_forms = {
        rule.pk: MailRuleForm(prefix=f"rule-{rule.pk}", initial=_rule_initial(rule)) for rule in rules
    }
    if request.method == "POST":
        which = request.POST.get("form", "")
        if which == "senders":
            senders_form = MailboxSendersForm(request.POST)
            if senders_form.is_valid():
                try:
                    update_mailbox_senders(mailbox=mailbox, by=request.user, **senders_form.cleaned_data)
                except ValidationError as error:
                    add_domain_errors(senders_form, error)
                else:
                    messages.success(request, _("De lijsten van afzenders zijn bewaard."))
                    return redirect("backoffice:manage_mailbox_rules", mailbox.uuid)
        elif which in ("rule", "delete"):
            rule = None
            if request.POST.get("rule"):
                rule = next((r for r in rules if str(r.pk) == request.POST["rule"]), None)
                if rule is None:
                    raise Http404
            if which == "delete":
                if rule is None:
                    raise Http404
                delete_mail_rule(mailbox=mailbox, rule=rule, by=request.user)
                messages.success(request, _("De regel is verwijderd."))
                return redirect("backoffice:manage_mailbox_rules", mailbox.uuid)
            form = MailRuleForm(request.POST, prefix=f"rule-{rule.pk}" if rule else "new")
            if rule is None:
                new_rule_form = form
            else:
                edit_forms[rule.pk] = form
            if form.is_valid():
                try:
                    save_mail_rule(mailbox=mailbox, by=request.user, rule=rule, **form.cleaned_data)
                except ValidationError as error:
                    add_domain_errors(form, error)
                else:
                    messages.success(request, _("De regel is bewaard."))
                    return redirect("backoffice:manage_mailbox_rules", mailbox.uuid)
        else:
            raise Http404
    context = {
        "mailbox": mailbox,
        "senders_form": senders_form,
        "new_rule_form": new_rule_form,
        "rules": [(rule, edit_forms[rule.pk]) for rule in rules],
        "section": "mailboxes",
    }
    return render(request, "backoffice/manage/mailbox_rules.html", context, status=200)
