"""The record of an outgoing item's dispatch (the channels are adapters of their own)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import User

from ..models import (
    Direction,
    Dispatch,
    DispatchState,
    EventKind,
    PostChannel,
    PostItem,
    PostStatus,
)
from .base import (
    _event,
    _lock,
    _move,
    _require_worker,
)

# --- dispatch (the record; the channels are adapters of their own) -------------------------------

DISPATCH_NEXT: dict[str, set[str]] = {
    DispatchState.QUEUED: {DispatchState.SENT, DispatchState.FAILED},
    DispatchState.SENT: {DispatchState.DELIVERED, DispatchState.BOUNCED},
    DispatchState.DELIVERED: {DispatchState.BOUNCED},
    DispatchState.BOUNCED: set(),
    DispatchState.FAILED: set(),
}
DISPATCH_TIMES: dict[str, str] = {
    DispatchState.SENT: "sent_at",
    DispatchState.DELIVERED: "delivered_at",
    DispatchState.BOUNCED: "bounced_at",
    DispatchState.FAILED: "failed_at",
}


@transaction.atomic
def record_dispatch(
    *, item: PostItem, channel: str, by: User, address: str = "", registered_mail: bool = False
) -> Dispatch:
    """An outgoing item is about to go out over `channel` (to `address`): the dispatch is queued."""
    item = _lock(item)
    _require_worker(item, by)
    if item.direction != Direction.OUTGOING:
        raise ValidationError(_("Alleen uitgaande post wordt verstuurd."))
    if item.status not in (PostStatus.REGISTERED, PostStatus.SENT):  # sent: a copy another way
        raise ValidationError(_("Dit poststuk is geklasseerd; heropen het om het te versturen."))
    if channel not in PostChannel.values or channel == PostChannel.COUNTER:
        raise ValidationError({"channel": _("Kies e-mail, eBox, papier of website.")})
    dispatch = Dispatch.objects.create(
        item=item,
        channel=channel,
        address=address.strip()[:300],
        registered_mail=registered_mail,
        queued_at=timezone.now(),
        created_by=by,
    )
    _event(
        item,
        EventKind.DISPATCH,
        by=by,
        data={"dispatch": str(dispatch.uuid), "state": dispatch.state, "channel": channel},
    )
    return dispatch


@transaction.atomic
def record_dispatch_state(
    *,
    dispatch: Dispatch,
    state: str,
    by: User | None,
    at: dt.datetime | None = None,
    detail: str = "",
    external_id: str = "",
) -> Dispatch:
    """What a channel reports: sent, delivered, bounced, failed. A sent dispatch makes the item
    sent (with its date); a bounce after that brings the item back to registered, so that it can
    go out another way, and says why in its history."""
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if state not in DISPATCH_NEXT.get(dispatch.state, set()):
        raise ValidationError(
            {
                "state": _("Een verzending die %(current)s is, kan niet %(new)s worden.")
                % {"current": dispatch.get_state_display(), "new": DispatchState(state).label}
            }
        )
    at = at or timezone.now()
    old = dispatch.state
    dispatch.state = state
    setattr(dispatch, DISPATCH_TIMES[state], at)
    dispatch.detail = detail.strip()[:500] or dispatch.detail
    dispatch.external_id = external_id.strip()[:200] or dispatch.external_id
    dispatch.save()
    item = _lock(dispatch.item)
    data = {"dispatch": str(dispatch.uuid), "state": state, "channel": dispatch.channel}
    if state == DispatchState.SENT and item.status == PostStatus.REGISTERED:
        item.sent_on = timezone.localtime(at).date()
        item.save(update_fields=["sent_on", "updated_at"])
        _move(item, PostStatus.SENT, by=by, data=data)
    elif (
        state == DispatchState.BOUNCED and item.status == PostStatus.SENT and not _arrived_otherwise(dispatch)
    ):
        reason = detail.strip() or _("Teruggekomen (%(channel)s).") % {
            "channel": dispatch.get_channel_display()
        }
        item.sent_on = None  # it is to be sent again
        item.save(update_fields=["sent_on", "updated_at"])
        _move(item, PostStatus.REGISTERED, by=by, reason=reason, data=data)
    else:
        _event(item, EventKind.DISPATCH, by=by, from_status=old, to_status="", reason=detail, data=data)
    return dispatch


def _arrived_otherwise(dispatch: Dispatch) -> bool:
    """Another dispatch of the same item was sent or delivered (the eBox and a paper copy)."""
    others = Dispatch.objects.filter(item_id=dispatch.item_id).exclude(pk=dispatch.pk)
    return others.filter(state__in=[DispatchState.SENT, DispatchState.DELIVERED]).exists()
