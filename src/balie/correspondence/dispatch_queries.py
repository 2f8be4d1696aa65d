"""Reads about dispatches and print batches, with the post register's visibility rule: a dispatch
is seen by whoever may see its item (queries.post_items_for); a print batch by its department.
What one may not see is "not found"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from balie.accounts.permissions import acts_for_municipality
from balie.parties.identifiers import format_enterprise_number, format_insz
from balie.parties.models import PartyKind

from .adapters.ebox import ebox_enabled
from .dispatch import addressee_name, party_address, party_ebox_identifier, party_email
from .models import Dispatch, DispatchState, PostChannel, PostItem
from .models_dispatch import DispatchDocument, DispatchPreference, PrintBatch
from .queries import post_items_for


def dispatches_of_item(item: PostItem) -> list[Dispatch]:
    """The item's dispatches, newest first, with their envelope, documents and outbox message
    (the caller found the item as the user may see it)."""
    return list(
        Dispatch.objects.filter(item=item)
        .select_related(
            "envelope__print_batch", "envelope__eml_document", "envelope__outbox_message", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "sent_documents",
                queryset=DispatchDocument.objects.select_related("version__document").order_by("position"),
            )
        )
        .order_by("-queued_at", "-id")
    )


def get_dispatch_for(user: Any, item: PostItem, dispatch_id: uuid.UUID | str) -> Dispatch:
    """One dispatch of an item `user` may see, or 404."""
    if not post_items_for(user).filter(pk=item.pk).exists():
        raise Http404
    try:
        return Dispatch.objects.select_related("item__department", "envelope").get(
            item=item, uuid=dispatch_id
        )
    except (Dispatch.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def dispatch_for_message_id(message_id: str) -> Dispatch | None:
    """The e-mail dispatch that sent the mail with this Message-ID (for the mailboxes app, which
    matches a bounce by it): `<…>` or without the angle brackets."""
    value = message_id.strip()
    if not value:
        return None
    if not value.startswith("<"):
        value = f"<{value}>"
    return (
        Dispatch.objects.select_related("item", "envelope")
        .filter(channel=PostChannel.EMAIL, envelope__message_id=value)
        .first()
    )


def bounced_dispatches(item: PostItem) -> list[Dispatch]:
    """The item's dispatches that came back, newest first (shown plainly on the item)."""
    return list(
        Dispatch.objects.filter(item=item, state=DispatchState.BOUNCED)
        .select_related("envelope")
        .order_by("-bounced_at", "-id")
    )


# --- the proposal on the dispatch form ----------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    channel: str
    reason: str
    email: str
    ebox_identifier: str  # formatted
    address: dict[str, str]
    preference: str  # the customer's recorded preference, or ""


def propose_channel(item: PostItem) -> Proposal:
    """How the item should go out, from what is known of its addressee: the eBox when they prefer
    it and have an INSZ (or enterprise number), e-mail when they have an address, else paper."""
    party = item.party
    email = party_email(party)
    number = party_ebox_identifier(party)
    current = party_address(party)
    address = current.as_snapshot() if current is not None else {}
    preferred = DispatchPreference.objects.filter(party=party).first() if party is not None else None
    preference = preferred.channel if preferred is not None else ""
    shown = ""
    if number:
        shown = (
            format_insz(number)
            if party is not None and party.kind == PartyKind.PERSON
            else format_enterprise_number(number)
        )
    name = addressee_name(item)

    def proposal(channel: str, reason: str) -> Proposal:
        return Proposal(channel, reason, email, shown, address, preference)

    if preference == PostChannel.EBOX and number and ebox_enabled():
        return proposal(PostChannel.EBOX, _("%(name)s verkiest de eBox.") % {"name": name})
    if preference == PostChannel.PAPER and address:
        return proposal(PostChannel.PAPER, _("%(name)s verkiest post op papier.") % {"name": name})
    if email:
        if preference == PostChannel.EMAIL:
            return proposal(PostChannel.EMAIL, _("%(name)s verkiest e-mail.") % {"name": name})
        return proposal(PostChannel.EMAIL, _("Van %(name)s is een e-mailadres gekend.") % {"name": name})
    return proposal(PostChannel.PAPER, _("Van %(name)s is geen e-mailadres gekend.") % {"name": name})


# --- print batches ------------------------------------------------------------------------------


def waiting_for_print(user: Any) -> QuerySet[Dispatch]:
    """Paper dispatches waiting for a print batch, of items `user` may see, oldest first."""
    if not acts_for_municipality(user):
        return Dispatch.objects.none()
    return (
        Dispatch.objects.filter(
            channel=PostChannel.PAPER,
            state=DispatchState.QUEUED,
            envelope__print_batch__isnull=True,
            item__in=post_items_for(user),
        )
        .select_related("item__party", "envelope")
        .order_by("queued_at", "id")
    )


def print_batches_for(user: Any) -> QuerySet[PrintBatch]:
    if not acts_for_municipality(user) or user.department_id is None:
        return PrintBatch.objects.none()
    return PrintBatch.objects.filter(department_id=user.department_id)


def get_print_batch_for(user: Any, batch_id: uuid.UUID | str) -> PrintBatch:
    try:
        return print_batches_for(user).select_related("made_by", "posted_by", "department").get(uuid=batch_id)
    except (PrintBatch.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def recent_print_batches(user: Any, *, limit: int = 20) -> list[PrintBatch]:
    return list(
        print_batches_for(user).select_related("made_by", "posted_by").order_by("-created_at", "-id")[:limit]
    )


def batch_dispatches(batch: PrintBatch) -> list[Dispatch]:
    return list(
        Dispatch.objects.filter(envelope__print_batch=batch)
        .select_related("item__party", "envelope")
        .order_by("envelope__batch_position")
    )
