"""Assignment by rule, reminders before the deadline and escalation after it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.cases import catalogue
from balie.cases.actions import assign_case, assign_cases, register_case
from balie.cases.models import Case, CaseEvent, EventKind
from balie.cases.tasks import escalate_overdue_cases, send_deadline_reminders
from balie.cases.tests.conftest import build_case_type


def _handlers(omgeving, team, n):
    return [
        create_employee(
            username=f"h{i}",
            first_name=f"H{i}",
            last_name="Handler",
            email=f"h{i}@zonnedaal.be",
            password="x",
            department=omgeving,
            team=team,
            roles=[Role.CASE_HANDLER],
            by=None,
        )
        for i in range(n)
    ]


def _with_rule(admin, omgeving, rule, team):
    version = build_case_type(admin, omgeving, code=f"type-{rule}")
    draft = catalogue.start_draft(case_type=version.case_type, by=admin)
    catalogue.update_version(version=draft, by=admin, assignment_rule=rule, assignment_team=team)
    return catalogue.publish_version(version=draft, by=admin).case_type


def _register(case_type, by):
    return register_case(case_type=case_type, by=by, subject="x", attributes={"soort": "bouwen"})


def test_round_robin_takes_turns_within_the_team(admin, omgeving, handler):
    team = handler.team
    others = _handlers(omgeving, team, 2)
    case_type = _with_rule(admin, omgeving, "round_robin", team)
    handlers = [_register(case_type, handler).handler for _ in range(6)]
    everyone = {handler, *others}
    assert set(handlers[:3]) == everyone
    assert handlers[3:] == handlers[:3]


def test_least_loaded_picks_the_handler_with_fewest_open_cases(admin, omgeving, handler, permit_type):
    [other] = _handlers(omgeving, handler.team, 1)
    for _ in range(2):
        register_case(
            case_type=permit_type, by=handler, subject="x", handler=handler, attributes={"soort": "bouwen"}
        )
    case_type = _with_rule(admin, omgeving, "least_loaded", handler.team)
    assert _register(case_type, handler).handler == other


def test_without_a_rule_the_case_waits_in_the_department_queue(permit_type, handler, omgeving):
    case = _register(permit_type, handler)
    assert case.handler is None and case.department == omgeving


def test_a_handler_takes_a_case_but_cannot_give_it_to_someone_else(permit_type, handler, omgeving):
    [other] = _handlers(omgeving, handler.team, 1)
    case = _register(permit_type, handler)
    with pytest.raises(ValidationError, match="niet aan iemand anders"):
        assign_case(case=case, by=handler, handler=other)
    case.refresh_from_db()
    assert case.handler is None
    case = assign_case(case=case, by=handler, handler=handler)
    assert case.handler == handler
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNED).count() == 1


def test_bulk_reassign_is_all_or_nothing(permit_type, handler, team_lead, omgeving, burgerzaken):
    cases = [_register(permit_type, handler) for _ in range(3)]
    foreign_team = burgerzaken.teams.create(name="Onthaal")
    with pytest.raises(ValidationError):
        assign_cases(cases=cases, by=team_lead, handler=None, team=foreign_team)
    assert not Case.objects.filter(team=foreign_team).exists()
    with pytest.raises(ValidationError, match="teamverantwoordelijke"):
        assign_cases(cases=cases, by=handler, handler=handler)
    assert not Case.objects.filter(handler=handler).exists()
    assert assign_cases(cases=cases, by=team_lead, handler=handler) == 3
    assert Case.objects.filter(handler=handler).count() == 3


def test_reminder_before_the_deadline_once_and_escalation_after_it(permit_type, handler, team_lead):
    soon = _register(permit_type, handler)
    late = _register(permit_type, handler)
    far = _register(permit_type, handler)
    today = dt.date(2026, 6, 1)
    Case.objects.filter(pk=soon.pk).update(deadline=today + dt.timedelta(days=2), handler=handler)
    Case.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=1))
    Case.objects.filter(pk=far.pk).update(deadline=today + dt.timedelta(days=20))

    assert send_deadline_reminders(today=today) == 1
    assert send_deadline_reminders(today=today) == 0
    assert escalate_overdue_cases(today=today) == 1
    assert escalate_overdue_cases(today=today) == 0

    reminder, escalation = mail.outbox
    assert reminder.to == [handler.email] and soon.number in reminder.subject
    assert escalation.to == [team_lead.email] and late.number in escalation.subject
    assert CaseEvent.objects.filter(case=soon, kind=EventKind.REMINDED).count() == 1
    assert CaseEvent.objects.filter(case=late, kind=EventKind.ESCALATED).count() == 1
