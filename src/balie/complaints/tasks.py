"""Background work: the complainant's mails (outbox sender) and the daily deadline warnings."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, send_mass_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from balie.accounts.models import User
from balie.cases.models import Case
from balie.cases.registries import CustomerMessage, customer_message_recorders
from balie.core.models import OutboxMessage
from balie.parties.models import Party

from .models import OPEN_STATES, Complaint, ComplaintState

logger = logging.getLogger("balie.complaints")

ACKNOWLEDGE_WARNING_DAYS = 3  # the acknowledgement term is short: warn three days before


def send_complainant_mail(message: OutboxMessage) -> None:
    """The outbox sender `complaints.mail` (apps.py): the reviewed mail, then its contact trace."""
    payload = message.payload
    case = Case.objects.select_related("department").get(pk=payload["case"])
    EmailMessage(
        subject=payload["subject"],
        body=payload["body"],
        to=[payload["to"]],
        reply_to=[case.department.email] if case.department.email else None,
        headers={"X-Balie-Case": case.number, "Message-ID": f"<{message.idempotency_key}@balie>"},
    ).send()
    party = Party.objects.filter(pk=payload.get("party")).first()
    if party is not None:
        sent = CustomerMessage(
            case=case,
            party=party,
            address=payload["to"],
            subject=payload["subject"],
            body=payload["body"],
            sent_by=User.objects.get(pk=payload["by"]),
        )
        with transaction.atomic():
            for _name, recorder in customer_message_recorders:
                recorder(sent)


def _recipients(complaint: Complaint) -> list[str]:
    people = [complaint.coordinator, complaint.investigator]
    return sorted({person.email for person in people if person is not None and person.email})


def warn_about_deadlines(*, today: dt.date | None = None, limit: int = 5000) -> dict[str, int]:
    """Mail the coordinator and the investigator once when an acknowledgement or an answer comes
    due, and once when the answer is overdue."""
    today = today or timezone.localdate()
    open_rows = Complaint.objects.filter(state__in=OPEN_STATES).select_related(
        "case", "coordinator", "investigator"
    )
    ack = list(
        open_rows.filter(
            state__in=[ComplaintState.REGISTERED, ComplaintState.ADMISSIBLE],
            acknowledge_warned_on__isnull=True,
            acknowledge_due__lte=today + dt.timedelta(days=ACKNOWLEDGE_WARNING_DAYS),
        ).order_by("acknowledge_due", "id")[:limit]
    )
    soon = list(
        open_rows.exclude(state=ComplaintState.ANSWERED)
        .filter(
            answer_warned_on__isnull=True,
            answer_due__gte=today,
            answer_due__lte=today + dt.timedelta(days=settings.BALIE_COMPLAINT_WARNING_DAYS),
        )
        .order_by("answer_due", "id")[:limit]
    )
    late = list(
        open_rows.exclude(state=ComplaintState.ANSWERED)
        .filter(overdue_warned_on__isnull=True, answer_due__lt=today)
        .order_by("answer_due", "id")[:limit]
    )
    mails: list[tuple[str, str, str, list[str]]] = []

    def add(complaint: Complaint, subject: str, body: str) -> None:
        to = _recipients(complaint)
        if to:
            mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, to))

    for c in ack:
        add(
            c,
            f"Klacht {c.case.number}: ontvangst te bevestigen tegen {c.acknowledge_due:%d/%m/%Y}",
            f"De klacht {c.case.number} ({c.case.subject}) moet uiterlijk op {c.acknowledge_due:%d/%m/%Y} "
            "ontvankelijk verklaard en bevestigd zijn.",
        )
    for c in soon:
        add(
            c,
            f"Klacht {c.case.number}: te beantwoorden tegen {c.answer_due:%d/%m/%Y}",
            f"De klacht {c.case.number} ({c.case.subject}) moet uiterlijk op {c.answer_due:%d/%m/%Y} "
            "beantwoord zijn.",
        )
    for c in late:
        add(
            c,
            f"Klacht {c.case.number}: antwoordtermijn overschreden",
            f"De klacht {c.case.number} ({c.case.subject}) had op {c.answer_due:%d/%m/%Y} beantwoord "
            "moeten zijn.",
        )
    with transaction.atomic():
        Complaint.objects.filter(pk__in=[c.pk for c in ack]).update(acknowledge_warned_on=today)
        Complaint.objects.filter(pk__in=[c.pk for c in soon]).update(answer_warned_on=today)
        Complaint.objects.filter(pk__in=[c.pk for c in late]).update(overdue_warned_on=today)
    if mails:
        send_mass_mail(mails, fail_silently=False)
    logger.info("complaint deadline warnings", extra={"ack": len(ack), "soon": len(soon), "late": len(late)})
    return {"acknowledge": len(ack), "answer": len(soon), "overdue": len(late)}


@task()
def warn_complaint_deadlines() -> dict[str, int]:
    return warn_about_deadlines()
