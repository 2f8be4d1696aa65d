"""The outbox: a message written in a transaction is delivered after it, retried with backoff, in
order per destination, given up after the last attempt, and resent on request."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balie.core.models import OutboxMessage, OutboxState
from balie.core.outbox import (
    CLAIM_LEASE,
    PermanentDeliveryError,
    claim_due,
    deliver_due,
    outbox_senders,
    resend,
    retry_delay,
    write_message,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Receiver:
    """A sender for tests: records what it was given; fails while `down` (or for chosen messages)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, Any]] = []
        self.down = False
        self.fail_for: set[Any] = set()
        self.lock = threading.Lock()

    def __call__(self, message: OutboxMessage) -> None:
        if self.down or message.payload.get("n") in self.fail_for:
            raise ConnectionRefusedError("connection refused")
        with self.lock:
            self.received.append((message.destination, message.payload.get("n")))


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    receiver = Receiver()
    monkeypatch.setitem(outbox_senders._items, "test", receiver)
    yield receiver


def _write(destination: str, n: int, *, at: dt.datetime = T0) -> OutboxMessage:
    with transaction.atomic():
        message = write_message(sender="test", destination=destination, payload={"n": n})
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=at, next_attempt_at=at)
    return OutboxMessage.objects.get(pk=message.pk)


def _state(message: OutboxMessage) -> tuple[str, int]:
    message.refresh_from_db()
    return message.state, message.attempts


def test_a_message_is_delivered_once(db: None, receiver: Receiver) -> None:
    # given
    message = _write("a", 1)
    # when
    first = deliver_due(now=T0)
    second = deliver_due(now=T0 + dt.timedelta(hours=1))
    # then
    assert (first.delivered, second.attempted) == (1, 0)
    assert receiver.received == [("a", 1)]
    message.refresh_from_db()
    assert (message.state, message.attempts, message.delivered_at, message.last_error) == (
        OutboxState.DELIVERED,
        1,
        T0,
        "",
    )


def test_a_failed_attempt_is_retried_with_growing_pauses_capped_at_an_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_a_receiver_that_is_down_gets_the_message_after_the_backoff(db: None, receiver: Receiver) -> None:
    # given
    message = _write("a", 1)
    receiver.down = True
    # when: the first attempt fails
    run = deliver_due(now=T0)
    # then
    assert run.retrying == 1
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING
    assert message.next_attempt_at == T0 + dt.timedelta(seconds=30)
    assert message.last_error == "connection refused"
    # not due before its time
    assert deliver_due(now=T0 + dt.timedelta(seconds=29)).attempted == 0
    # when: the receiver is back
    receiver.down = False
    run = deliver_due(now=T0 + dt.timedelta(seconds=30))
    # then
    assert run.delivered == 1
    assert _state(message) == (OutboxState.DELIVERED, 2)
    assert receiver.received == [("a", 1)]


def test_after_the_last_attempt_the_message_has_failed(db: None, receiver: Receiver, settings: Any) -> None:
    # given
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 3
    message = _write("a", 1)
    receiver.down = True
    now = T0
    # when
    for _attempt in range(5):
        deliver_due(now=now)
        now += dt.timedelta(hours=1)
    # then
    assert _state(message) == (OutboxState.FAILED, 3)
    assert message.last_error == "connection refused"


