"""Demo case types and cases, made through the catalogue and case actions like an administrator
and the handlers would. The cases' history is then spread over the past months."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Max
from django.utils import timezone

from balie.accounts.models import Department, Role, User
from balie.cases import catalogue
from balie.cases.actions import (
    CUSTOMER_MAIL_SENDER,
    assign_case,
    close_case,
    complete_case_task,
    register_case,
    set_status,
    suspend_case,
)
from balie.cases.models import Case, CaseEvent, CaseStatus, CaseType, DayUnit, RoleKind
from balie.cases.retention import list_cases_due_for_review
from balie.cases.workflow import allowed_next
from balie.core.models import OutboxMessage
from balie.parties.models import Party

# (code, name, department code, lead time, unit, statuses [(name, informs, checklist)], attributes, results)
CASE_TYPES: list[dict[str, Any]] = [
    {
        "code": "omgevingsvergunning",
        "name": "Omgevingsvergunning (lokaal)",
        "department": "omgeving",
        "lead_time": 60,
        "unit": DayUnit.WORKING,
        "suspension": 90,
        "extension": 30,
        "statuses": [
            ("Ontvangen", True, ["Ontvankelijkheid en volledigheid nakijken"]),
            ("Openbaar onderzoek", False, ["Aanplakking controleren", "Bezwaren registreren"]),
            ("Advies", False, ["Advies brandweer opvragen"]),
            ("Beslist", True, []),
            ("Afgehandeld", False, []),
        ],
        "attributes": [
            ("perceel", "Kadastraal perceel", "text", True, {}),
            ("oppervlakte", "Bebouwde oppervlakte (m²)", "number", False, {"min_value": 0}),
            ("beslissingsdatum", "Datum van de beslissing", "date", False, {}),
        ],
        "results": [("Vergund", "keep", 20), ("Geweigerd", "destroy", 20), ("Ingetrokken", "destroy", 5)],
    },
    {
        "code": "bewonerskaart",
        "name": "Bewonerskaart parkeren",
        "department": "burgerzaken",
        "lead_time": 10,
        "unit": DayUnit.CALENDAR,
        "suspension": 30,
        "extension": 0,
        "statuses": [
            ("Ontvangen", True, ["Inschrijving en voertuig nakijken"]),
            ("Kaart aangemaakt", True, []),
            ("Afgehandeld", False, []),
        ],
        "attributes": [
            ("nummerplaat", "Nummerplaat", "text", True, {"max_length": 12}),
            ("zone", "Zone", "choice", True, {"choices": ["Centrum", "Station", "Markt"]}),
        ],
        "results": [("Toegekend", "destroy", 2), ("Geweigerd", "destroy", 2)],
    },
    {
        "code": "premie-energie",
        "name": "Energiepremie",
        "department": "omgeving",
        "lead_time": 30,
        "unit": DayUnit.WORKING,
        "suspension": 60,
        "extension": 20,
        "statuses": [
            ("Ontvangen", True, ["Facturen nakijken"]),
            ("In behandeling", False, ["Plaatsbezoek plannen"]),
            ("Uitbetaald of geweigerd", True, []),
            ("Afgehandeld", False, []),
        ],
        "attributes": [
            ("bedrag", "Gevraagd bedrag (euro)", "number", True, {"min_value": 0, "max_value": 10000}),
            (
                "soort_werken",
                "Soort werken",
                "choice",
                True,
                {"choices": ["Dakisolatie", "Zonneboiler", "Warmtepomp"]},
            ),
        ],
        "results": [("Toegekend", "destroy", 10), ("Geweigerd", "destroy", 10)],
    },
]

MESSAGES = {
    "nl": {
        "subject": "Uw dossier {{ zaak.nummer }}: {{ zaak.status }}",
        "body": "Beste {{ klant.naam }},\n\nUw dossier {{ zaak.nummer }} ({{ zaak.zaaktype }}) "
        "heeft nu de status '{{ zaak.status }}'. We behandelen het uiterlijk tegen {{ zaak.termijn }}.\n\n"
        "Met vriendelijke groet,\n{{ zaak.dienst }}, {{ gemeente }}",
    },
    "fr": {
        "subject": "Votre dossier {{ zaak.nummer }} : {{ zaak.status }}",
        "body": "Bonjour {{ klant.naam }},\n\nVotre dossier {{ zaak.nummer }} a maintenant le statut "
        "« {{ zaak.status }} ». Nous le traitons au plus tard le {{ zaak.termijn }}.\n\n"
        "Cordialement,\n{{ gemeente }}",
    },
}

SUBJECTS = {
    "omgevingsvergunning": [
        "Verbouwing woning",
        "Nieuwbouw carport",
        "Plaatsen veranda",
        "Kappen van een boom",
    ],
    "bewonerskaart": ["Eerste bewonerskaart", "Nieuwe wagen", "Verhuis binnen de zone"],
    "premie-energie": ["Premie dakisolatie", "Premie warmtepomp", "Premie zonneboiler"],
}


def build_case_types(admin: User, departments: dict[str, Department]) -> list[CaseType]:
    types = []
    for spec in CASE_TYPES:
        draft = catalogue.create_case_type(
            code=spec["code"], name=spec["name"], department=departments[spec["department"]], by=admin
        )
        catalogue.update_version(
            version=draft,
            by=admin,
            lead_time_days=spec["lead_time"],
            lead_time_unit=spec["unit"],
            suspension_allowed=bool(spec["suspension"]),
            max_suspension_days=spec["suspension"],
            extension_allowed=bool(spec["extension"]),
            max_extension_days=spec["extension"],
        )
        for name, informs, checklist in spec["statuses"]:
            status = catalogue.add_status_type(
                version=draft,
                by=admin,
                name=name,
                informs_customer=informs,
                messages=MESSAGES if informs else None,
            )
            for item in checklist:
                catalogue.add_checklist_item(status=status, by=admin, description=item)
        catalogue.add_role_type(version=draft, by=admin, kind=RoleKind.INITIATOR, name="Aanvrager")
        catalogue.add_role_type(
            version=draft, by=admin, kind=RoleKind.REPRESENTATIVE, name="Architect of gemachtigde"
        )
        for code, label, kind, required, extra in spec["attributes"]:
            catalogue.add_attribute(
                version=draft, by=admin, code=code, label=label, kind=kind, required=required, **extra
            )
        for name, nomination, years in spec["results"]:
            catalogue.add_result_type(
                version=draft, by=admin, name=name, archival_nomination=nomination, retention_years=years
            )
        catalogue.add_document_type(version=draft, by=admin, name="Aanvraagformulier", direction="incoming")
        catalogue.add_document_type(version=draft, by=admin, name="Beslissing", direction="outgoing")
        types.append(catalogue.publish_version(version=draft, by=admin).case_type)
    return types


def _attributes(rng: random.Random, code: str) -> dict[str, Any]:
    if code == "omgevingsvergunning":
        return {
            "perceel": f"Afdeling {rng.randint(1, 4)}, sectie {rng.choice('ABCD')}, {rng.randint(1, 900)}K",
            "oppervlakte": rng.randint(12, 240),
        }
    if code == "bewonerskaart":
        return {
            "nummerplaat": "1-{}-{}".format(
                "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3)), rng.randint(100, 999)
            ),
            "zone": rng.choice(["Centrum", "Station", "Markt"]),
        }
    return {
        "bedrag": rng.randint(250, 5000),
        "soort_werken": rng.choice(["Dakisolatie", "Zonneboiler", "Warmtepomp"]),
    }


def build_cases(
    rng: random.Random,
    now: dt.datetime,
    types: list[CaseType],
    customers: list[Party],
    count: int,
    old_count: int = 6,
) -> int:
    """`count` cases over the last four months, each worked some way along its statuses, and
    `old_count` closed long ago; then the archivist's review list is brought up to date."""
    handlers_by_department: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role_assignments__role__in=[Role.CASE_HANDLER, Role.TEAM_LEAD, Role.FRONT_DESK]
    ):
        assert user.department_id is not None
        handlers_by_department.setdefault(user.department_id, []).append(user)
    made: list[tuple[Case, dt.datetime]] = []

    def make(case_type: CaseType, registered_at: dt.datetime, steps: int | None = None) -> None:
        staff = handlers_by_department[case_type.department_id]
        by = rng.choice(staff)
        case = register_case(
            case_type=case_type,
            by=by,
            subject=rng.choice(SUBJECTS[case_type.code]),
            parties=[(rng.choice(customers), RoleKind.INITIATOR)],
            attributes=_attributes(rng, case_type.code),
            registered_at=registered_at,
        )
        if rng.random() < 0.8:
            case = assign_case(case=case, by=by, handler=by)
        if steps is None:
            age = (now - registered_at).days
            steps = min(len(allowed_next(case)) + 4, int(age / 15) + rng.randint(0, 1))
        end = case.version.status_types.aggregate(top=Max("order"))["top"]
        for _ in range(steps):
            for task in case.tasks.filter(done_at__isnull=True, status_type=case.status_type):
                complete_case_task(task=task, by=by)
            following = allowed_next(case)
            if not following:
                break
            if following[0].order == end:
                result = rng.choice(list(case.version.result_types.all()))
                case = close_case(case=case, result_type=result, by=by)
                break
            case = set_status(case=case, status_type=following[0], by=by)
        if case.closed_at is None and case.version.suspension_allowed and rng.random() < 0.08:
            suspend_case(case=case, by=by, reason="Wachten op bijkomende stukken van de aanvrager")
        made.append((case, registered_at))

    for index in range(count):
        registered_at = now - dt.timedelta(days=rng.uniform(0, 120), hours=rng.uniform(0, 8))
        make(types[index % len(types)], registered_at)
    # A few residents' parking cards of three years ago: their retention (two years) has passed,
    # so the archivist has a review list.
    parking = next(case_type for case_type in types if case_type.code == "bewonerskaart")
    for _ in range(old_count):
        make(parking, now - dt.timedelta(days=rng.uniform(1000, 1100)), steps=10)
    _spread_history(rng, now, made)
    list_cases_due_for_review(today=timezone.localdate(now))
    return len(made)


