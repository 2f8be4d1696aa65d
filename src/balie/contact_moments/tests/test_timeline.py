import datetime as dt

import pytest
from django.utils import timezone

from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.queries import timeline_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now()


def test_the_timeline_shows_contacts_and_tasks_newest_first_in_two_queries(
    front_desk, jan, topic, omgeving, now, django_assert_num_queries
):
    # given a call two days ago and a visit yesterday that was handed off (the task is from now)
    call = register_contact_moment(
        by=front_desk, channel="phone", direction="out", party=jan, topic=topic,
        summary="Teruggebeld", registered_at=now - dt.timedelta(days=2),
    )  # fmt: skip
    visit = register_contact_moment(
        by=front_desk, channel="counter", party=jan, summary="Container kapot",
        registered_at=now - dt.timedelta(days=1),
        handoff={"department": omgeving, "description": "Nieuwe container leveren"},
    )  # fmt: skip
    task = visit.tasks.get()

    # when
    with django_assert_num_queries(2):
        entries = timeline_for(front_desk, jan)

    # then
    assert [
        (e.kind, e.uuid, e.at, e.title, e.summary, e.url, e.badges, e.confidential) for e in entries
    ] == [
        ("task", task.uuid, task.created_at, "Taak voor Omgeving", "Nieuwe container leveren",
         f"/taken/{task.uuid}", ("te doen",), False),
        ("contact_moment", visit.uuid, visit.registered_at, "Balie", "Container kapot",
         f"/contact/{visit.uuid}", ("inkomend", "doorgegeven", "Olga Onthaal"), False),
        ("contact_moment", call.uuid, call.registered_at, "Telefoon – Afvalophaling", "Teruggebeld",
         f"/contact/{call.uuid}", ("uitgaand", "beantwoord", "Olga Onthaal"), False),
    ]  # fmt: skip


def test_the_timeline_keeps_the_newest_up_to_the_limit_and_pages_back_with_before(front_desk, jan, now):
    # given three contacts, a day apart
    moments = [
        register_contact_moment(
            by=front_desk,
            channel="email",
            party=jan,
            summary=f"Mail {days}",
            registered_at=now - dt.timedelta(days=days),
        )
        for days in (3, 2, 1)
    ]

    # when
    first = timeline_for(front_desk, jan, limit=2)
    older = timeline_for(front_desk, jan, limit=2, before=first[-1].at, shown=[first[-1].uuid])

    # then
    assert [e.uuid for e in first] == [moments[2].uuid, moments[1].uuid]
    assert [e.uuid for e in older] == [moments[0].uuid]


def test_the_timeline_narrows_to_one_kind_in_one_query(
    front_desk, jan, omgeving, now, django_assert_num_queries
):
    # given a handed-off contact: one contact moment and one task
    moment = register_contact_moment(
        by=front_desk, channel="web", party=jan, summary="Formulier",
        registered_at=now - dt.timedelta(hours=1),
        handoff={"department": omgeving, "description": "Opvolgen"},
    )  # fmt: skip

    # when
    with django_assert_num_queries(1):
        tasks = timeline_for(front_desk, jan, kinds=("task",))
    with django_assert_num_queries(1):
        contacts = timeline_for(front_desk, jan, kinds=("contact_moment",))

    # then
    assert [e.uuid for e in tasks] == [moment.tasks.get().uuid]
    assert [(e.uuid, e.title, e.confidential) for e in contacts] == [(moment.uuid, "Website", False)]


def test_paging_neither_skips_nor_repeats_entries_that_share_a_timestamp(front_desk, jan, now):
    # given seven contacts, five of them at one and the same moment
    same = now - dt.timedelta(hours=1)
    created = [
        register_contact_moment(
            by=front_desk, channel="phone", party=jan, summary=f"c{i}",
            registered_at=same if i < 5 else now - dt.timedelta(hours=i),
        )
        for i in range(7)
    ]  # fmt: skip
    # when it is read in pages of three, each page continuing after the last one shown
    seen, before, shown = [], None, []
    while True:
        page = timeline_for(front_desk, jan, before=before, shown=shown, limit=3)
        if not page:
            break
        seen += page
        before = page[-1].at
        shown = [e.uuid for e in seen if e.at == before]
    # then every contact is shown exactly once, newest first
    assert sorted(e.uuid for e in seen) == sorted(m.uuid for m in created)
    assert len(seen) == 7
