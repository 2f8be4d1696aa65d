"""The outbox senders of door access: pushing a grant to its controller, mailing a PIN.

`push_grant` reads the grant as it is when the message is delivered and brings the controller to
that state: a live grant is put (created or replaced), a revoked or ended one deleted. The
controller applies a request once per idempotency key (the outbox message's), so a delivery whose
answer was lost and that is sent again changes nothing there.
"""

from __future__ import annotations

import logging
import uuid

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from balie.core.models import OutboxMessage
from balie.core.outbox import DeliveryError, PermanentDeliveryError
from balie.parties.models import ContactPoint, ContactPointKind

from .adapters.door_controller import ControllerError, ControllerGrant, client_for
from .models import AccessGrant, CredentialKind, DoorController
from .pins import decrypt_pin

logger = logging.getLogger("balie.room_access")


def controller_grant(grant: AccessGrant) -> ControllerGrant:
    """The grant as the controller gets it: never the PIN, its salted hash."""
    if grant.kind == CredentialKind.PIN:
        credential = {"type": "pin", "salt": grant.pin_salt, "sha256": grant.pin_hash}
    else:
        credential = {"type": "badge", "badgeId": grant.badge_id}
    return ControllerGrant(
        id=str(grant.uuid),
        zone=grant.zone.zone_id,
        reference=grant.reference,
        version=grant.version,
        valid_from=grant.starts_at,
        valid_until=grant.ends_at,
        credential=credential,
    )


def _controller_of(message: OutboxMessage) -> DoorController:
    _prefix, _colon, key = message.destination.partition(":")
    try:
        return DoorController.objects.get(uuid=uuid.UUID(key))
    except (ValueError, DoorController.DoesNotExist):
        raise PermanentDeliveryError("the door controller no longer exists") from None


def push_grant(message: OutboxMessage) -> None:
    """The outbox sender `room_access.push_grant` (registered in apps.py)."""
    controller = _controller_of(message)
    grant_id = str(message.payload["grant"])
    zone_id = str(message.payload["zone"])
    grant = None
    if not message.payload.get("remove"):
        try:
            grant = AccessGrant.objects.select_related("zone").filter(uuid=uuid.UUID(grant_id)).first()
        except ValueError:  # a controller's own id, found by reconciliation
            grant = None
    client = client_for(controller)
    try:
        if grant is not None and grant.is_live() and grant.zone.controller_id == controller.pk:
            client.put_grant(controller_grant(grant), idempotency_key=message.idempotency_key)
        else:
            client.delete_grant(zone=zone_id, grant_id=grant_id, idempotency_key=message.idempotency_key)
    except ControllerError as error:
        if error.permanent:
            raise PermanentDeliveryError(str(error)) from None
        raise DeliveryError(str(error)) from None
    if grant is not None:
        # Confirmed up to the version read; a change made meanwhile has its own message behind this one.
        AccessGrant.objects.filter(pk=grant.pk, version=grant.version).update(
            pushed_version=grant.version, pushed_at=timezone.now()
        )


def _email_of(party_id: int) -> str:
    point = (
        ContactPoint.objects.filter(party_id=party_id, kind=ContactPointKind.EMAIL)
        .order_by("-preferred", "-verified", "id")
        .first()
    )
    return point.value if point else ""


def mail_pin(message: OutboxMessage) -> None:
    """The outbox sender `room_access.pin_mail`: the holder's PIN and window, once per version."""
    version = int(message.payload["version"])
    with transaction.atomic():
        grant = (
            AccessGrant.objects.select_for_update(of=("self",))
            .select_related("zone", "holder")
            .filter(uuid=uuid.UUID(str(message.payload["grant"])))
            .first()
        )
        if grant is None or grant.kind != CredentialKind.PIN or grant.mailed_version >= version:
            return
        if grant.version != version or not grant.is_live():
            return  # a later change mails its own news; a revoked or ended grant needs none
        address = _email_of(grant.holder_id)
        if not address:
            logger.info("access grant without an e-mail address", extra={"grant": str(grant.uuid)})
        else:
            try:
                _send(grant, address)
            except ValueError as error:  # the PIN key changed: trying again cannot help
                raise PermanentDeliveryError(str(error)) from None
        grant.mailed_version = version
        grant.save(update_fields=["mailed_version"])


def _send(grant: AccessGrant, address: str) -> None:
    language = grant.holder.preferred_language or "nl"
    with translation.override(language):
        starts = timezone.localtime(grant.starts_at)
        ends = timezone.localtime(grant.ends_at)
        values = {
            "zone": grant.zone.name,
            "pin": decrypt_pin(grant.pin_cipher),
            "from": formats.date_format(starts, "d/m/Y H:i"),
            "until": formats.date_format(ends, "d/m/Y H:i"),
            "reference": grant.reference,
        }
        subject = _("Uw toegangscode voor %(zone)s") % values
        body = (
            _(
                "Goeddag,\n\n"
                "Met deze pincode opent u de deuren van %(zone)s:\n\n"
                "    %(pin)s\n\n"
                "De code werkt van %(from)s tot %(until)s, niet ervoor en niet erna.\n"
                "Geef de code aan niemand anders door.\n\n"
                "Referentie: %(reference)s\n"
            )
            % values
        )
    EmailMessage(
        subject=subject, body=body, to=[address], headers={"X-Balie-Access-Grant": str(grant.uuid)}
    ).send()
