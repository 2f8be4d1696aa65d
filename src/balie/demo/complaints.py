"""Demo complaints for the `klachten` login: a few in every step of the reglement this year, and a
closed year behind them for the annual report. Made through the intake handler and the complaint
actions; the dates are then moved back to when each step would have happened."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Exists, OuterRef

from balie.accounts.models import Department, Role, User
from balie.cases.registries import Intake, intake_handlers
from balie.complaints import actions
from balie.complaints.actions import MAIL_SENDER
from balie.complaints.models import Complaint
from balie.complaints.setup import setup_complaint_case_type
from balie.core.models import OutboxMessage
from balie.parties.models import ContactPoint, Party

# (subject, text, department code, theme, channel)
COMPLAINTS = [
    (
        "Onvriendelijk onthaal",
        "De medewerker aan het loket was kortaf en hielp me niet verder.",
        "burgerzaken",
        "staff_behaviour",
        "counter",
    ),
    (
        "Geen antwoord op mijn mail",
        "Ik mailde drie keer over mijn aanvraag en kreeg nooit antwoord.",
        "omgeving",
        "delay",
        "email",
    ),
    (
        "Vergunning duurt te lang",
        "Mijn aanvraag omgevingsvergunning ligt al maanden stil.",
        "omgeving",
        "delay",
        "letter",
    ),
    (
        "Zaal dubbel geboekt",
        "Onze vereniging stond voor een gesloten zaal: die was dubbel verhuurd.",
        "vrije-tijd",
        "procedure",
        "phone",
    ),
    (
        "Factuur klopt niet",
        "Ik kreeg een factuur voor een ophaling die nooit gebeurde.",
        "financien",
        "service",
        "web",
    ),
    (
        "Openingsuren recyclagepark",
        "Het recyclagepark sloot een half uur vroeger dan aangekondigd.",
        "omgeving",
        "accessibility",
        "email",
    ),
    (
        "Verkeerde informatie bij verhuis",
        "Aan de telefoon kreeg ik verkeerde uitleg over mijn adreswijziging.",
        "burgerzaken",
        "information",
        "phone",
    ),
    (
        "Lange wachttijd sociale dienst",
        "Ik wacht al weken op een afspraak bij de sociale dienst.",
        "welzijn",
        "delay",
        "counter",
    ),
]
OUTCOMES = ["founded", "unfounded", "partly_founded", "no_judgement", "founded", "unfounded"]
IMPROVEMENTS = {
    "founded": "Werkinstructie aangepast en besproken op het teamoverleg.",
    "partly_founded": "Extra opleiding klantvriendelijk schrijven voor de dienst.",
}


def _with_email(customers: list[Party]) -> list[Party]:
    has_mail = ContactPoint.objects.filter(party=OuterRef("pk"), kind="email")
    ids = set(
        Party.objects.filter(pk__in=[p.pk for p in customers])
        .filter(Exists(has_mail))
        .values_list("pk", flat=True)
    )
    return [party for party in customers if party.pk in ids]


def _investigator(department: Department) -> User | None:
    return (
        User.objects.filter(department=department, is_active=True, role_assignments__role=Role.CASE_HANDLER)
        .order_by("id")
        .first()
    )


def build_complaints(
    rng: random.Random,
    now: dt.datetime,
    employees: dict[str, User],
    departments: dict[str, Department],
    customers: list[Party],
) -> int:
    coordinator = employees["klachten"]
    setup_complaint_case_type(department=departments["communicatie"], by=employees["beheer"])
    people = _with_email(customers) or customers

    def intake(index: int, days_ago: int, *, anonymous: bool = False) -> Complaint:
        subject, text, department, theme, channel = COMPLAINTS[index % len(COMPLAINTS)]
        case = intake_handlers.get("complaint")(
            Intake(
                kind="complaint",
                channel=channel,
                party=None if anonymous else rng.choice(people),
                subject=subject,
                text=text,
                received_at=now - dt.timedelta(days=days_ago, hours=rng.uniform(0, 6)),
                by=coordinator,
                source="demo",
                extra={"department": departments[department], "theme": theme},
            )
        )
        return Complaint.objects.get(case=case)

    def mail(**extra: Any) -> dict[str, Any]:
        return {"how": "email", "subject": "Uw klacht", "body": "Zie bijgevoegd.", **extra}

    def through(complaint: Complaint, until: str, outcome: str = "unfounded") -> Complaint:
        complaint = actions.decide_admissibility(complaint=complaint, by=coordinator, admissible=True)
        if until == "admissible":
            return complaint
        complaint = actions.acknowledge_complaint(complaint=complaint, by=coordinator, **mail())
        investigator = (
            _investigator(complaint.department_concerned) if complaint.department_concerned else None
        )
        if until == "acknowledged" or investigator is None:
            return complaint
        complaint = actions.assign_investigator(
            complaint=complaint, by=coordinator, investigator=investigator
        )
        complaint = actions.start_investigation(complaint=complaint, by=coordinator)
        if until == "investigating":
            return complaint
        complaint = actions.answer_complaint(
            complaint=complaint,
            by=coordinator,
            outcome=outcome,
            answer_text="We onderzochten uw klacht grondig met de betrokken dienst.",
            improvement_action=IMPROVEMENTS.get(outcome, ""),
            **mail(),
        )
        if until == "answered":
            return complaint
        return actions.close_complaint(complaint=complaint, by=coordinator)

    # This year: every step on the coordinator's board.
    intake(0, 1)
    intake(1, 2)
    through(intake(2, 6), "admissible")
    through(intake(3, 12), "admissible")  # acknowledgement overdue
    through(intake(4, 15), "acknowledged")
    through(intake(5, 30), "investigating")
    through(intake(6, 42), "investigating")  # answer due within days
    extended = through(intake(7, 40), "investigating")
    actions.extend_complaint(
        complaint=extended, by=coordinator, reason="Advies van de politie gevraagd", **mail()
    )
    through(intake(0, 50), "investigating")  # overdue
    through(intake(1, 25), "answered", outcome="partly_founded")
    anonymous = intake(2, 5, anonymous=True)
    actions.decide_admissibility(complaint=anonymous, by=coordinator, admissible=False, reason="anonymous")
    question = intake(5, 4)
    question = actions.decide_admissibility(
        complaint=question,
        by=coordinator,
        admissible=False,
        reason="not_a_complaint",
        note="Een vraag om informatie",
    )
    actions.convert_complaint(complaint=question, by=coordinator, target="contact")

    # Last year, closed: the annual report's material. Steps happen "now"; move them back.
    last_year = now.year - 1
    for index in range(18):
        received = dt.datetime(last_year, 1 + index * 11 // 18, rng.randint(1, 27), 10, tzinfo=now.tzinfo)
        days_ago = (now - received).days
        complaint = through(intake(index, days_ago), "closed", outcome=OUTCOMES[index % len(OUTCOMES)])
        lead = rng.choice([12, 20, 28, 35, 41, 44, 52])
        Complaint.objects.filter(pk=complaint.pk).update(
            acknowledged_on=complaint.received_on + dt.timedelta(days=rng.choice([2, 4, 6, 9, 12])),
            answered_on=complaint.received_on + dt.timedelta(days=lead),
            closed_on=complaint.received_on + dt.timedelta(days=lead + 1),
        )
    inadmissible = intake(3, (now - dt.datetime(last_year, 6, 3, tzinfo=now.tzinfo)).days)
    actions.decide_admissibility(
        complaint=inadmissible,
        by=coordinator,
        admissible=False,
        reason="facts_too_old",
        note="Feiten van 2019",
    )
    # The demo's history was "sent" in the past: no mails to send now.
    OutboxMessage.objects.filter(sender=MAIL_SENDER).delete()
    return Complaint.objects.count()
