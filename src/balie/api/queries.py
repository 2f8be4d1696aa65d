"""Reads of API applications and of webhook subscriptions with their delivery log."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404

from balie.core.models import OutboxMessage, OutboxState

from .models import ApiApplication, WebhookSubscription
from .tokens import hash_token, looks_like_token


def api_applications() -> QuerySet[ApiApplication]:
    return ApiApplication.objects.select_related("department", "user").order_by("name")


def find_application_for_token(token: str) -> ApiApplication | None:
    """The active application holding `token`, with its system account and department, or None."""
    if not looks_like_token(token):
        return None
    return (
        ApiApplication.objects.select_related("user__department", "department")
        .filter(token_hash=hash_token(token), active=True, user__is_active=True)
        .first()
    )


# --- webhooks ----------------------------------------------------------------------------------


def webhook_subscriptions() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.select_related("department").order_by("name")


def get_webhook_subscription(subscription_id: uuid.UUID | str) -> WebhookSubscription:
    try:
        return webhook_subscriptions().get(uuid=subscription_id)
    except (WebhookSubscription.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def webhook_message_counts(destinations: list[str]) -> dict[str, dict[str, int]]:
    """Per destination, how many messages wait and how many failed (delivered ones are not counted)."""
    rows = (
        OutboxMessage.objects.filter(
            destination__in=destinations, state__in=[OutboxState.PENDING, OutboxState.FAILED]
        )
        .values_list("destination", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {}
    for destination, state, n in rows:
        counts.setdefault(destination, {})[state] = n
    return counts


def webhook_messages(
    subscription: WebhookSubscription, *, state: str = "", before: int | None = None, limit: int = 50
) -> list[OutboxMessage]:
    """The subscription's delivery log, newest first, one page (keyset on id)."""
    rows = OutboxMessage.objects.filter(destination=subscription.destination)
    if state:
        rows = rows.filter(state=state)
    if before is not None:
        rows = rows.filter(id__lt=before)
    return list(rows.order_by("-id")[:limit])


def get_webhook_message(subscription: WebhookSubscription, message_id: uuid.UUID | str) -> OutboxMessage:
    try:
        return OutboxMessage.objects.get(destination=subscription.destination, idempotency_key=message_id)
    except (OutboxMessage.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
