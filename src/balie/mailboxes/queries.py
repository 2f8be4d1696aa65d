"""Reads of sent mails, with the visibility rule in one place: a mail is seen by whoever may see
its contact moment (a confidential one only by its department) and, when it belongs to a case,
the case. What one may not see is "not found"."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality
from balie.cases.models import Case
from balie.cases.queries import cases_for
from balie.contact_moments.queries import contact_moments_for
from balie.core.timeline import TimelineEntry
from balie.parties.models import Party

from .models import MailTemplate, SentMail, SentMailState

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


def case_timeline_for(user: Any, case: Case, limit: int) -> list[TimelineEntry]:
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
