"""What a dispatch channel reports is recorded on the outgoing item: queued, sent (the item is sent,
with its date), delivered, bounced (the item is back to registered, with the reason), failed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.correspondence.actions import (
    record_dispatch,
    record_dispatch_state,
    register_incoming,
    register_outgoing,
)
from balie.correspondence.models import Dispatch, DispatchState, EventKind, PostStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(handler, sender):
    return register_outgoing(by=handler, channel="email", subject="Beslissing", party=sender)


def test_a_sent_dispatch_makes_the_item_sent_and_a_bounce_brings_it_back(letter, handler):
    dispatch = record_dispatch(item=letter, channel="email", by=handler, address="marc@example.be")
    assert dispatch.state == DispatchState.QUEUED and dispatch.queued_at is not None

    at = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
    record_dispatch_state(
        dispatch=dispatch, state=DispatchState.SENT, by=None, at=at, external_id="<1@balie>"
    )
    letter.refresh_from_db()
    assert (letter.status, letter.sent_on) == (PostStatus.SENT, dt.date(2026, 3, 2))

    record_dispatch_state(
        dispatch=dispatch, state=DispatchState.BOUNCED, by=None, detail="Mailbox bestaat niet"
    )
    letter.refresh_from_db()
    dispatch.refresh_from_db()
    assert (letter.status, letter.sent_on) == (PostStatus.REGISTERED, None)
    assert (dispatch.state, dispatch.sent_at, dispatch.external_id) == (
        DispatchState.BOUNCED,
        at,
        "<1@balie>",
    )
    assert dispatch.bounced_at is not None and dispatch.detail == "Mailbox bestaat niet"
    back = letter.history.filter(kind=EventKind.STATUS).order_by("-sequence").first()
    assert (back.from_status, back.to_status, back.reason) == ("sent", "registered", "Mailbox bestaat niet")


def test_a_failed_dispatch_leaves_the_item_to_send(letter, handler):
    dispatch = record_dispatch(item=letter, channel="ebox", by=handler)

    record_dispatch_state(
        dispatch=dispatch, state=DispatchState.FAILED, by=None, detail="eBox niet bereikbaar"
    )

    letter.refresh_from_db()
    assert letter.status == PostStatus.REGISTERED
    assert letter.history.filter(kind=EventKind.DISPATCH).count() == 2


def test_a_report_out_of_order_is_refused(letter, handler):
    dispatch = record_dispatch(item=letter, channel="paper", by=handler, registered_mail=True)

    with pytest.raises(ValidationError):
        record_dispatch_state(dispatch=dispatch, state=DispatchState.DELIVERED, by=None)

    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert (dispatch.state, letter.status) == (DispatchState.QUEUED, PostStatus.REGISTERED)


def test_incoming_post_is_not_dispatched(post_room, omgeving, sender, handler):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )

    with pytest.raises(ValidationError, match="Alleen uitgaande post"):
        record_dispatch(item=item, channel="email", by=handler)

    assert Dispatch.objects.count() == 0
