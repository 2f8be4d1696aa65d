"""Webhook subscriptions: which events become messages, in the transaction of the change; keeping
subscriptions; the signature; resending a failed message."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.accounts.models import Department, User
from balie.api.actions import (
    create_webhook_subscription,
    resend_webhook_message,
    rotate_webhook_secret,
    update_webhook_subscription,
)
from balie.api.models import WebhookSubscription
from balie.api.webhooks import sign, verify_signature
from balie.audit.models import ChangeRecord
from balie.cases.actions import register_case, set_status
from balie.cases.models import Case, CaseType, StatusType
from balie.core.models import OutboxMessage, OutboxState
from balie.core.outbox import deliver_due


def _subscribe(admin: User, name: str = "Loket", **extra: Any) -> WebhookSubscription:
    extra.setdefault("event_types", ["be.balie.case."])
    subscription, _secret = create_webhook_subscription(
        name=name, url="https://loket.example.be/hooks", by=admin, **extra
    )
    return subscription


def _register(case_type: CaseType, handler: User) -> Case:
    return register_case(case_type=case_type, by=handler, subject="Terras", attributes={"soort": "bouwen"})


def _types(subscription: WebhookSubscription) -> list[str]:
    return [
        m.payload["event"]["type"]
        for m in OutboxMessage.objects.filter(destination=subscription.destination).order_by("id")
    ]


def test_each_event_becomes_a_message_for_each_subscription_that_wants_it(
    admin: User, handler: User, permit_type: CaseType, omgeving: Department, burgerzaken: Department
) -> None:
    # given
    everything = _subscribe(admin, "Alles", event_types=["be.balie."])
    closings = _subscribe(admin, "Afsluitingen", event_types=["be.balie.case.closed"])
    own_department = _subscribe(admin, "Omgeving", department=omgeving)
    other_department = _subscribe(admin, "Burgerzaken", department=burgerzaken)
    stopped = _subscribe(admin, "Gestopt")
    update_webhook_subscription(subscription=stopped, active=False, by=admin)
    # when
    _register(permit_type, handler)
    # then
    assert _types(everything) == ["be.balie.case.registered"]
    assert _types(own_department) == ["be.balie.case.registered"]
    assert _types(closings) == _types(other_department) == _types(stopped) == []
    message = OutboxMessage.objects.get(destination=everything.destination)
    assert message.sender == "webhook"
    assert message.state == OutboxState.PENDING
    assert message.payload["event"]["id"] == str(message.idempotency_key)
    assert message.payload["subscription"] == str(everything.uuid)


def test_a_refused_change_writes_no_message(admin: User, handler: User, permit_type: CaseType) -> None:
    # given
    subscription = _subscribe(admin)
    case = _register(permit_type, handler)
    done = StatusType.objects.get(version=case.version, name="Afgehandeld")
    before = OutboxMessage.objects.count()
    # when
    with pytest.raises(ValidationError):
        set_status(case=case, status_type=done, by=handler)
    # then
    assert OutboxMessage.objects.count() == before
    assert _types(subscription) == ["be.balie.case.registered"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "http://loket.example.be/hooks", "Gebruik een https-adres."),
        (
            "url",
            "https://jan:geheim@loket.example.be/",
            "Zet geen gebruikersnaam of wachtwoord in het adres.",
        ),
        ("url", "ftp://loket.example.be/", "Voer een geldige URL in."),
        ("event_types", [], "Kies minstens één soort gebeurtenis."),
        ("event_types", ["case."], "Een soort gebeurtenis begint met be.balie."),
        ("name", "<b>Loket</b>", None),
    ],
)
def test_a_subscription_with_wrong_input_is_refused_and_nothing_is_kept(
    admin: User, field: str, value: Any, message: str | None
) -> None:
    # given
    data: dict[str, Any] = {
        "name": "Loket",
        "url": "https://loket.example.be/hooks",
        "event_types": ["be.balie.case."],
    }
    data[field] = value
    # when
    with pytest.raises(ValidationError) as refused:
        create_webhook_subscription(by=admin, **data)
    # then
    assert list(refused.value.message_dict) == [field]
    if message:
        assert message in refused.value.message_dict[field][0]
    assert WebhookSubscription.objects.count() == 0
    assert ChangeRecord.objects.filter(model="api.webhooksubscription").count() == 0


def test_plain_http_is_allowed_on_this_machine_only(admin: User) -> None:
    subscription, _secret = create_webhook_subscription(
        name="Lokaal", url="http://127.0.0.1:8080/hooks", event_types=["be.balie."], by=admin
    )
    assert subscription.url == "http://127.0.0.1:8080/hooks"


def test_a_subscription_is_created_and_changed_with_its_history(admin: User, omgeving: Department) -> None:
    # when
    subscription, secret = create_webhook_subscription(
        name="Loket", url="https://loket.example.be/hooks", event_types=["be.balie.case.", " "], by=admin
    )
    update_webhook_subscription(
        subscription=subscription, department=omgeving, event_types=["be.balie.case.closed"], by=admin
    )
    # then
    subscription.refresh_from_db()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert subscription.secret == secret
    assert subscription.created_by == admin
    assert (subscription.event_types, subscription.department) == (["be.balie.case.closed"], omgeving)
    history = list(ChangeRecord.objects.filter(object_uuid=subscription.uuid).order_by("id"))
    assert [record.action for record in history] == ["create", "update"]
    assert "secret" not in history[0].changes
    assert history[1].changes == {
        "event_types": [["be.balie.case."], ["be.balie.case.closed"]],
        "department": [None, str(omgeving.uuid)],
    }


def test_a_new_secret_replaces_the_old_one(admin: User) -> None:
    # given
    subscription = _subscribe(admin)
    old = subscription.secret
    # when
    subscription, secret = rotate_webhook_secret(subscription=subscription, by=admin)
    # then
    assert secret != old
    assert WebhookSubscription.objects.get().secret == secret
    assert ChangeRecord.objects.filter(object_uuid=subscription.uuid).latest("id").changes == {
        "secret": [None, "vernieuwd"]
    }


def test_the_signature_follows_the_standard_webhooks_scheme() -> None:
    # given: a secret, as a receiver is given it
    key = bytes(range(32))
    secret = "whsec_" + base64.b64encode(key).decode()
    body = b'{"id":"m1"}'
    # when
    signature = sign(secret=secret, message_id="m1", timestamp=1767225600, body=body)
    # then: HMAC-SHA256 over "id.timestamp.body", base64, prefixed with the version
    digest = hmac.new(key, b"m1.1767225600." + body, hashlib.sha256).digest()
    assert signature == "v1," + base64.b64encode(digest).decode()
    headers = {"Webhook-Id": "m1", "Webhook-Timestamp": "1767225600", "Webhook-Signature": signature}
    assert verify_signature(secret=secret, headers=headers, body=body, now=1767225600 + 60)
    assert not verify_signature(secret=secret, headers=headers, body=body, now=1767225600 + 301)  # stale
    assert not verify_signature(
        secret=secret, headers={**headers, "Webhook-Id": "m2"}, body=body, now=1767225600
    )


class _Answering(BaseHTTPRequestHandler):
    status = 200

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(self.status)
        if 300 <= self.status < 400:
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def answering() -> Iterator[type[_Answering]]:
    handler = type("Handler", (_Answering,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.port = server.server_address[1]  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler
    server.shutdown()
    server.server_close()


def _local_subscription(admin: User, port: int) -> WebhookSubscription:
    subscription, _secret = create_webhook_subscription(
        name="Lokaal", url=f"http://127.0.0.1:{port}/hooks", event_types=["be.balie."], by=admin
    )
    return subscription


def test_a_redirect_is_not_a_delivery(
    answering: Any, admin: User, handler: User, permit_type: CaseType
) -> None:
    # given
    answering.status = 302
    subscription = _local_subscription(admin, answering.port)
    _register(permit_type, handler)
    # when
    run = deliver_due(now=timezone.now())
    # then
    assert run.retrying == 1
    message = OutboxMessage.objects.get(destination=subscription.destination)
    assert message.last_error == "De ontvanger antwoordde 302."


def test_a_deactivated_subscription_fails_its_waiting_messages_and_they_can_be_resent(
    answering: Any, admin: User, handler: User, permit_type: CaseType
) -> None:
    # given: a message waits, then the subscription is stopped
    subscription = _local_subscription(admin, answering.port)
    _register(permit_type, handler)
    update_webhook_subscription(subscription=subscription, active=False, by=admin)
    # when
    deliver_due(now=timezone.now())
    # then
    message = OutboxMessage.objects.get(destination=subscription.destination)
    assert (message.state, message.last_error) == (
        OutboxState.FAILED,
        "De webhook bestaat niet meer of is niet actief.",
    )
    # when: started again and resent
    update_webhook_subscription(subscription=subscription, active=True, by=admin)
    resend_webhook_message(message=message, by=admin)
    run = deliver_due(now=timezone.now())
    # then
    assert run.delivered == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.DELIVERED, 1)
    resent = ChangeRecord.objects.get(model="core.outboxmessage")
    assert (resent.object_uuid, resent.changes, resent.actor_uuid) == (
        message.idempotency_key,
        {"state": ["failed", "pending"]},
        admin.uuid,
    )


def test_a_message_that_did_not_fail_cannot_be_resent(
    admin: User, handler: User, permit_type: CaseType
) -> None:
    # given
    subscription = _subscribe(admin)
    _register(permit_type, handler)
    message = OutboxMessage.objects.get(destination=subscription.destination)
    # when / then
    with pytest.raises(ValidationError, match="Alleen een mislukt bericht"):
        resend_webhook_message(message=message, by=admin)
    assert ChangeRecord.objects.filter(model="core.outboxmessage").count() == 0
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.PENDING, 0)
