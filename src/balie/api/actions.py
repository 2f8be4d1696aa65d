"""Every change to API applications (create with its system account, rotate the token, deactivate,
note when one was last used) and to webhook subscriptions (create, change, new secret, resend)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balie.accounts.models import AccountKind, Department, User
from balie.audit.actions import Actor, diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.core.models import OutboxMessage, OutboxState
from balie.core.outbox import resend

from .models import ApiApplication, WebhookSubscription
from .tokens import PREFIX_LENGTH, generate_token, hash_token
from .webhooks import SENDER as WEBHOOK_SENDER
from .webhooks import generate_secret

APPLICATION_FIELDS = ["name", "department", "user", "scopes", "purpose", "active"]
# last_used_at is written at most this often, so that reads do not turn into writes.
USE_RESOLUTION = dt.timedelta(minutes=1)


@transaction.atomic
def create_api_application(
    *,
    name: str,
    department: Department,
    scopes: Iterable[str],
    purpose: str = "",
    by: Actor | None,
) -> tuple[ApiApplication, str]:
    """Create an application and the system account it acts as, in `department`.

    Returns (application, token). The token is shown this once; only its hash is kept.
    """
    name = name.strip()
    token = generate_token()
    account = User(
        username=f"api-{slugify(name)}"[:150],
        first_name=name[:150],
        kind=AccountKind.SYSTEM,
        department=department,
        is_active=True,
    )
    account.set_unusable_password()  # a system account never logs in to the pages
    application = ApiApplication(
        name=name,
        department=department,
        user=account,
        token_hash=hash_token(token),
        token_prefix=token[:PREFIX_LENGTH],
        scopes=sorted(set(scopes)),
        purpose=purpose.strip(),
    )
    errors: dict[str, list[str]] = {}
    try:
        application.full_clean(exclude=["user"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if not department.active:
        errors.setdefault("department", []).append(_("Deze dienst is niet meer actief."))
    if "name" not in errors and not slugify(name):
        errors["name"] = [_("Gebruik letters of cijfers in de naam.")]
    if "name" not in errors:
        try:
            account.full_clean(exclude=["password"])
        except ValidationError:
            errors["name"] = [_("Kies een naam met letters of cijfers die nog niet gebruikt is.")]
    if errors:
        raise ValidationError(errors)
    account.save()
    application.user = account
    application.save()
    record_creation(instance=account, fields=["username", "first_name", "kind", "department"], by=by)
    record_creation(instance=application, fields=APPLICATION_FIELDS, by=by)
    return application, token


@transaction.atomic
def rotate_api_token(*, application: ApiApplication, by: Actor | None) -> tuple[ApiApplication, str]:
    """Give the application a new token; the old one stops working at once."""
    application = ApiApplication.objects.select_for_update().get(pk=application.pk)
    token = generate_token()
    application.token_hash = hash_token(token)
    application.token_prefix = token[:PREFIX_LENGTH]
    application.save(update_fields=["token_hash", "token_prefix", "updated_at"])
    record_change(
        instance=application, action=ChangeAction.UPDATE, changes={"token": [None, "vernieuwd"]}, by=by
    )
    return application, token


@transaction.atomic
def deactivate_api_application(*, application: ApiApplication, by: Actor | None) -> ApiApplication:
    """Stop an application: its token is refused and its system account no longer acts for the
    department (accounts.permissions checks that the account is active)."""
    application = ApiApplication.objects.select_for_update().select_related("user").get(pk=application.pk)
    if not application.active:
        return application
    application.active = False
    application.save(update_fields=["active", "updated_at"])
    User.objects.filter(pk=application.user_id).update(is_active=False)
    application.user.is_active = False
    record_change(instance=application, action=ChangeAction.UPDATE, changes={"active": [True, False]}, by=by)
    return application


def record_api_use(*, application: ApiApplication, now: dt.datetime | None = None) -> None:
    """Note that the application called the API (not audited: it changes no business data)."""
    now = now or timezone.now()
    last = application.last_used_at
    if last is not None and now - last < USE_RESOLUTION:
        return
    ApiApplication.objects.filter(pk=application.pk).update(last_used_at=now)
    application.last_used_at = now


# --- webhooks ----------------------------------------------------------------------------------

WEBHOOK_FIELDS = ["name", "url", "event_types", "department", "active"]


@transaction.atomic
def create_webhook_subscription(
    *,
    name: str,
    url: str,
    event_types: Iterable[str],
    department: Department | None = None,
    by: User,
) -> tuple[WebhookSubscription, str]:
    """Subscribe another system to events. Returns (subscription, secret); show the secret once."""
    secret = generate_secret()
    subscription = WebhookSubscription(
        name=name.strip(),
        url=url.strip(),
        secret=secret,
        event_types=_event_types(event_types),
        department=department,
        created_by=by,
    )
    errors: dict[str, list[str]] = {}
    try:
        subscription.full_clean(exclude=["department", "created_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if department is not None and not department.active:
        errors.setdefault("department", []).append(_("Deze dienst is niet meer actief."))
    if errors:
        raise ValidationError(errors)
    subscription.save()
    record_creation(instance=subscription, fields=WEBHOOK_FIELDS, by=by)
    return subscription, secret


@transaction.atomic
def update_webhook_subscription(
    *, subscription: WebhookSubscription, by: User, **data: Any
) -> WebhookSubscription:
    """Change the fields given (name, url, event_types, department, active); every change is in the
    history. A deactivated subscription gets no new messages, and its pending ones fail (they can be
    resent after reactivating)."""
    unknown = set(data) - set(WEBHOOK_FIELDS)
    if unknown:
        raise TypeError(f"update_webhook_subscription: unknown fields {sorted(unknown)}")
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    before = snapshot(subscription, WEBHOOK_FIELDS)
    for name, value in data.items():
        if name == "event_types":
            value = _event_types(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(subscription, name, value)
    errors: dict[str, list[str]] = {}
    try:
        subscription.full_clean(exclude=["department", "created_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    department = data.get("department")
    if department is not None and not department.active and str(department.uuid) != before["department"]:
        errors.setdefault("department", []).append(_("Deze dienst is niet meer actief."))
    if errors:
        raise ValidationError(errors)
    changes = diff(before, snapshot(subscription, WEBHOOK_FIELDS))
    if changes:
        subscription.save()
        record_change(instance=subscription, action=ChangeAction.UPDATE, changes=changes, by=by)
    return subscription


@transaction.atomic
def rotate_webhook_secret(*, subscription: WebhookSubscription, by: User) -> tuple[WebhookSubscription, str]:
    """A new secret; messages are signed with it from their next attempt on."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    secret = generate_secret()
    subscription.secret = secret
    subscription.save(update_fields=["secret", "updated_at"])
    record_change(
        instance=subscription, action=ChangeAction.UPDATE, changes={"secret": [None, "vernieuwd"]}, by=by
    )
    return subscription, secret


@transaction.atomic
def resend_webhook_message(*, message: OutboxMessage, by: User) -> OutboxMessage:
    """Put a failed webhook message back in line (same id: the receiver can still deduplicate)."""
    if message.sender != WEBHOOK_SENDER:
        raise ValidationError(_("Dit is geen bericht van een webhook."))
    message = resend(message=message)
    record_change(
        instance=message,
        action=ChangeAction.UPDATE,
        changes={"state": [OutboxState.FAILED.value, OutboxState.PENDING.value]},
        by=by,
    )
    return message


def _event_types(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))
