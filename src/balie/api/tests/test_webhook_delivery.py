"""A webhook receiver that is down for a while receives every event afterwards, in order, none twice.

The receiver is a real HTTP server on 127.0.0.1. It is first not listening at all, then answers
503, then takes one event but answers 500 (the answer is "lost": Balie must send it again, with the
same id, and the receiver drops the duplicate by that id), then answers 200.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from balie.accounts.models import User
from balie.api.actions import create_webhook_subscription
from balie.api.models import WebhookSubscription
from balie.api.webhooks import CONTENT_TYPE, verify_signature
from balie.cases.actions import add_case_note, close_case, complete_case_task, register_case, set_status
from balie.cases.models import CaseType, ResultType, StatusType
from balie.core.models import OutboxMessage, OutboxState
from balie.core.outbox import deliver_due
from balie.parties.models import Party


@dataclass
class Request:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the other system does: keeps every request, accepts each id once."""

    port: int
    answer: int = 503
    lose_next_answer: bool = False
    requests: list[Request] = field(default_factory=list)
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> event, in arrival order
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Request) -> int:
        with self.lock:
            self.requests.append(request)
            if self.answer != 200:
                return self.answer
            event_id = request.headers["webhook-id"]
            if event_id not in self.accepted:  # deduplicate by the idempotency key
                self.accepted[event_id] = request.event
            if self.lose_next_answer:
                self.lose_next_answer = False
                return 500  # the receiver has it, but Balie does not hear so
            return 200


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _ServerOf:
    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self.receiver

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {key.lower(): value for key, value in self.headers.items()}
                status = receiver.handle(Request(headers=headers, body=body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, _ServerOf]]:
    receiver = Receiver(port=_free_port())
    server = _ServerOf(receiver)
    yield receiver, server
    server.stop()


def _work_a_case(case_type: CaseType, handler: User, applicant: Party) -> list[str]:
    """Register a case and take it to its end: the events it publishes, in order."""
    case = register_case(
        case_type=case_type,
        by=handler,
        subject="Verbouwing keuken",
        parties=[(applicant, "initiator")],
        attributes={"soort": "verbouwen"},
    )
    complete_case_task(task=case.tasks.get(), by=handler)
    in_treatment = StatusType.objects.get(version=case.version, name="In behandeling")
    case = set_status(case=case, status_type=in_treatment, by=handler, reason="volledig")
    add_case_note(case=case, by=handler, text="Plannen bekeken")
    close_case(
        case=case, result_type=ResultType.objects.get(version=case.version, name="Vergund"), by=handler
    )
    return [
        "be.balie.case.registered",
        "be.balie.case.task_done",
        "be.balie.case.status",
        "be.balie.case.note",
        "be.balie.case.closed",
    ]


def test_a_receiver_that_is_down_for_a_while_receives_every_event_afterwards_none_twice(
    receiver: tuple[Receiver, _ServerOf],
    admin: User,
    handler: User,
    permit_type: CaseType,
    applicant: Party,
) -> None:
    # given: a subscription to case events, and a receiver that is not even listening
    other, server = receiver
    subscription, secret = create_webhook_subscription(
        name="Vergunningenloket",
        url=f"http://127.0.0.1:{other.port}/balie-events",
        event_types=["be.balie.case."],
        by=admin,
    )
    expected_types = _work_a_case(permit_type, handler, applicant)
    messages = list(OutboxMessage.objects.filter(destination=subscription.destination).order_by("id"))
    assert len(messages) == len(expected_types)
    now = timezone.now()

    def deliver_an_hour_later() -> None:
        nonlocal now
        now += dt.timedelta(hours=1)
        deliver_due(now=now)

    # when: no one listens (twice), then the receiver answers 503 (twice)
    deliver_an_hour_later()
    deliver_an_hour_later()
    server.start()
    deliver_an_hour_later()
    deliver_an_hour_later()
    # then: only the first event was tried (the others wait behind it), nothing was accepted
    first = OutboxMessage.objects.get(pk=messages[0].pk)
    assert (first.state, first.attempts) == (OutboxState.PENDING, 4)
    assert first.last_error == "De ontvanger antwoordde 503."
    webhook_messages = OutboxMessage.objects.filter(destination=subscription.destination)
    assert {m.attempts for m in webhook_messages.exclude(pk=first.pk)} == {0}
    assert len(other.requests) == 2
    assert other.accepted == {}

    # when: the receiver takes the first event but its answer is lost, then all is well
    other.answer, other.lose_next_answer = 200, True
    deliver_an_hour_later()
    deliver_an_hour_later()

    # then: every event arrived once, in the order it happened
    assert [event["type"] for event in other.accepted.values()] == expected_types
    assert list(other.accepted) == [str(m.idempotency_key) for m in messages]
    assert len(set(other.accepted)) == len(expected_types)
    assert set(webhook_messages.values_list("state", flat=True)) == {OutboxState.DELIVERED}
    # the first event was tried 6 times (4 reached the receiver), always with one id; the lost
    # answer made one duplicate
    first_id = str(messages[0].idempotency_key)
    sent_ids = [request.headers["webhook-id"] for request in other.requests]
    assert sent_ids.count(first_id) == 4  # 2 × 503, 1 × lost answer, 1 × accepted again
    assert sent_ids == [first_id] * 4 + [str(m.idempotency_key) for m in messages[1:]]
    # every request is a signed CloudEvent whose id is its idempotency key
    for request in other.requests:
        assert verify_signature(secret=secret, headers=request.headers, body=request.body)
        assert request.headers["content-type"] == CONTENT_TYPE
        assert request.headers["webhook-id"] == request.headers["idempotency-key"] == request.event["id"]
        assert request.event["specversion"] == "1.0"
    assert not verify_signature(
        secret=secret, headers=other.requests[-1].headers, body=other.requests[-1].body + b" "
    )
    # what the receiver got about the case
    registered = other.accepted[first_id]
    case_uuid = registered["subject"]
    assert registered["source"] == "/balie"
    assert registered["datacontenttype"] == "application/json"
    assert registered["data"]["case"] == case_uuid
    assert registered["data"]["case_type"] == "omgevingsvergunning"
    assert registered["time"].endswith("Z")
    closed = list(other.accepted.values())[-1]
    assert (closed["subject"], closed["data"]["closed"], closed["data"]["result"]) == (
        case_uuid,
        True,
        "Vergund",
    )
    assert WebhookSubscription.objects.get().active
