"""A bounce: the mailboxes app finds the e-mail dispatch by the bounce's Message-ID and records it;
the post room records a letter that came back. The dispatch is bounced with the reason, the item
goes back to registered with the reason in its history, unless a copy sent another way arrived."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.correspondence.dispatch import dispatch_item, record_bounce
from balie.correspondence.dispatch_queries import bounced_dispatches, dispatch_for_message_id
from balie.correspondence.models import DispatchState, EventKind, PostStatus
from balie.correspondence.print_batches import confirm_posted, make_print_batch

from .helpers import deliver

pytestmark = pytest.mark.django_db


def test_a_bounced_mail_brings_the_item_back_with_the_reason(letter, handler, smtp_inbox):
    dispatch = dispatch_item(item=letter, channel="email", by=handler)
    deliver()
    [mail] = smtp_inbox.messages

    found = dispatch_for_message_id(mail["Message-ID"])
    record_bounce(dispatch=found, reason="550 5.1.1 Mailbox unknown")

    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert (dispatch.state, dispatch.detail) == (DispatchState.BOUNCED, "550 5.1.1 Mailbox unknown")
    assert dispatch.bounced_at is not None
    assert letter.status == PostStatus.REGISTERED
    back = letter.history.filter(kind=EventKind.STATUS).order_by("-sequence").first()
    assert (back.from_status, back.to_status, back.reason) == (
        "sent",
        "registered",
        "550 5.1.1 Mailbox unknown",
    )
    assert bounced_dispatches(letter) == [dispatch]


def test_a_bounce_leaves_the_item_sent_when_a_copy_arrived_another_way(
    letter, handler, smtp_inbox, post_room
):
    by_mail = dispatch_item(item=letter, channel="email", by=handler)
    dispatch_item(item=letter, channel="paper", by=handler)
    deliver()
    confirm_posted(batch=make_print_batch(by=post_room), by=post_room)

    record_bounce(dispatch=by_mail, reason="Mailbox vol")

    letter.refresh_from_db()
    assert letter.status == PostStatus.SENT
    line = letter.history.filter(kind=EventKind.DISPATCH).order_by("-sequence").first()
    assert (line.reason, line.data["state"]) == ("Mailbox vol", DispatchState.BOUNCED)


def test_a_letter_that_came_back_is_recorded_by_the_post_room(letter, handler, post_room):
    dispatch = dispatch_item(item=letter, channel="paper", by=handler, registered_mail=True)
    confirm_posted(batch=make_print_batch(by=post_room), by=post_room)

    record_bounce(dispatch=dispatch, reason="Onbekend op dit adres", by=post_room)

    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert (dispatch.state, letter.status) == (DispatchState.BOUNCED, PostStatus.REGISTERED)


def test_only_a_sent_dispatch_bounces_and_it_needs_a_reason(letter, handler):
    dispatch = dispatch_item(item=letter, channel="paper", by=handler)

    with pytest.raises(ValidationError, match="Alleen een verstuurde verzending"):
        record_bounce(dispatch=dispatch, reason="Terug")
    with pytest.raises(ValidationError, match="Geef de reden op"):
        record_bounce(dispatch=dispatch, reason="  ")

    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.QUEUED


def test_an_unknown_message_id_finds_nothing(db):
    assert dispatch_for_message_id("<onbekend@zonnedaal.be>") is None
    assert dispatch_for_message_id("") is None
