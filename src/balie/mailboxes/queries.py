"""Reads of incoming mail that hide what the reader may not see ("not found" for outsiders).

A mail is seen by who sees the case it joined, else by the mailbox's department (the triage
inbox), else (dropped on a party page) by who sees its contact moment or the department of who
filed it."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality, can_manage_catalogue
from balie.cases.models import Case
from balie.cases.queries import cases_for
from balie.contact_moments.queries import contact_moments_for
from balie.core.timeline import TimelineEntry
from balie.parties.models import Party

from .models import IncomingMail, IncomingMailDocument, Mailbox, MailState


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


def case_timeline_for(user: Any, case: Case, limit: int) -> list[TimelineEntry]:
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