def _spread_history(rng: random.Random, now: dt.datetime, made: list[tuple[Case, dt.datetime]]) -> None:
    """The actions stamped everything 'now': move each case's steps between its registration and
    now, keep the deadline relative to the registration, and mark past mails as sent."""
    for case, registered_at in made:
        span = (now - registered_at).total_seconds()
        if span > 365 * 86400:  # an old case was handled within weeks, not over the years since
            span = 45 * 86400
        rows = list(CaseStatus.objects.filter(case=case).order_by("sequence"))
        times = sorted(registered_at + dt.timedelta(seconds=rng.uniform(0, span)) for _ in rows[1:])
        stamps = [registered_at, *times]
        for row, at in zip(rows, stamps, strict=True):
            CaseStatus.objects.filter(pk=row.pk).update(set_at=at, customer_informed_at=at)
        update: dict[str, Any] = {"status_set_at": stamps[-1]}
        if case.closed_at is not None and case.result_type is not None:
            closed_on = timezone.localdate(stamps[-1])
            years = case.result_type.retention_years
            update["closed_at"] = stamps[-1]
            update["archive_action_date"] = closed_on + (
                dt.date(closed_on.year + years, 3, 1) - dt.date(closed_on.year, 3, 1)
            )
        if case.suspended_since is not None:
            update["suspended_since"] = timezone.localdate(stamps[-1])
        Case.objects.filter(pk=case.pk).update(**update)
        events = list(CaseEvent.objects.filter(case=case).order_by("id"))
        if events:
            step = span / max(len(events), 1)
            for i, event in enumerate(events):
                CaseEvent.objects.filter(pk=event.pk).update(
                    at=registered_at + dt.timedelta(seconds=step * i)
                )
    # The demo's history was "sent" in the past: no mails to send now.
    OutboxMessage.objects.filter(sender=CUSTOMER_MAIL_SENDER).delete()
