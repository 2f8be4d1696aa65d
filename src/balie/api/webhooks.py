"""Webhooks: domain events POSTed to other systems as signed CloudEvents, through the outbox.

For every domain event (`core.events.publish`, inside the business transaction) `write_webhook_messages`
writes one outbox message per active subscription that wants it, in that same transaction. The
outbox delivers them (retries, backoff, order per subscription); `send_webhook` is its sender.

What a receiver gets (one POST per event):

- the body: a CloudEvents 1.0 event in structured JSON mode, `Content-Type:
  application/cloudevents+json`, with `specversion`, `id`, `source`, `type` (e.g.
  `be.balie.case.status`), `subject` (the public id of the case), `time`, `datacontenttype` and
  `data`;
- the headers of the Standard Webhooks convention (https://www.standardwebhooks.com):
  `Webhook-Id` (= the CloudEvent `id`, also sent as `Idempotency-Key`), `Webhook-Timestamp` (Unix
  seconds of this attempt) and `Webhook-Signature: v1,<base64 signature>`.

The signature is HMAC-SHA256 over `<Webhook-Id>.<Webhook-Timestamp>.<body>` (the raw body bytes),
keyed with the subscription's secret: the secret reads `whsec_<base64>`, and the key is the
base64-decoded part after `whsec_`. The signature is base64-encoded and prefixed with `v1,`. A
receiver recomputes it over the bytes it received, compares in constant time, and refuses a
timestamp more than five minutes from its clock (`verify_signature` does exactly that).

The id stays the same on every retry of one event to one subscription: a receiver that already
has a message with that id answers 2xx and drops it. Any 2xx answer means delivered; anything else
(including a redirect), a timeout or no connection means: try again later.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import secrets
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from balie.core.events import DomainEvent
from balie.core.models import OutboxMessage
from balie.core.outbox import DeliveryError, PermanentDeliveryError, write_message

from .models import WebhookSubscription

SENDER = "webhook"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a public marker, not a secret
CONTENT_TYPE = "application/cloudevents+json"
USER_AGENT = "Balie-Webhooks/1.0"
DEFAULT_TIMEOUT = 10.0  # seconds; BALIE_WEBHOOK_TIMEOUT
TOLERANCE = dt.timedelta(minutes=5)


# --- the secret and the signature --------------------------------------------------------------


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `Webhook-Signature` value: `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body"))."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_signature(
    *, secret: str, headers: Mapping[str, str], body: bytes, now: float | None = None
) -> bool:
    """What a receiver does (and the tests): check the signature and the timestamp's freshness."""
    lower = {key.lower(): value for key, value in headers.items()}
    message_id = lower.get("webhook-id", "")
    try:
        timestamp = int(lower.get("webhook-timestamp", ""))
    except ValueError:
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE.total_seconds():
        return False
    expected = sign(secret=secret, message_id=message_id, timestamp=timestamp, body=body)
    # The header may carry several space-separated signatures (during a key rotation).
    return any(hmac.compare_digest(expected, given) for given in lower.get("webhook-signature", "").split())


# --- from domain event to outbox message -------------------------------------------------------


def cloud_event(event: DomainEvent, message_id: uuid.UUID) -> dict[str, Any]:
    """The CloudEvents 1.0 structured-mode body for `event`, sent as message `message_id`."""
    time_utc = event.time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return {
        "specversion": "1.0",
        "id": str(message_id),
        "source": event.source,
        "type": event.type,
        "subject": event.subject,
        "time": time_utc,
        "datacontenttype": "application/json",
        "data": json.loads(json.dumps(event.data, cls=DjangoJSONEncoder)),
    }


def write_webhook_messages(event: DomainEvent) -> None:
    """Event subscriber: one outbox message per active subscription that wants `event`, written in
    the transaction of the change."""
    subscriptions = WebhookSubscription.objects.filter(active=True).select_related("department")
    for subscription in subscriptions:
        if not subscription.wants(event.type, event.department):
            continue
        message_id = uuid.uuid4()
        write_message(
            sender=SENDER,
            destination=subscription.destination,
            payload={"subscription": str(subscription.uuid), "event": cloud_event(event, message_id)},
            idempotency_key=message_id,
        )


# --- delivery ----------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not a delivery: answer it as the 3xx error it is."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def body_of(message: OutboxMessage) -> bytes:
    return json.dumps(message.payload["event"], ensure_ascii=False, separators=(",", ":")).encode()


def send_webhook(message: OutboxMessage) -> None:
    """Outbox sender: POST the message's CloudEvent, signed; raises unless the answer is 2xx."""
    subscription = WebhookSubscription.objects.filter(uuid=message.payload.get("subscription")).first()
    if subscription is None or not subscription.active:
        raise PermanentDeliveryError(_("De webhook bestaat niet meer of is niet actief."))
    message_id = str(message.idempotency_key)
    body = body_of(message)
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the URL is validated as http(s) on saving
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": CONTENT_TYPE,
            "User-Agent": USER_AGENT,
            "Webhook-Id": message_id,
            "Idempotency-Key": message_id,
            "Webhook-Timestamp": str(timestamp),
            "Webhook-Signature": sign(
                secret=subscription.secret, message_id=message_id, timestamp=timestamp, body=body
            ),
        },
    )
    timeout = float(getattr(settings, "BALIE_WEBHOOK_TIMEOUT", DEFAULT_TIMEOUT))
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise DeliveryError(_("De ontvanger antwoordde %(status)s.") % {"status": error.code}) from None
    except urllib.error.URLError as error:
        raise DeliveryError(_("Geen verbinding: %(reason)s") % {"reason": error.reason}) from None
    except TimeoutError:
        raise DeliveryError(
            _("Geen antwoord binnen %(seconds)s seconden.") % {"seconds": f"{timeout:g}"}
        ) from None
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(_("Geen verbinding: %(reason)s") % {"reason": error}) from None
    if not 200 <= status < 300:
        raise DeliveryError(_("De ontvanger antwoordde %(status)s.") % {"status": status})
