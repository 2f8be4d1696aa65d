"""Reads of sent mails, with the visibility rule in one place: a mail is seen by whoever may see
its contact moment (a confidential one only by its department) and, when it belongs to a case,
the case. What one may not see is "not found".

Reads of incoming mail that hide what the reader may not see ("not found" for outsiders).

A mail is seen by who sees the case it joined, else by the mailbox's department (the triage
inbox), else (dropped on a party page) by who sees its contact moment or the department of who
filed it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality, can_manage_catalogue
from balie.cases.models import Case
from balie.cases.queries import cases_for
from balie.contact_moments.queries import contact_moments_for
from balie.core.timeline import TimelineEntry
from balie.parties.models import Party

from .models import (
    IncomingMail,
    IncomingMailDocument,
    Mailbox,
    MailRule,
    MailState,
    MailTemplate,
    SentMail,
    SentMailState,
)

LIST_PAGE = 50


def sent_mails_for(user: Any) -> QuerySet[SentMail]:
    if not acts_for_municipality(user):
        return SentMail.objects.none()
    visible_moment = Exists(contact_moments_for(user).filter(pk=OuterRef("contact_moment_id")))
    visible_case = Q(case__isnull=True) | Exists(cases_for(user).filter(pk=OuterRef("case_id")))
    return SentMail.objects.filter(visible_moment, visible_case)


def get_sent_mail_for(user: Any, mail_id: uuid.UUID | str) -> SentMail:
    try:
        return (
            sent_mails_for(user)
            .select_related("mailbox", "case", "party", "contact_moment", "sent_by", "eml", "answers")
            .prefetch_related("attachments__version__document")
            .get(uuid=mail_id)
        )
    except (SentMail.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def list_sent_mails(user: Any, *, state: str = "", limit: int = LIST_PAGE) -> list[SentMail]:
    rows = sent_mails_for(user).select_related("case", "party", "mailbox", "sent_by")
    if state in SentMailState.values:
        rows = rows.filter(state=state)
    return list(rows.order_by("-queued_at", "-id")[:limit])


def sent_mails_of_case(user: Any, case: Case, *, limit: int = 50) -> list[SentMail]:
    return list(
        sent_mails_for(user).filter(case=case).select_related("party").order_by("-queued_at", "-id")[:limit]
    )


def sent_mails_of_party(user: Any, party: Party, *, limit: int = 5) -> list[SentMail]:
    return list(
        sent_mails_for(user).filter(party=party).select_related("case").order_by("-queued_at", "-id")[:limit]
    )


def sent_mail_of_contact(user: Any, moment: Any) -> SentMail | None:
    return sent_mails_for(user).filter(contact_moment=moment).first()


def active_templates() -> QuerySet[MailTemplate]:
    return MailTemplate.objects.filter(active=True).order_by("name")


def all_templates() -> QuerySet[MailTemplate]:
    return MailTemplate.objects.order_by("name")


def get_template(template_id: uuid.UUID | str) -> MailTemplate:
    try:
        return MailTemplate.objects.get(uuid=template_id)
    except (MailTemplate.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def _url(mail: SentMail) -> str:
    try:
        return reverse("backoffice:sent_mail_detail", args=[mail.uuid])
    except NoReverseMatch:
        return ""


def sent_mail_timeline_for(user: Any, case: Case, limit: int) -> list[TimelineEntry]:
    """Case timeline source: the mails sent from the case, with their state (a bounce plainly)."""
    return [
        TimelineEntry(
            kind="sent_mail",
            uuid=mail.uuid,
            at=mail.queued_at,
            title=_("E-mail aan %(to)s: %(subject)s") % {"to": mail.to_address, "subject": mail.subject},
            summary=mail.detail if mail.state in (SentMailState.BOUNCED, SentMailState.FAILED) else "",
            url=_url(mail),
            badges=(str(mail.get_state_display()),),
            confidential=mail.confidential,
        )
        for mail in sent_mails_of_case(user, case, limit=limit)
    ]


# -- mail in ------------------------------------------------------------------------------------


def mails_for(user: Any) -> QuerySet[IncomingMail]:
    if not acts_for_municipality(user):
        return IncomingMail.objects.none()
    return IncomingMail.objects.filter(
        Q(case__in=cases_for(user))
        | Q(case__isnull=True, mailbox__department_id=user.department_id)
        | Q(case__isnull=True, mailbox__isnull=True, filed_by__department_id=user.department_id)
        | Q(case__isnull=True, contact_moment__in=contact_moments_for(user))
    )


def get_mail_for(user: Any, mail_uuid: uuid.UUID | str) -> IncomingMail:
    mail = (
        mails_for(user)
        .filter(uuid=mail_uuid)
        .select_related("mailbox", "case", "party", "raw_document")
        .first()
    )
    if mail is None:
        raise Http404(_("Deze mail bestaat niet of je mag hem niet zien."))
    return mail


def triage_inbox(user: Any, *, limit: int = 100) -> list[IncomingMail]:
    return list(
        mails_for(user)
        .filter(state__in=[MailState.TRIAGE, MailState.UNPARSEABLE])
        .select_related("mailbox", "party")
        .order_by("received_at", "pk")[:limit]
    )


def mail_documents(mail: IncomingMail) -> list[IncomingMailDocument]:
    return list(mail.documents.select_related("document"))


def inline_image(mail: IncomingMail, content_id: str) -> IncomingMailDocument | None:
    return mail.documents.filter(content_id=content_id).select_related("document__current_version").first()


def conversation_of_case(user: Any, case: Case, *, limit: int = 100) -> list[IncomingMail]:
    """The case's mails, oldest first: the conversation as it went."""
    return list(mails_for(user).filter(case=case).order_by("received_at", "pk")[:limit])