def test_a_permanent_error_fails_at_once(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    def gone(message: OutboxMessage) -> None:
        raise PermanentDeliveryError("the subscription is gone")

    monkeypatch.setitem(outbox_senders._items, "gone", gone)
    with transaction.atomic():
        message = write_message(sender="gone", destination="x", payload={})
    # when
    run = deliver_due(now=timezone.now())
    # then
    assert run.failed == 1
    assert _state(message) == (OutboxState.FAILED, 1)
    assert message.last_error == "the subscription is gone"


def test_messages_to_one_destination_keep_their_order(db: None, receiver: Receiver) -> None:
    # given: the first message to "a" fails once
    first, second, third = _write("a", 1), _write("a", 2), _write("a", 3)
    _write("b", 10)
    receiver.fail_for = {1}
    # when
    deliver_due(now=T0)
    # then: "a" waits behind its first message; "b" does not wait for "a"
    assert receiver.received == [("b", 10)]
    assert [_state(m)[0] for m in (first, second, third)] == [OutboxState.PENDING] * 3
    # when: the first one gets through
    receiver.fail_for = set()
    deliver_due(now=T0 + dt.timedelta(seconds=30))
    # then: the rest follow in the same run, in order
    assert receiver.received == [("b", 10), ("a", 1), ("a", 2), ("a", 3)]


def test_a_message_that_failed_for_good_no_longer_holds_up_the_others(
    db: None, receiver: Receiver, settings: Any
) -> None:
    # given
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 1
    first, second = _write("a", 1), _write("a", 2)
    receiver.fail_for = {1}
    # when
    deliver_due(now=T0)
    deliver_due(now=T0 + dt.timedelta(seconds=1))
    # then
    assert _state(first)[0] == OutboxState.FAILED
    assert _state(second)[0] == OutboxState.DELIVERED
    assert receiver.received == [("a", 2)]


def test_a_failed_message_can_be_resent(db: None, receiver: Receiver, settings: Any) -> None:
    # given
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 1
    message = _write("a", 1)
    receiver.down = True
    deliver_due(now=T0)
    receiver.down = False
    # when
    resend(message=message, now=T0 + dt.timedelta(hours=2))
    # then
    assert _state(message) == (OutboxState.PENDING, 0)
    assert message.last_error == "connection refused"  # kept until the next attempt
    run = deliver_due(now=T0 + dt.timedelta(hours=2))
    assert run.delivered == 1
    assert _state(message) == (OutboxState.DELIVERED, 1)
    assert receiver.received == [("a", 1)]


@pytest.mark.parametrize("state", [OutboxState.PENDING, OutboxState.DELIVERED])
def test_only_a_failed_message_can_be_resent(db: None, receiver: Receiver, state: str) -> None:
    # given
    message = _write("a", 1)
    OutboxMessage.objects.filter(pk=message.pk).update(state=state, attempts=2)
    # when / then
    with pytest.raises(ValidationError, match="Alleen een mislukt bericht"):
        resend(message=message)
    assert _state(message) == (state, 2)


def test_a_message_whose_worker_died_is_due_again_after_the_lease(db: None, receiver: Receiver) -> None:
    # given: claimed, never delivered (the worker stopped)
    message = _write("a", 1)
    assert [m.pk for m in claim_due(now=T0, limit=10)] == [message.pk]
    # then: nobody else takes it while the lease runs
    assert claim_due(now=T0 + CLAIM_LEASE - dt.timedelta(seconds=1), limit=10) == []
    # when: the lease ran out
    run = deliver_due(now=T0 + CLAIM_LEASE)
    # then
    assert run.delivered == 1
    assert _state(message) == (OutboxState.DELIVERED, 2)


def test_an_unknown_sender_is_refused_when_writing(db: None) -> None:
    with pytest.raises(ValueError, match="no sender registered"), transaction.atomic():
        write_message(sender="nobody", destination="x", payload={})
    assert OutboxMessage.objects.count() == 0


def test_a_transaction_that_writes_messages_enqueues_one_delivery_run_after_commit(
    db: None, receiver: Receiver, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        write_message(sender="test", destination="a", payload={"n": 1})
        write_message(sender="test", destination="b", payload={"n": 2})
    # then
    assert len(callbacks) == 1
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "balie.core.outbox.deliver_outbox"
    ]


def test_a_rolled_back_transaction_leaves_no_message_and_no_delivery_run(
    db: None, receiver: Receiver, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # when
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        write_message(sender="test", destination="a", payload={"n": 1})
        raise RuntimeError("the business change failed")
    # then
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_deliver_each_message_exactly_once_and_in_order(receiver: Receiver) -> None:
    # given
    for n in range(40):
        with transaction.atomic():
            write_message(sender="test", destination=f"d{n % 4}", payload={"n": n})
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work() -> None:
        try:
            start.wait()
            while deliver_due(batch_size=3).attempted:
                pass
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then
    assert errors == []
    assert sorted(n for _destination, n in receiver.received) == list(range(40))
    for d in range(4):
        assert [n for destination, n in receiver.received if destination == f"d{d}"] == list(range(d, 40, 4))
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {(OutboxState.DELIVERED, 1)}
