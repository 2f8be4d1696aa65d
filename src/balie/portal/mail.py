"""The mail that proves a local account's e-mail address, sent through the outbox (so a mail
server that is down delays it, never loses it). The link carries a signed, timed token: nothing
secret is kept in the outbox row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from balie.accounts.models import AccountKind, User
from balie.core.outbox import PermanentDeliveryError, write_message

VERIFICATION_SENDER = "portal.verification_mail"
SALT = "balie.portal.verify-email"
VERIFICATION_MAX_AGE = 48 * 3600


def verification_token(account: User) -> str:
    return signing.dumps({"account": str(account.uuid), "email": account.email}, salt=SALT)


def account_from_token(token: str) -> User | None:
    """The account the link was made for, when it is genuine, not older than 48 hours and the
    address did not change since."""
    try:
        data: dict[str, Any] = signing.loads(token, salt=SALT, max_age=VERIFICATION_MAX_AGE)
    except signing.BadSignature:
        return None
    account = User.objects.filter(uuid=str(data.get("account", "")), kind=AccountKind.CITIZEN).first()
    if account is None or account.email != data.get("email"):
        return None
    return account


def queue_verification_mail(*, account: User, base_url: str, language: str) -> None:
    write_message(
        sender=VERIFICATION_SENDER,
        destination=account.email,
        payload={"account": account.pk, "base_url": base_url, "language": language},
    )


def send_verification_mail(message: Any) -> None:
    """The outbox sender (registered in apps.py)."""
    account = User.objects.filter(pk=message.payload["account"], kind=AccountKind.CITIZEN).first()
    if account is None or not account.email:
        raise PermanentDeliveryError("the account is gone")
    if account.email_verified_at is not None:
        return  # proven meanwhile (a second mail was asked for)
    link = message.payload["base_url"].rstrip("/") + reverse(
        "portal:verify", kwargs={"token": verification_token(account)}
    )
    with translation.override(message.payload.get("language") or "nl-be"):
        subject = _("Bevestig uw e-mailadres voor het e-loket van %(municipality)s") % {
            "municipality": settings.BALIE_MUNICIPALITY_NAME
        }
        body = _(
            "Beste %(name)s\n\n"
            "U maakte een account aan op het e-loket van %(municipality)s. Bevestig uw e-mailadres "
            "met deze link (48 uur geldig):\n\n%(link)s\n\n"
            "Vroeg u dit niet aan? Dan mag u deze e-mail negeren.\n\n"
            "Met vriendelijke groeten\n%(municipality)s"
        ) % {"name": account.first_name, "municipality": settings.BALIE_MUNICIPALITY_NAME, "link": link}
    EmailMessage(
        subject=subject,
        body=body,
        to=[account.email],
        headers={"Message-ID": f"<{message.idempotency_key}@balie-e-loket>"},
    ).send()