def conversation_of_party(user: Any, party: Party, *, limit: int = 20) -> list[IncomingMail]:
    return list(mails_for(user).filter(party=party).order_by("-received_at", "-pk")[:limit])


def _entry(mail: IncomingMail) -> TimelineEntry:
    try:
        url = reverse("backoffice:mail_detail", args=[mail.uuid])
    except NoReverseMatch:
        url = ""
    sender = mail.from_name or mail.from_address
    return TimelineEntry(
        kind="mail",
        uuid=mail.uuid,
        at=mail.received_at,
        title=_("E-mail van %(sender)s") % {"sender": sender},
        summary=f"{mail.subject}\n{mail.text[:300]}".strip(),
        url=url,
        badges=(_("inkomend"), str(MailState(mail.state).label)),
        confidential=bool(mail.case and mail.case.confidential),
    )


def incoming_mail_timeline_for(user: Any, case: Case, limit: int) -> list[TimelineEntry]:
    """The case's incoming mails on its timeline (registered in cases.registries)."""
    rows = mails_for(user).filter(case=case).select_related("case").order_by("-received_at", "-pk")[:limit]
    return [_entry(mail) for mail in rows]


def party_timeline_for(user: Any, party: Party, limit: int = 20) -> list[TimelineEntry]:
    rows = mails_for(user).filter(party=party).select_related("case").order_by("-received_at", "-pk")[:limit]
    return [_entry(mail) for mail in rows]


def mailboxes_overview(user: Any) -> list[Mailbox]:
    """Every mailbox with its counts (for the functional administrator), or the user's
    department's mailboxes."""
    if not acts_for_municipality(user):
        return []
    mailboxes = Mailbox.objects.select_related("department")
    if not can_manage_catalogue(user):
        mailboxes = mailboxes.filter(department_id=user.department_id)
    return list(
        mailboxes.annotate(
            total=Count("incoming"),
            waiting=Count(
                "incoming", filter=Q(incoming__state__in=[MailState.TRIAGE, MailState.UNPARSEABLE])
            ),
            refused=Count("incoming", filter=Q(incoming__state=MailState.REFUSED)),
        ).order_by("name")
    )


def thread_of_sent_mail(message_ids: Sequence[str]) -> tuple[Case | None, Party | None] | None:
    """(case, party) of the mail Balie sent with one of these Message-IDs (newest first), for
    threading a reply (registered in `registries.sent_message_lookups`)."""
    for message_id in message_ids:
        mail = SentMail.objects.filter(message_id=message_id).select_related("case", "party").first()
        if mail is not None:
            return mail.case, mail.party
    return None


def get_mailbox_to_manage(user: Any, mailbox_uuid: uuid.UUID | str) -> Mailbox:
    """A mailbox whose rules and sender lists the functional administrator keeps (404 for
    anyone else, and for a mailbox that does not exist)."""
    mailbox = Mailbox.objects.select_related("department").filter(uuid=mailbox_uuid).first()
    if mailbox is None or not (acts_for_municipality(user) and can_manage_catalogue(user)):
        raise Http404(_("Deze mailbox bestaat niet of je mag hem niet beheren."))
    return mailbox


def rules_of(mailbox: Mailbox) -> list[MailRule]:
    """A mailbox's rules in the order they are tried (for the one who manages them:
    `get_mailbox_to_manage` first)."""
    return list(mailbox.rules.select_related("case_type").order_by("position", "pk"))
