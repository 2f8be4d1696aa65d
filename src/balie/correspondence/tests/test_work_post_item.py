"""Working an incoming item: start the treatment, answer it (with an outgoing item, or saying how),
file it, reopen it. Every move passes the workflow table and appends one numbered history line;
a refused move changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.correspondence.actions import (
    answer,
    change_status,
    register_answer,
    register_incoming,
    register_outgoing,
    start_treatment,
)
from balie.correspondence.models import DocumentRole, EventKind, PostItem, PostStatus, ReplyKind
from balie.correspondence.workflow import allowed_next

from .samples import letter_pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(post_room, omgeving, handler, sender):
    return register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Bouwaanvraag",
        party=sender,
        handler=handler,
    )


def _unchanged(item: PostItem) -> None:
    fresh = PostItem.objects.get(pk=item.pk)
    assert (fresh.status, fresh.handler_id, fresh.history_count) == (
        item.status,
        item.handler_id,
        item.history_count,
    )
    assert fresh.history.count() == item.history_count


def test_the_handler_starts_and_answers_with_an_outgoing_letter(item, handler, sender):
    started = start_treatment(item=item, by=handler)
    reply = register_outgoing(by=handler, channel="paper", subject="Uw bouwaanvraag", party=sender)

    answered = answer(item=started, by=handler, reply=reply)

    reply.refresh_from_db()
    assert answered.status == PostStatus.ANSWERED
    assert (reply.reply_to, reply.reply_kind) == (answered, ReplyKind.ANSWER)
    history = list(answered.history.order_by("sequence"))
    assert [e.sequence for e in history] == [1, 2, 3, 4]
    assert [(e.from_status, e.to_status) for e in history if e.kind == EventKind.STATUS] == [
        ("registered", "assigned"),
        ("assigned", "in_treatment"),
        ("in_treatment", "answered"),
    ]
    assert history[-1].data == {"reply": str(reply.uuid), "reply_number": reply.number}
    assert reply.history.filter(kind=EventKind.REPLY).count() == 1


def test_register_answer_makes_the_outgoing_item_and_answers_in_one_go(item, handler, sender, omgeving):
    reply = register_answer(
        item=item,
        by=handler,
        channel="email",
        subject="Antwoord op uw bouwaanvraag",
        letter=upload("antwoord.pdf", letter_pdf("Gemeente Zonnedaal", "Antwoord")),
    )

    item.refresh_from_db()
    assert item.status == PostStatus.ANSWERED
    assert reply.number.startswith(f"OUT-{timezone.localdate().year}-")
    assert (reply.direction, reply.party, reply.department, reply.reply_to) == ("out", sender, omgeving, item)
    assert reply.documents.get().role == DocumentRole.LETTER


def test_an_answer_without_an_outgoing_item_says_how(item, handler):
    with pytest.raises(ValidationError) as refused:
        answer(item=item, by=handler)
    assert list(refused.value.message_dict) == ["reply"]
    _unchanged(item)

    answered = answer(item=item, by=handler, reason="Telefonisch beantwoord")

    assert answered.status == PostStatus.ANSWERED
    assert answered.history.order_by("-sequence").first().reason == "Telefonisch beantwoord"


def test_an_outgoing_item_that_answers_another_is_refused(item, handler, post_room, omgeving, sender):
    other = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Ander", party=sender
    )
    reply = register_outgoing(by=handler, channel="paper", subject="Antwoord", party=sender, reply_to=other)

    with pytest.raises(ValidationError, match="antwoordt al op een ander poststuk"):
        answer(item=item, by=handler, reply=reply)

    _unchanged(item)


def test_filing_needs_a_reason_and_reopening_too(item, handler):
    with pytest.raises(ValidationError) as refused:
        change_status(item=item, status=PostStatus.FILED, by=handler)
    assert refused.value.message_dict == {"reason": ["Geef een reden op."]}
    _unchanged(item)

    filed = change_status(
        item=item, status=PostStatus.FILED, by=handler, reason="Ter info, geen antwoord nodig"
    )
    reopened = change_status(item=filed, status=PostStatus.IN_TREATMENT, by=handler, reason="Toch een vraag")

    assert reopened.status == PostStatus.IN_TREATMENT


def test_a_move_the_table_does_not_allow_is_refused(post_room, omgeving, sender, handler):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )

    with pytest.raises(ValidationError) as refused:
        change_status(item=item, status=PostStatus.IN_TREATMENT, by=post_room)

    assert refused.value.message_dict == {
        "status": ["Van 'geregistreerd' kan het poststuk niet naar 'in behandeling'."]
    }
    _unchanged(item)
    assert allowed_next(item) == [PostStatus.ASSIGNED, PostStatus.FILED]


def test_an_employee_of_another_department_cannot_work_the_item(item, outsider):
    with pytest.raises(ValidationError, match="Alleen de behandelaar of iemand van de dienst Omgeving"):
        change_status(item=item, status=PostStatus.IN_TREATMENT, by=outsider)

    _unchanged(item)


def test_a_colleague_who_starts_an_unassigned_item_takes_it(post_room, omgeving, sender, colleague):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )
    item = change_status(item=item, status=PostStatus.FILED, by=post_room, reason="Dubbel")

    reopened = change_status(
        item=item, status=PostStatus.IN_TREATMENT, by=colleague, reason="Toch niet dubbel"
    )

    assert (reopened.status, reopened.handler) == (PostStatus.IN_TREATMENT, colleague)


def test_an_outgoing_item_is_not_sent_by_hand(handler, sender):
    reply = register_outgoing(by=handler, channel="paper", subject="Brief", party=sender)

    with pytest.raises(ValidationError, match="verstuurd wanneer een verzending lukte"):
        change_status(item=reply, status=PostStatus.SENT, by=handler)

    _unchanged(reply)
