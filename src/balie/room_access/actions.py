"""Every change to door access: controllers and zones, and the grants callers (reservations) make.

A grant change is one transaction with an audit row and an outbox message to the zone's
controller (sender `room_access.push_grant`, one destination per controller, so its messages
arrive in order); a PIN grant also writes a mail to its holder (`room_access.pin_mail`). The
message carries only the grant's id: the sender reads the grant's state when it delivers, so any
message brings the controller to Balie's current state, and delivering one twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.audit.actions import Actor, diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction
from balie.core.models import OutboxMessage, OutboxState
from balie.core.outbox import resend, write_message
from balie.parties.models import Party

from .models import AccessGrant, CredentialKind, DoorController, DoorZone, GrantState
from .pins import decrypt_pin, encrypt_pin, hash_pin, new_pin, new_salt, pin_matches

PUSH_SENDER = "room_access.push_grant"
MAIL_SENDER = "room_access.pin_mail"
# Audited fields: never the PIN's cipher, salt or hash.
GRANT_FIELDS = (
    "zone",
    "holder",
    "reference",
    "kind",
    "badge_id",
    "valid_from",
    "valid_until",
    "starts_at",
    "ends_at",
    "state",
)
CONTROLLER_FIELDS = ("name", "base_url", "api_key_variable", "active")
ZONE_FIELDS = ("name", "controller", "zone_id")
PIN_TRIES = 200


# --- controllers and zones ---------------------------------------------------------------------


@transaction.atomic
def create_door_controller(
    *, name: str, base_url: str = "", api_key_variable: str = "", active: bool = True, by: Actor | None
) -> DoorController:
    controller = DoorController(
        name=name, base_url=base_url, api_key_variable=api_key_variable, active=active
    )
    controller.full_clean()
    controller.save()
    record_creation(instance=controller, fields=CONTROLLER_FIELDS, by=by)
    return controller


@transaction.atomic
def update_door_controller(*, controller: DoorController, by: Actor | None, **data: Any) -> DoorController:
    controller = DoorController.objects.select_for_update().get(pk=controller.pk)
    before = snapshot(controller, CONTROLLER_FIELDS)
    for name in CONTROLLER_FIELDS:
        if name in data:
            setattr(controller, name, data[name])
    controller.full_clean()
    controller.save()
    record_change(
        instance=controller,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(controller, CONTROLLER_FIELDS)),
        by=by,
    )
    return controller


@transaction.atomic
def create_door_zone(*, name: str, controller: DoorController, zone_id: str, by: Actor | None) -> DoorZone:
    zone = DoorZone(name=name, controller=controller, zone_id=zone_id)
    zone.full_clean()
    zone.save()
    record_creation(instance=zone, fields=ZONE_FIELDS, by=by)
    return zone


@transaction.atomic
def update_door_zone(*, zone: DoorZone, by: Actor | None, **data: Any) -> DoorZone:
    """Rename a zone or point it at another controller zone. Live grants follow: each is pushed
    to the zone as it is now (and taken away from where it was)."""
    zone = DoorZone.objects.select_for_update().get(pk=zone.pk)
    before = snapshot(zone, ZONE_FIELDS)
    old = (zone.controller_id, zone.zone_id)
    for name in ZONE_FIELDS:
        if name in data:
            setattr(zone, name, data[name])
    zone.full_clean()
    zone.save()
    record_change(
        instance=zone, action=ChangeAction.UPDATE, changes=diff(before, snapshot(zone, ZONE_FIELDS)), by=by
    )
    if old != (zone.controller_id, zone.zone_id):
        old_controller = DoorController.objects.get(pk=old[0])
        for grant in AccessGrant.objects.filter(
            zone=zone, state=GrantState.ACTIVE, ends_at__gt=timezone.now()
        ):
            write_message(
                sender=PUSH_SENDER,
                destination=old_controller.destination,
                payload={"grant": str(grant.uuid), "zone": old[1], "remove": True},
            )
            _push(grant, zone=zone)
    return zone


# --- grants ------------------------------------------------------------------------------------


def margins() -> tuple[dt.timedelta, dt.timedelta]:
    return (
        dt.timedelta(minutes=int(getattr(settings, "BALIE_ACCESS_MARGIN_BEFORE_MINUTES", 15))),
        dt.timedelta(minutes=int(getattr(settings, "BALIE_ACCESS_MARGIN_AFTER_MINUTES", 15))),
    )


def _window(valid_from: dt.datetime, valid_until: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    if timezone.is_naive(valid_from) or timezone.is_naive(valid_until):
        raise ValidationError(_("Een tijdstip zonder tijdzone kan niet."))
    if valid_until <= valid_from:
        raise ValidationError({"valid_until": _("Het einde ligt niet na het begin.")})
    before, after = margins()
    return valid_from - before, valid_until + after


def _pins_in_use(
    zone: DoorZone, starts_at: dt.datetime, ends_at: dt.datetime, *, besides: int | None
) -> list[tuple[str, str]]:
    """The (salt, hash) of the PINs of the zone's active grants whose window overlaps this one:
    a candidate is compared with each hash, so nothing is decrypted (a changed key breaks nothing)."""
    rows = AccessGrant.objects.filter(
        zone=zone,
        kind=CredentialKind.PIN,
        state=GrantState.ACTIVE,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if besides is not None:
        rows = rows.exclude(pk=besides)
    return list(rows.values_list("pin_salt", "pin_hash"))


def _is_taken(pin: str, taken: list[tuple[str, str]]) -> bool:
    return any(pin_matches(pin, salt=salt, expected=expected) for salt, expected in taken)


def _fresh_pin(taken: list[tuple[str, str]]) -> str:
    for _try in range(PIN_TRIES):
        pin = new_pin()
        if not _is_taken(pin, taken):
            return pin
    raise ValidationError(_("Er is geen vrije pincode meer voor deze zone in deze periode."))


def _set_pin(grant: AccessGrant, pin: str) -> None:
    grant.pin_cipher = encrypt_pin(pin)
    grant.pin_salt = new_salt()
    grant.pin_hash = hash_pin(pin, grant.pin_salt)


def _push(grant: AccessGrant, *, zone: DoorZone | None = None) -> OutboxMessage:
    zone = zone or grant.zone
    message = write_message(
        sender=PUSH_SENDER,
        destination=zone.controller.destination,
        payload={"grant": str(grant.uuid), "zone": zone.zone_id, "version": grant.version},
    )
    AccessGrant.objects.filter(pk=grant.pk).update(last_message=message)
    grant.last_message = message
    return message


def _mail_pin(grant: AccessGrant) -> None:
    if grant.kind == CredentialKind.PIN:
        write_message(
            sender=MAIL_SENDER,
            destination=f"access-grant-mail:{grant.uuid}",
            payload={"grant": str(grant.uuid), "version": grant.version},
        )


@transaction.atomic
def issue_grant(
    *,
    zone: DoorZone,
    holder: Party,
    valid_from: dt.datetime,
    valid_until: dt.datetime,
    reference: str,
    by: Actor | None,
    badge_id: str = "",
) -> AccessGrant:
    """Let `holder` open `zone` from valid_from minus the margin to valid_until plus the margin:
    with a badge when `badge_id` is given, else with a new 6-digit PIN, unique among the zone's
    overlapping grants (mailed to the holder). Pushed to the controller after commit."""
    starts_at, ends_at = _window(valid_from, valid_until)
    badge_id = badge_id.strip()
    if not reference.strip():
        raise ValidationError({"reference": _("Een toegangsrecht heeft een referentie nodig.")})
    zone = (
        DoorZone.objects.select_for_update().select_related("controller").get(pk=zone.pk)
    )  # PINs one at a time
    grant = AccessGrant(
        zone=zone,
        holder=holder,
        reference=reference.strip()[:100],
        kind=CredentialKind.BADGE if badge_id else CredentialKind.PIN,
        badge_id=badge_id[:64],
        valid_from=valid_from,
        valid_until=valid_until,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if not badge_id:
        _set_pin(grant, _fresh_pin(_pins_in_use(zone, starts_at, ends_at, besides=None)))
    grant.save()
    record_creation(instance=grant, fields=GRANT_FIELDS, by=by)
    _push(grant)
    _mail_pin(grant)
    return grant


def _locked(grant: AccessGrant) -> AccessGrant:
    DoorZone.objects.select_for_update().filter(pk=grant.zone_id).first()
    return AccessGrant.objects.select_for_update().select_related("zone__controller").get(pk=grant.pk)


@transaction.atomic
def move_grant(
    *, grant: AccessGrant, valid_from: dt.datetime, valid_until: dt.datetime, by: Actor | None
) -> AccessGrant:
    """The booking moved: the grant opens in the new window only. The PIN stays unless another
    grant of the zone uses it in the new window; the holder gets the new window by mail."""
    starts_at, ends_at = _window(valid_from, valid_until)
    grant = _locked(grant)
    if grant.state != GrantState.ACTIVE:
        raise ValidationError(_("Een ingetrokken toegangsrecht kan niet verplaatst worden."))
    before = snapshot(grant, GRANT_FIELDS)
    grant.valid_from, grant.valid_until, grant.starts_at, grant.ends_at = (
        valid_from,
        valid_until,
        starts_at,
        ends_at,
    )
    changes = diff(before, snapshot(grant, GRANT_FIELDS))
    if not changes:
        return grant
    if grant.kind == CredentialKind.PIN:
        taken = _pins_in_use(grant.zone, starts_at, ends_at, besides=grant.pk)
        try:
            current: str | None = decrypt_pin(grant.pin_cipher)
        except ValueError:  # encrypted under a key no longer in use: the holder gets a new one
            current = None
        if current is None or _is_taken(current, taken):
            _set_pin(grant, _fresh_pin(taken))
            changes["pin"] = ["—", _("nieuwe pincode")]
    grant.version += 1
    grant.save()
    record_change(instance=grant, action=ChangeAction.UPDATE, changes=changes, by=by)
    _push(grant)
    _mail_pin(grant)
    return grant


@transaction.atomic
def revoke_grant(*, grant: AccessGrant, by: Actor | None, reason: str) -> AccessGrant:
    """The booking was cancelled: the controller deletes the grant; the door refuses it at once."""
    grant = _locked(grant)
    if grant.state == GrantState.REVOKED:
        raise ValidationError(_("Dit toegangsrecht is al ingetrokken."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden op.")})
    before = snapshot(grant, GRANT_FIELDS)
    grant.state = GrantState.REVOKED
    grant.revoked_at = timezone.now()
    grant.revoke_reason = reason.strip()[:300]
    grant.version += 1
    grant.save()
    record_change(
        instance=grant,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(grant, GRANT_FIELDS)),
        by=by,
        reason=grant.revoke_reason,
    )
    _push(grant)
    return grant


def pin_for_holder(grant: AccessGrant) -> str:
    """The PIN in clear, to show to its holder (portal, e-mail). Never log or store what it returns.
    The caller decides who is the holder; the back-office never shows it."""
    if grant.kind != CredentialKind.PIN:
        raise ValueError("a badge grant has no PIN")
    return decrypt_pin(grant.pin_cipher)


@transaction.atomic
def resend_grant_push(*, grant: AccessGrant, by: Actor) -> AccessGrant:
    """Put the grant's failed push back in line (an employee, after the controller is repaired)."""
    grant = (
        AccessGrant.objects.select_for_update(of=("self",)).select_related("last_message").get(pk=grant.pk)
    )
    message = grant.last_message
    if message is None or message.state != OutboxState.FAILED:
        raise ValidationError(_("Alleen een mislukte doorgave kan opnieuw verstuurd worden."))
    resend(message=message)
    record_change(
        instance=grant,
        action=ChangeAction.UPDATE,
        changes={"push": [OutboxState.FAILED.value, OutboxState.PENDING.value]},
        by=by,
        reason=_("opnieuw doorgegeven aan de controller"),
    )
    return grant


def move_grants_to_survivor(survivor: Party, duplicate: Party) -> int:
    """A party merge (parties.merging): the grants follow the survivor; the controller never knew
    the holder, so nothing is pushed."""
    return AccessGrant.objects.filter(holder=duplicate).update(holder=survivor)


def live_grants_of(controller: DoorController, now: dt.datetime) -> Any:
    return AccessGrant.objects.filter(
        zone__controller=controller, state=GrantState.ACTIVE, ends_at__gt=now
    ).filter(~Q(zone__zone_id=""))
