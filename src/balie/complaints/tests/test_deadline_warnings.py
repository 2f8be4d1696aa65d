"""The daily job warns the coordinator and the investigator once per deadline; the overdue list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from balie.complaints.actions import acknowledge_complaint, assign_investigator, decide_admissibility
from balie.complaints.queries import board_for, overdue_complaints
from balie.complaints.tasks import warn_about_deadlines

pytestmark = pytest.mark.django_db


def test_warnings_go_once_to_coordinator_and_investigator(make_complaint, coordinator, handler):
    today = timezone.localdate()
    fresh = make_complaint(received_days_ago=0, subject="Nieuw")  # acknowledge due in 10 days: quiet
    ack_soon = make_complaint(received_days_ago=8, subject="Bevestigen")  # acknowledge due in 2 days
    answer_soon = decide_admissibility(
        complaint=make_complaint(received_days_ago=42, subject="Bijna"), by=coordinator, admissible=True
    )
    answer_soon = assign_investigator(complaint=answer_soon, by=coordinator, investigator=handler)
    answer_soon = acknowledge(answer_soon, coordinator)
    late = decide_admissibility(
        complaint=make_complaint(received_days_ago=50, subject="Laat"), by=coordinator, admissible=True
    )
    late = acknowledge(late, coordinator)

    counts = warn_about_deadlines(today=today)

    assert counts == {"acknowledge": 1, "answer": 1, "overdue": 1}
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(
        [
            f"Klacht {ack_soon.case.number}: ontvangst te bevestigen tegen "
            f"{ack_soon.acknowledge_due:%d/%m/%Y}",
            f"Klacht {answer_soon.case.number}: te beantwoorden tegen {answer_soon.answer_due:%d/%m/%Y}",
            f"Klacht {late.case.number}: antwoordtermijn overschreden",
        ]
    )
    to_investigator = [m for m in mail.outbox if "Bijna" in m.body]
    assert to_investigator[0].to == ["hans@zonnedaal.be", "klachten@zonnedaal.be"]
    assert fresh.case.number not in " ".join(subjects)

    assert warn_about_deadlines(today=today) == {"acknowledge": 0, "answer": 0, "overdue": 0}
    assert len(mail.outbox) == 3


def acknowledge(complaint, coordinator):
    return acknowledge_complaint(complaint=complaint, by=coordinator, how="email", subject="s", body="b")


def test_the_overdue_list_and_the_board(make_complaint, coordinator, handler, citizen):
    today = timezone.localdate()
    new = make_complaint(received_days_ago=1)
    not_acknowledged = decide_admissibility(
        complaint=make_complaint(received_days_ago=12), by=coordinator, admissible=True
    )
    late = decide_admissibility(
        complaint=make_complaint(received_days_ago=46), by=coordinator, admissible=True
    )

    assert [c.pk for c in overdue_complaints(coordinator, today=today)] == [late.pk, not_acknowledged.pk]
    board = board_for(coordinator, today=today)
    assert [c.pk for c in board.new] == [new.pk]
    assert [c.pk for c in board.to_acknowledge] == [late.pk, not_acknowledged.pk]
    assert board.due_soon == []
    assert [c.pk for c in board.overdue] == [late.pk, not_acknowledged.pk]
    # the investigator sees only theirs, a citizen nothing
    assert overdue_complaints(handler, today=today) == []
    assert overdue_complaints(citizen, today=today) == []
    assert late.answer_due == today - dt.timedelta(days=1)
