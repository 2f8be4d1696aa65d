"""Load Gemeente Zonnedaal: departments and teams, employees (one login per role), a few hundred
customers, the topic catalogue and six months of contact history.

Units, employees, customers and topics go through the domain actions, so they are exactly what
the application would make. The contact history (thousands of rows) is bulk-inserted. The
content is deterministic (a seeded generator); dates are relative to the moment of loading.
Everything is loaded in one transaction, once: a second call changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from balie.accounts.actions import create_department, create_employee, create_team
from balie.accounts.models import Department, Role, Team, User
from balie.contact_moments.actions import create_topic
from balie.contact_moments.models import (
    Channel,
    ContactMoment,
    Direction,
    InternalTask,
    Outcome,
    TaskStatus,
    Topic,
)
from balie.core.calendar import WorkingDayCalendar
from balie.core.models import ClosingDay
from balie.parties.actions import (
    add_address,
    add_contact_point,
    add_establishment_unit,
    add_representation,
    register_party,
)
from balie.parties.models import AddressKind, ContactPointKind, Party, PartyKind

from . import data
from .cases import build_case_types, build_cases
from .complaints import build_complaints
from .digicheck import build_digicheck
from .door_access import build_door_access
from .identifiers import (
    enterprise_number,
    establishment_number,
    landline_number,
    mobile_number,
    national_number,
)
from .letters import build_letters
from .mail import build_mail
from .mail_in import build_incoming_mail
from .payments import build_payments
from .post import build_post_items
from .reports import build_reports
from .rooms import build_rooms
from .signing import build_signing

DEMO_PASSWORD = data.DEMO_PASSWORD

# Catalogues that data migrations seed: (migration module, its function, a model it fills).
SEEDED_CATALOGUES = [
    ("balie.payments.migrations.0002_fee_catalogue", "add_fees", "payments.FeeItem"),
    ("balie.digital_skills.migrations.0002_competence_framework", "seed", "digital_skills.Competence"),
]


def _ensure_seeded_catalogues() -> None:
    """A database emptied after its migrations (a test database flushed by a transactional test)
    gets the seeded catalogues again, from the migrations' own functions."""
    import importlib

    from django.apps import apps

    for module, function, model in SEEDED_CATALOGUES:
        if not apps.get_model(model).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)


DEMO_LOGINS = [(username, role) for username, _first, _last, role, *_rest in data.DEMO_LOGINS]


@dataclass
class DemoSummary:
    loaded: bool
    departments: int = 0
    employees: int = 0
    persons: int = 0
    organisations: int = 0
    associations: int = 0
    topics: int = 0
    contact_moments: int = 0
    tasks: int = 0
    case_types: int = 0
    cases: int = 0
    post_items: int = 0
    letter_templates: int = 0
    digichecks: int = 0
    seconds: float = 0.0


def is_loaded() -> bool:
    return User.objects.filter(username=DEMO_LOGINS[0][0]).exists()


