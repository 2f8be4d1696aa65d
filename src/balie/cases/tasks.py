"""Background work of the case engine: informing the customer, reminders and escalation.

Informing the customer is an outbox message (sender `cases.customer_mail`) written in the
transaction that set the status, so it exists exactly when the status does; the outbox delivers it
after commit and retries it while the mail server is down. `inform_customer` marks the status row
as informed in the transaction that sends, so a retry after success sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, send_mass_mail
from django.db import transaction
from django.template import Context, Engine
from django.utils import timezone, translation
from django_tasks import task

from balie.accounts.models import Role, User
from balie.core.models import OutboxMessage
from balie.parties.models import ContactPoint, ContactPointKind

from .models import Case, CaseEvent, CaseRole, CaseStatus, EventKind, RoleKind
from .registries import CustomerMessage, customer_message_recorders

logger = logging.getLogger("balie.cases")

# Message templates are written by functional administrators: a sandboxed engine with no
# loaders, no custom tags, autoescape off (plain-text mail), only the context below.
_ENGINE = Engine(autoescape=False, libraries={}, builtins=["django.template.defaultfilters"])


def message_context(case: Case, customer_name: str, language: str) -> dict[str, Any]:
    with translation.override(language):
        return {
            "zaak": {
                "nummer": case.number,
                "onderwerp": case.subject,
                "zaaktype": case.version.name,
                "status": case.status_type.name,
                "termijn": case.deadline.strftime("%d/%m/%Y"),
                "dienst": case.department.name,
            },
            "klant": {"naam": customer_name},
            "gemeente": settings.BALIE_MUNICIPALITY_NAME,
        }


def render_message(template: str, context: dict[str, Any]) -> str:
    return _ENGINE.from_string(template).render(Context(context)).strip()


def pick_message(messages: dict[str, Any], language: str) -> tuple[str, str] | None:
    """The (subject, body) in `language`, else in Dutch; None when neither is filled."""
    for lang in (language, "nl"):
        message = messages.get(lang) or {}
        if message.get("subject") and message.get("body"):
            return message["subject"], message["body"]
    return None


def _email_of(party_id: int) -> str:
    point = (
        ContactPoint.objects.filter(party_id=party_id, kind=ContactPointKind.EMAIL)
        .order_by("-preferred", "-verified", "id")
        .first()
    )
    return point.value if point else ""


def send_customer_mail(message: OutboxMessage) -> None:
    """The outbox sender for `cases.customer_mail` (registered in apps.py)."""
    inform_customer(int(message.payload["case_status_id"]))


def inform_customer(case_status_id: int) -> str:
    """Mail the case's initiator the status type's message; record it as an outgoing contact."""
    with transaction.atomic():
        row = (
            CaseStatus.objects.select_for_update(of=("self",))
            .select_related("case__version", "case__department", "case__status_type", "status_type", "set_by")
            .get(pk=case_status_id)
        )
        if row.customer_informed_at is not None:
            return "already informed"
        case = row.case
        role = (
            CaseRole.objects.filter(case=case, kind=RoleKind.INITIATOR)
            .select_related("party")
            .order_by("id")
            .first()
        )
        if role is None:
            return "no initiator"
        party = role.party
        if not party.notify_by_email:
            CaseEvent.objects.create(
                case=case,
                kind=EventKind.INFORMED,
                at=timezone.now(),
                text="De klant wil geen berichten per e-mail: de stand van zaken staat in het e-loket.",
                data={"status": row.status_type.name, "sent": False},
            )
            row.customer_informed_at = timezone.now()
            row.save(update_fields=["customer_informed_at"])
            return "declined by the customer"
        address = _email_of(party.pk)
        if not address:
            CaseEvent.objects.create(
                case=case,
                kind=EventKind.INFORMED,
                at=timezone.now(),
                text="Geen e-mailadres: klant niet per mail geïnformeerd.",
                data={"status": row.status_type.name, "sent": False},
            )
            row.customer_informed_at = timezone.now()
            row.save(update_fields=["customer_informed_at"])
            return "no e-mail address"
        message = pick_message(row.status_type.messages or {}, party.preferred_language)
        if message is None:
            return "no message template"
        name = f"{party.given_name} {party.family_name}".strip() if party.is_person else party.display_name
        context = message_context(case, name or party.display_name, party.preferred_language)
        # the status the message is about, even when the case moved on since
        context["zaak"]["status"] = row.status_type.name
        subject = render_message(message[0], context).replace("\n", " ")[:200]
        body = render_message(message[1], context)
        mail = EmailMessage(
            subject=subject,
            body=body,
            to=[address],
            reply_to=[case.department.email] if case.department.email else None,
            headers={"X-Balie-Case": case.number},
        )
        mail.send()
        row.customer_informed_at = timezone.now()
        row.save(update_fields=["customer_informed_at"])
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.INFORMED,
            at=row.customer_informed_at,
            by=row.set_by,
            text=subject,
            data={"status": row.status_type.name, "sent": True, "to": address},
        )
        sent = CustomerMessage(
            case=case, party=party, address=address, subject=subject, body=body, sent_by=row.set_by
        )
        for _name, recorder in customer_message_recorders:
            recorder(sent)
    logger.info("customer informed", extra={"case": case.number, "status": row.status_type.name})
    return "sent"


def _team_leads(case: Case) -> list[str]:
    leads = User.objects.filter(
        is_active=True,
        kind="employee",
        role_assignments__role=Role.TEAM_LEAD,
        department_id=case.department_id,
    )
    if case.team_id:
        in_team = leads.filter(team_id=case.team_id)
        if in_team.exists():
            leads = in_team
    return [user.email for user in leads if user.email]


def send_deadline_reminders(*, today: dt.date | None = None, limit: int = 5000) -> int:
    """Mail the handler (or the department) of each open case whose deadline is within its type's
    reminder days, once per case; returns how many were reminded."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=365)
    candidates = (
        Case.objects.filter(
            closed_at__isnull=True,
            suspended_since__isnull=True,
            reminder_sent_on__isnull=True,
            deadline__gte=today,
            deadline__lte=horizon,
        )
        .select_related("version", "handler", "department")
        .order_by("deadline", "id")[:limit]
    )
    mails: list[tuple[str, str, str, list[str]]] = []
    reminded: list[Case] = []
    for case in candidates:
        if (case.deadline - today).days > case.version.reminder_days:
            continue
        to = case.handler.email if case.handler and case.handler.email else case.department.email
        reminded.append(case)
        if to:
            mails.append(
                (
                    f"Herinnering: zaak {case.number} vervalt op {case.deadline:%d/%m/%Y}",
                    f"De zaak {case.number} ({case.subject}) moet uiterlijk op {case.deadline:%d/%m/%Y} "
                    "afgehandeld zijn.",
                    settings.DEFAULT_FROM_EMAIL,
                    [to],
                )
            )
    with transaction.atomic():
        now = timezone.now()
        Case.objects.filter(pk__in=[case.pk for case in reminded]).update(reminder_sent_on=today)
        CaseEvent.objects.bulk_create(
            CaseEvent(case=case, kind=EventKind.REMINDED, at=now, text=f"{case.deadline:%d/%m/%Y}")
            for case in reminded
        )
    if mails:
        send_mass_mail(mails, fail_silently=False)
    return len(reminded)


