"""Beheer › Webhooks: the functional administrator subscribes other systems, sees the delivery log
and resends a failed message; nobody else gets in."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from balie.api.actions import create_webhook_subscription
from balie.api.models import WebhookSubscription
from balie.api.webhooks import write_webhook_messages
from balie.audit.models import ChangeRecord
from balie.core.events import DomainEvent
from balie.core.models import OutboxMessage, OutboxState

from .conftest import client_for, field_error, html

LIST = reverse("backoffice:manage_webhooks")
CREATE = reverse("backoffice:manage_webhook_create")


@pytest.fixture
def subscription(functional_admin) -> WebhookSubscription:
    subscription, _secret = create_webhook_subscription(
        name="Vergunningenloket",
        url="https://loket.example.be/hooks",
        event_types=["be.balie.case."],
        by=functional_admin,
    )
    return subscription


def _event(kind: str = "registered") -> None:
    with transaction.atomic():
        write_webhook_messages(
            DomainEvent(
                type=f"be.balie.case.{kind}",
                subject=str(uuid.uuid4()),
                data={"number": "C2026-000001"},
                department="omgeving",
            )
        )


def _failed_and_pending(subscription: WebhookSubscription) -> tuple[OutboxMessage, OutboxMessage]:
    _event("registered")
    _event("status")
    failed, pending = OutboxMessage.objects.filter(destination=subscription.destination).order_by("id")
    OutboxMessage.objects.filter(pk=failed.pk).update(
        state=OutboxState.FAILED, attempts=12, last_error="De ontvanger antwoordde 503."
    )
    failed.refresh_from_db()
    return failed, pending


def _deliveries(subscription: WebhookSubscription) -> str:
    return reverse("backoffice:manage_webhook_deliveries", args=[subscription.uuid])


def _resend(subscription: WebhookSubscription, message: OutboxMessage) -> str:
    return reverse("backoffice:manage_webhook_resend", args=[subscription.uuid, message.idempotency_key])


def test_the_beheer_tabs_lead_to_the_webhooks(admin_client):
    page = html(admin_client.get(reverse("backoffice:manage_topics")))
    assert f'<a href="{LIST}"' in page


def test_the_list_shows_each_webhook_with_what_failed_and_what_waits(admin_client, subscription):
    _failed_and_pending(subscription)

    page = html(admin_client.get(LIST))

    assert "Vergunningenloket" in page and "https://loket.example.be/hooks" in page
    assert "be.balie.case." in page
    assert "1 mislukt" in page and "1 wacht" in page
    assert _deliveries(subscription) in page


def test_the_administrator_adds_a_webhook_and_sees_its_secret_once(admin_client, functional_admin, omgeving):
    response = admin_client.post(
        CREATE,
        {
            "name": "Meldingen-app",
            "url": "https://meldingen.example.be/balie",
            "event_types": "be.balie.case.status\nbe.balie.case.closed",
            "department": omgeving.pk,
        },
    )

    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get(name="Meldingen-app")
    assert subscription.event_types == ["be.balie.case.status", "be.balie.case.closed"]
    assert (subscription.department, subscription.created_by, subscription.active) == (
        omgeving,
        functional_admin,
        True,
    )
    assert subscription.secret.startswith("whsec_") and subscription.secret in html(response)
    assert response["Cache-Control"] == "no-store"
    record = ChangeRecord.objects.get(object_uuid=subscription.uuid)
    assert record.action == "create" and record.actor_uuid == functional_admin.uuid
    assert subscription.secret not in html(admin_client.get(LIST))
    assert subscription.secret not in html(
        admin_client.get(reverse("backoffice:manage_webhook", args=[subscription.uuid]))
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"url": "http://meldingen.example.be/balie"}, "url", "Gebruik een https-adres."),
        ({"event_types": "case.closed"}, "event_types", "Een soort gebeurtenis begint met be.balie."),
        ({"event_types": ""}, "event_types", "Dit veld is verplicht."),
        ({"name": "<b>x</b>"}, "name", "Gebruik geen HTML-tekens"),
    ],
)
def test_wrong_input_is_shown_next_to_its_field_and_nothing_is_added(admin_client, data, field, message):
    form = {"name": "Meldingen-app", "url": "https://meldingen.example.be/balie", "event_types": "be.balie."}

    response = admin_client.post(CREATE, {**form, **data})

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert WebhookSubscription.objects.count() == 0


def test_the_administrator_changes_a_webhook_with_history(admin_client, subscription, omgeving):
    response = admin_client.post(
        reverse("backoffice:manage_webhook", args=[subscription.uuid]),
        {
            "name": "Vergunningenloket",
            "url": "https://loket.example.be/v2/hooks",
            "event_types": "be.balie.case.",
            "department": omgeving.pk,
        },
    )

    assert response.status_code == 302 and response["Location"] == LIST
    subscription.refresh_from_db()
    assert (subscription.url, subscription.department) == ("https://loket.example.be/v2/hooks", omgeving)
    record = ChangeRecord.objects.get(object_uuid=subscription.uuid, action="update")
    assert record.changes == {
        "url": ["https://loket.example.be/hooks", "https://loket.example.be/v2/hooks"],
        "department": [None, str(omgeving.uuid)],
    }


def test_the_administrator_stops_and_restarts_a_webhook(admin_client, subscription):
    active = reverse("backoffice:manage_webhook_active", args=[subscription.uuid])

    admin_client.post(active, {"active": "0"})
    subscription.refresh_from_db()
    assert not subscription.active
    _event()
    assert OutboxMessage.objects.count() == 0  # a stopped webhook gets no messages

    admin_client.post(active, {"active": "1"})
    subscription.refresh_from_db()
    assert subscription.active


def test_a_new_secret_is_shown_once_and_replaces_the_old(admin_client, subscription):
    old = subscription.secret

    response = admin_client.post(reverse("backoffice:manage_webhook_secret", args=[subscription.uuid]))

    subscription.refresh_from_db()
    assert subscription.secret != old
    assert subscription.secret in html(response) and old not in html(response)


def test_the_delivery_log_shows_state_attempts_and_error_with_resend_for_failed_only(
    admin_client, subscription
):
    failed, pending = _failed_and_pending(subscription)

    page = html(admin_client.get(_deliveries(subscription)))

    assert "be.balie.case.registered" in page and "be.balie.case.status" in page
    assert "De ontvanger antwoordde 503." in page
    assert "mislukt" in page and "te versturen" in page
    assert _resend(subscription, failed) in page
    assert _resend(subscription, pending) not in page
    only_failed = html(admin_client.get(_deliveries(subscription), {"toestand": "failed"}))
    assert str(failed.idempotency_key) in only_failed and str(pending.idempotency_key) not in only_failed


def test_the_delivery_log_pages_from_newest_to_oldest(admin_client, subscription):
    for _ in range(55):
        _event()
    newest_first = list(OutboxMessage.objects.filter(destination=subscription.destination).order_by("-id"))

    first = html(admin_client.get(_deliveries(subscription)))
    second = html(
        admin_client.get(_deliveries(subscription), {"voor": str(newest_first[49].idempotency_key)})
    )

    assert str(newest_first[0].idempotency_key) in first and str(newest_first[49].idempotency_key) in first
    assert str(newest_first[50].idempotency_key) not in first
    assert f"voor={newest_first[49].idempotency_key}" in first
    assert str(newest_first[50].idempotency_key) in second and str(newest_first[54].idempotency_key) in second
    assert str(newest_first[49].idempotency_key) not in second


def test_the_administrator_resends_a_failed_message(admin_client, functional_admin, subscription):
    failed, _pending = _failed_and_pending(subscription)

    response = admin_client.post(_resend(subscription, failed))

    assert response.status_code == 302 and response["Location"] == _deliveries(subscription)
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (OutboxState.PENDING, 0)
    assert failed.next_attempt_at <= timezone.now() + dt.timedelta(seconds=1)
    record = ChangeRecord.objects.get(model="core.outboxmessage")
    assert (record.object_uuid, record.actor_uuid) == (failed.idempotency_key, functional_admin.uuid)
    assert "Het bericht wordt opnieuw verstuurd." in html(admin_client.get(_deliveries(subscription)))


def test_a_message_that_did_not_fail_is_not_resent(admin_client, subscription):
    _failed, pending = _failed_and_pending(subscription)

    admin_client.post(_resend(subscription, pending))

    pending.refresh_from_db()
    assert (pending.state, pending.attempts) == (OutboxState.PENDING, 0)
    assert ChangeRecord.objects.filter(model="core.outboxmessage").count() == 0
    assert "Alleen een mislukt bericht" in html(admin_client.get(_deliveries(subscription)))


def test_a_message_of_another_webhook_is_not_found_here(admin_client, functional_admin, subscription):
    failed, _pending = _failed_and_pending(subscription)
    other, _secret = create_webhook_subscription(
        name="Ander systeem", url="https://ander.example.be/", event_types=["be.balie."], by=functional_admin
    )

    response = admin_client.post(_resend(other, failed))

    assert response.status_code == 404
    failed.refresh_from_db()
    assert failed.state == OutboxState.FAILED


@pytest.mark.parametrize("who", ["front_desk", "handler", "citizen"])
def test_only_the_functional_administrator_gets_in(request, subscription, who):
    failed, _pending = _failed_and_pending(subscription)
    client = client_for(request.getfixturevalue(who))
    expected = 404 if who == "citizen" else 403
    pages = [
        LIST,
        CREATE,
        reverse("backoffice:manage_webhook", args=[subscription.uuid]),
        _deliveries(subscription),
    ]

    for page in pages:
        assert client.get(page).status_code == expected, page
    assert client.post(_resend(subscription, failed)).status_code == expected
    assert client.post(reverse("backoffice:manage_webhook_secret", args=[subscription.uuid])).status_code == (
        expected
    )
    assert client.post(
        CREATE, {"name": "X", "url": "https://x.example.be/", "event_types": "be.balie."}
    ).status_code == (expected)

    failed.refresh_from_db()
    assert failed.state == OutboxState.FAILED
    assert WebhookSubscription.objects.get().secret == subscription.secret
    assert WebhookSubscription.objects.count() == 1