def load_demo_data(
    *,
    seed: int = 2645,
    persons: int = 300,
    contact_moments: int = 3000,
    days: int = 182,
    case_count: int = 120,
    now: dt.datetime | None = None,
    log: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Load the demo municipality unless it is there already (then report loaded=False)."""
    if is_loaded():
        return DemoSummary(loaded=False)
    _ensure_seeded_catalogues()
    started = time.monotonic()
    with transaction.atomic():
        builder = _Builder(random.Random(seed), now or timezone.now(), log or (lambda _msg: None))
        builder.closing_days()
        builder.units()
        builder.employees()
        builder.topics()
        builder.persons(persons)
        builder.organisations()
        builder.associations()
        moments, tasks = builder.history(contact_moments, days)
        builder.log(gettext("Zaaktypes en zaken"))
        case_types = build_case_types(builder.employees_by_username["beheer"], builder.departments)
        cases = build_cases(builder.rng, builder.now, case_types, builder.persons_list, case_count)
        builder.log(gettext("Klachten"))
        build_complaints(
            builder.rng, builder.now, builder.employees_by_username, builder.departments, builder.persons_list
        )
        builder.log(gettext("Meldingen"))
        build_reports(
            builder.rng, builder.now, builder.departments, builder.employees_by_username, builder.persons_list
        )
        builder.log(gettext("Ondertekening"))
        build_signing(builder.employees_by_username)
        builder.log(gettext("Post"))
        post_items = build_post_items(
            builder.rng, builder.now, builder.departments, builder.employees_by_username, builder.customers
        )
        builder.log(gettext("Mail: de mailbox info@ en enkele gelezen berichten"))
        moments += build_incoming_mail(builder.now, builder.departments["burgerzaken"])
        builder.log(gettext("Briefsjablonen en een reeks brieven"))
        templates, _mailing = build_letters(
            admin=builder.employees_by_username["beheer"],
            room_manager=builder.employees_by_username["zalen"],
            associations=[p for p in builder.customers if p.kind == PartyKind.ASSOCIATION],
        )
        builder.log(gettext("Toegang tot gebouwen"))
        build_door_access(
            admin=builder.employees_by_username["beheer"],
            room_manager=builder.employees_by_username["zalen"],
            associations=[p for p in builder.customers if p.kind == PartyKind.ASSOCIATION],
            now=builder.now,
        )
        builder.log(gettext("Betalingen en kassa"))
        build_payments(builder.rng, builder.employees_by_username, builder.persons_list)
        builder.log(gettext("Mailboxen, mailsjablonen en verstuurde e-mails"))
        mails = build_mail(
            admin=builder.employees_by_username["beheer"],
            handler=builder.employees_by_username["behandelaar"],
            departments=builder.departments,
            now=builder.now,
        )
        builder.log(gettext("Zalen, tarieven en boekingen"))
        build_rooms(
            rng=builder.rng,
            now=builder.now,
            room_manager=builder.employees_by_username["zalen"],
            customers=builder.customers,
        )
        builder.log(gettext("Digicheck"))
        digichecks = build_digicheck(random.Random(seed), builder.now, builder.employees_by_username)
    return DemoSummary(
        loaded=True,
        digichecks=digichecks,
        departments=len(builder.departments),
        employees=len(builder.employees_by_username),
        persons=len(builder.persons_list),
        organisations=len(data.ORGANISATIONS),
        associations=len(data.ASSOCIATIONS),
        topics=len(builder.topic_list),
        contact_moments=moments + mails,  # each mail sent is an outgoing contact
        tasks=tasks,
        case_types=len(case_types),
        cases=cases,
        post_items=post_items,
        letter_templates=len(templates),
        seconds=round(time.monotonic() - started, 1),
    )


def _ascii(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


@dataclass
class _Builder:
    rng: random.Random
    now: dt.datetime
    log: Callable[[str], None]
    departments: dict[str, Department] = field(default_factory=dict)
    teams: dict[tuple[str, str], Team] = field(default_factory=dict)
    employees_by_username: dict[str, User] = field(default_factory=dict)
    topic_list: list[tuple[Topic, int]] = field(default_factory=list)
    persons_list: list[Party] = field(default_factory=list)
    customers: list[Party] = field(default_factory=list)
    snapshots: dict[int, dict[str, str]] = field(default_factory=dict)
    _used_numbers: set[str] = field(default_factory=set)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def closing_days(self) -> None:
        for year in (self.now.year - 1, self.now.year, self.now.year + 1):
            for (month, day), description in data.CLOSING_DAYS:
                ClosingDay.objects.get_or_create(
                    date=dt.date(year, month, day), defaults={"description": description}
                )

    def units(self) -> None:
        self.log(gettext("Diensten en teams"))
        for code, name, teams in data.DEPARTMENTS:
            department = create_department(name=name, code=code, email=f"{code}@{data.EMAIL_DOMAIN}", by=None)
            self.departments[code] = department
            for team_name in teams:
                self.teams[code, team_name] = create_team(department=department, name=team_name, by=None)

    def employees(self) -> None:
        self.log(gettext("Medewerkers"))
        for username, first, last, role, code, team, title in [*data.DEMO_LOGINS, *data.SIGNER_LOGINS]:
            self._employee(username, first, last, code, team, role, title)
        for first, last, code, team, role, title in data.COLLEAGUES:
            self._employee(f"{_ascii(first)}.{_ascii(last)}", first, last, code, team, role, title)
        # One shared password: hash it once (a hash costs a quarter of a second by design).
        logins = [username for username, _role in DEMO_LOGINS] + [login[0] for login in data.SIGNER_LOGINS]
        User.objects.filter(username__in=logins).update(password=make_password(DEMO_PASSWORD))

    def _employee(
        self, username: str, first: str, last: str, code: str, team: str, role: str, title: str
    ) -> None:
        self.employees_by_username[username] = create_employee(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{_ascii(first)}.{_ascii(last)}@{data.EMAIL_DOMAIN}",
            password=None,
            department=self.departments[code],
            team=self.teams[code, team],
            roles=[role],
            job_title=title,
            by=None,
        )

    def topics(self) -> None:
        self.log(gettext("Onderwerpen"))
        for name, code, keywords, weight in data.TOPICS:
            topic = create_topic(name=name, department=self.departments[code], keywords=keywords, by=None)
            self.topic_list.append((topic, weight))

    def _address(self, *, in_town: bool = True) -> dict[str, str]:
        if in_town:
            postcode, municipality = self.rng.choice(data.LOCALITIES)
        else:
            postcode, municipality = self.rng.choice(data.ELSEWHERE)
        box = str(self.rng.randint(1, 12)) if self.rng.random() < 0.12 else ""
        return {
            "street": self.rng.choice(data.STREETS),
            "house_number": str(self.rng.randint(1, 180)),
            "box": box,
            "postcode": postcode,
            "municipality": municipality,
        }

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def persons(self, count: int) -> None:
        self.log(gettext("%(count)s personen") % {"count": count})
        today = self.now.date()
        for _ in range(count):
            male = self.rng.random() < 0.5
            given = self.rng.choice(data.MALE_NAMES if male else data.FEMALE_NAMES)
            family = self.rng.choice(data.FAMILY_NAMES)
            birth = self._date_between(dt.date(1934, 1, 1), today - dt.timedelta(days=18 * 366))
            number = national_number(self.rng, birth_date=birth, male=male)
            while number in self._used_numbers:
                number = national_number(self.rng, birth_date=birth, male=male)
            self._used_numbers.add(number)
            person, _created = register_party(
                kind=PartyKind.PERSON,
                by=None,
                given_name=given,
                family_name=family,
                birth_date=birth,
                gender="M" if male else "F",
                national_number=number,
            )
            moved_in = self._date_between(max(birth, dt.date(1990, 1, 1)), today - dt.timedelta(days=200))
            if self.rng.random() < 0.12:
                earlier = self._date_between(
                    max(birth, dt.date(1985, 1, 1)), moved_in - dt.timedelta(days=30)
                )
                add_address(
                    party=person,
                    kind=AddressKind.RESIDENCE,
                    valid_from=earlier,
                    by=None,
                    **self._address(in_town=False),
                )
            address = add_address(
                party=person,
                kind=AddressKind.RESIDENCE,
                valid_from=moved_in,
                by=None,
                **self._address(in_town=self.rng.random() < 0.88),
            )
            self.snapshots[person.pk] = address.as_snapshot()
            if self.rng.random() < 0.75:
                mailbox = self.rng.choice(
                    [
                        f"{_ascii(given)}.{_ascii(family)}",
                        f"{_ascii(family)}.{_ascii(given)}{birth:%y}",
                        f"{_ascii(given)}{self.rng.randint(1, 999)}",
                    ]
                )
                add_contact_point(
                    party=person,
                    kind=ContactPointKind.EMAIL,
                    value=f"{mailbox}@{self.rng.choice(data.EMAIL_PROVIDERS)}",
                    by=None,
                )
            if self.rng.random() < 0.7:
                add_contact_point(
                    party=person, kind=ContactPointKind.MOBILE, value=mobile_number(self.rng), by=None
                )
            if self.rng.random() < 0.15:
                add_contact_point(
                    party=person, kind=ContactPointKind.PHONE, value=landline_number(self.rng), by=None
                )
            self.persons_list.append(person)
        self.customers.extend(self.persons_list)

    def _representatives(self, party: Party, capacities: list[str]) -> None:
        adults = [p for p in self.persons_list if p.birth_date and p.birth_date.year < 2002]
        for capacity in capacities:
            add_representation(
                representative=self.rng.choice(adults),
                represented=party,
                capacity=capacity,
                valid_from=self._date_between(dt.date(2010, 1, 1), self.now.date() - dt.timedelta(days=365)),
                by=None,
            )

    def _unique_kbo(self, make: Callable[[random.Random], str]) -> str:
        number = make(self.rng)
        while number in self._used_numbers:
            number = make(self.rng)
        self._used_numbers.add(number)
        return number

    def organisations(self) -> None:
        self.log(gettext("%(count)s ondernemingen") % {"count": len(data.ORGANISATIONS)})
        for name, legal_form in data.ORGANISATIONS:
            organisation, _created = register_party(
                kind=PartyKind.ORGANISATION,
                by=None,
                name=name,
                legal_form=legal_form,
                enterprise_number=self._unique_kbo(enterprise_number),
            )
            address = add_address(
                party=organisation,
                kind=AddressKind.REGISTERED_OFFICE,
                by=None,
                valid_from=self._date_between(dt.date(1995, 1, 1), dt.date(2022, 12, 31)),
                **self._address(in_town=self.rng.random() < 0.8),
            )
            self.snapshots[organisation.pk] = address.as_snapshot()
            domain = f"{_ascii(name)[:30]}.example.com"
            add_contact_point(
                party=organisation, kind=ContactPointKind.EMAIL, value=f"info@{domain}", by=None
            )
            add_contact_point(
                party=organisation, kind=ContactPointKind.PHONE, value=landline_number(self.rng), by=None
            )
            for index in range(self.rng.choice([0, 0, 0, 1, 2])):
                add_establishment_unit(
                    organisation=organisation,
                    number=self._unique_kbo(establishment_number),
                    by=None,
                    name=f"{name} – vestiging {index + 1}",
                    **self._address(in_town=index == 0),
                )
            self._representatives(organisation, self.rng.sample(data.ORGANISATION_CAPACITIES, k=2))
            self.customers.append(organisation)

    def associations(self) -> None:
        self.log(gettext("%(count)s verenigingen") % {"count": len(data.ASSOCIATIONS)})
        for name, legal_form, registered in data.ASSOCIATIONS:
            association, _created = register_party(
                kind=PartyKind.ASSOCIATION,
                by=None,
                name=name,
                legal_form=legal_form or "feitelijke vereniging",
                enterprise_number=self._unique_kbo(enterprise_number) if registered else None,
            )
            kind = AddressKind.REGISTERED_OFFICE if registered else AddressKind.POSTAL
            address = add_address(
                party=association,
                kind=kind,
                by=None,
                valid_from=self._date_between(dt.date(2000, 1, 1), dt.date(2023, 12, 31)),
                **self._address(),
            )
            self.snapshots[association.pk] = address.as_snapshot()
            add_contact_point(
                party=association,
                kind=ContactPointKind.EMAIL,
                value=f"{_ascii(name)[:30]}@example.org",
                by=None,
            )
            self._representatives(association, data.ASSOCIATION_CAPACITIES[: self.rng.choice([1, 2, 3])])
            self.customers.append(association)

    # -- contact history ---------------------------------------------------------------------

    def _moment_time(self, channel: str, days: int, calendar: WorkingDayCalendar) -> dt.datetime:
        zone = timezone.get_current_timezone()
        while True:
            day = self.now.astimezone(zone).date() - dt.timedelta(days=self.rng.randrange(days))
            if channel in (Channel.EMAIL, Channel.WEB, Channel.SOCIAL):
                minute = self.rng.randrange(7 * 60, 23 * 60)
            elif calendar.is_working_day(day):
                minute = self.rng.randrange(8 * 60 + 30, 16 * 60 + 30)
            else:
                continue
            at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60, self.rng.randrange(60)), zone)
            if at < self.now:
                return at

    def history(self, count: int, days: int) -> tuple[int, int]:
        self.log(gettext("%(count)s contactmomenten over %(days)s dagen") % {"count": count, "days": days})
        calendar = WorkingDayCalendar()
        employees = list(self.employees_by_username.values())
        front_desk = [e for e in employees if Role.FRONT_DESK in e.roles]
        by_department: dict[int, list[User]] = {}
        for employee in employees:
            assert employee.department_id is not None
            by_department.setdefault(employee.department_id, []).append(employee)
        channels = [
            (Channel.COUNTER, 35),
            (Channel.PHONE, 30),
            (Channel.EMAIL, 20),
            (Channel.WEB, 7),
            (Channel.LETTER, 3),
            (Channel.SOCIAL, 3),
            (Channel.HOME_VISIT, 2),
        ]
        topics = [t for t, _w in self.topic_list]
        weights = [w for _t, w in self.topic_list]
        customer_weights = [5 if self.rng.random() < 0.2 else 1 for _ in self.customers]
        welzijn = self.departments["welzijn"]
        moments: list[ContactMoment] = []
        handoffs: list[tuple[ContactMoment, Topic | None]] = []
        for _ in range(count):
            channel = self.rng.choices([c for c, _w in channels], [w for _c, w in channels])[0]
            topic: Topic | None = None if self.rng.random() < 0.05 else self.rng.choices(topics, weights)[0]
            if channel == Channel.HOME_VISIT:
                topic = self.rng.choice([t for t in topics if t.department_id == welzijn.pk])
            department_staff = (
                by_department.get(topic.department_id, []) if topic and topic.department_id else []
            )
            desk_share = 0.75 if channel in (Channel.COUNTER, Channel.PHONE) else 0.45
            if channel == Channel.HOME_VISIT or (department_staff and self.rng.random() > desk_share):
                employee = self.rng.choice(department_staff)
            else:
                employee = self.rng.choice(front_desk)
            party = (
                None if self.rng.random() < 0.08 else self.rng.choices(self.customers, customer_weights)[0]
            )
            summary = (
                self.rng.choice(data.SUMMARIES[topic.name])
                if topic
                else "Algemene vraag; doorverwezen naar de juiste dienst."
            )
            duration = {
                Channel.COUNTER: (120, 1200),
                Channel.PHONE: (45, 900),
                Channel.HOME_VISIT: (1800, 4200),
            }.get(channel)
            handed_off = topic is not None and self.rng.random() < (0.15 if party else 0.04)
            assert employee.department_id is not None
            moment = ContactMoment(
                uuid=self.uuid(),
                registered_at=self._moment_time(channel, days, calendar),
                channel=channel,
                direction=(
                    Direction.OUTBOUND
                    if channel in (Channel.PHONE, Channel.EMAIL, Channel.LETTER) and self.rng.random() < 0.08
                    else Direction.INBOUND
                ),
                party=party,
                topic=topic,
                summary=summary,
                outcome=Outcome.HANDED_OFF if handed_off else Outcome.ANSWERED,
                duration_seconds=self.rng.randint(*duration) if duration else None,
                employee=employee,
                department_id=employee.department_id,
                confidential=(
                    employee.department_id == welzijn.pk
                    and topic is not None
                    and topic.name in data.CONFIDENTIAL_TOPICS
                    and self.rng.random() < 0.6
                ),
                address_snapshot=self.snapshots.get(party.pk) if party else None,
            )
            moments.append(moment)
            if handed_off:
                handoffs.append((moment, topic))
        moments.sort(key=lambda m: m.registered_at)
        ContactMoment.objects.bulk_create(moments, batch_size=500)
        ContactMoment.objects.filter(pk__in=[m.pk for m in moments]).update(
            created_at=F("registered_at"), updated_at=F("registered_at")
        )
        tasks = [self._task(moment, topic, by_department) for moment, topic in handoffs]
        InternalTask.objects.bulk_create(tasks, batch_size=500)
        registered = ContactMoment.objects.filter(pk=OuterRef("contact_moment_id")).values("registered_at")[
            :1
        ]
        InternalTask.objects.filter(pk__in=[t.pk for t in tasks]).update(
            created_at=Subquery(registered), updated_at=Subquery(registered)
        )
        return len(moments), len(tasks)

    def _task(
        self, moment: ContactMoment, topic: Topic | None, by_department: dict[int, list[User]]
    ) -> InternalTask:
        assert topic is not None and topic.department_id is not None
        staff = by_department[topic.department_id]
        teams = [t for (code, _name), t in self.teams.items() if t.department_id == topic.department_id]
        assignee = self.rng.choice(staff) if self.rng.random() < 0.4 else None
        age = self.now - moment.registered_at
        done = self.rng.random() < (0.92 if age > dt.timedelta(days=10) else 0.3)
        done_at = None
        if done:
            done_at = min(
                moment.registered_at + dt.timedelta(minutes=self.rng.randrange(60, 6 * 24 * 60)),
                self.now - dt.timedelta(minutes=5),
            )
        fields: dict[str, Any] = {
            "status": TaskStatus.DONE if done else TaskStatus.TODO,
            "done_at": done_at,
            "done_by": (assignee or self.rng.choice(staff)) if done else None,
        }
        return InternalTask(
            uuid=self.uuid(),
            contact_moment=moment,
            party=moment.party,
            description=self.rng.choice(data.HANDOFF_DESCRIPTIONS),
            department_id=topic.department_id,
            team=assignee.team if assignee else (self.rng.choice(teams) if self.rng.random() < 0.5 else None),
            assignee=assignee,
            due_date=(moment.registered_at + dt.timedelta(days=self.rng.choice([3, 5, 7, 10]))).date(),
            created_by=moment.employee,
            **fields,
        )