def escalate_overdue_cases(*, today: dt.date | None = None, limit: int = 5000) -> int:
    """Tell the team leads about each open case past its deadline, once per case."""
    today = today or timezone.localdate()
    overdue = list(
        Case.objects.filter(
            closed_at__isnull=True,
            suspended_since__isnull=True,
            escalated_on__isnull=True,
            deadline__lt=today,
        )
        .select_related("department")
        .order_by("deadline", "id")[:limit]
    )
    mails = []
    for case in overdue:
        leads = _team_leads(case)
        if leads:
            mails.append(
                (
                    f"Termijn overschreden: zaak {case.number}",
                    f"De zaak {case.number} ({case.subject}) had op {case.deadline:%d/%m/%Y} afgehandeld "
                    "moeten zijn.",
                    settings.DEFAULT_FROM_EMAIL,
                    leads,
                )
            )
    with transaction.atomic():
        now = timezone.now()
        Case.objects.filter(pk__in=[case.pk for case in overdue]).update(escalated_on=today)
        CaseEvent.objects.bulk_create(
            CaseEvent(case=case, kind=EventKind.ESCALATED, at=now, text=f"{case.deadline:%d/%m/%Y}")
            for case in overdue
        )
    if mails:
        send_mass_mail(mails, fail_silently=False)
    return len(overdue)


@task()
def remind_and_escalate() -> dict[str, int]:
    return {"reminded": send_deadline_reminders(), "escalated": escalate_overdue_cases()}
