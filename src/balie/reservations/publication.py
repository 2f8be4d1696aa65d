"""One-way publication of confirmed bookings to the room's Microsoft 365 mailbox, through the
outbox (written in the booking's transaction, delivered with retries). The subject carries the
booking number and the activity, never the booker's name."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from balie.core.models import OutboxMessage
from balie.core.outbox import write_message

from .adapters.graph import GraphClient
from .models import Booking

SENDER = "reservations.graph"


def _enabled(booking: Booking) -> bool:
    return bool(booking.room.graph_mailbox) and settings.BALIE_ROOM_GRAPH_URL != "off"


def publish(booking: Booking) -> None:
    if _enabled(booking):
        write_message(
            sender=SENDER,
            destination=f"graph:{booking.room.graph_mailbox}",
            payload={"action": "publish", "booking": str(booking.uuid)},
        )


def withdraw(booking: Booking) -> None:
    if _enabled(booking):
        write_message(
            sender=SENDER,
            destination=f"graph:{booking.room.graph_mailbox}",
            payload={"action": "withdraw", "booking": str(booking.uuid)},
        )


def client() -> GraphClient:
    return GraphClient(
        base_url=settings.BALIE_ROOM_GRAPH_URL,
        token_url=settings.BALIE_ROOM_GRAPH_TOKEN_URL,
        client_id=settings.BALIE_ROOM_GRAPH_CLIENT_ID,
        client_secret=settings.BALIE_ROOM_GRAPH_CLIENT_SECRET,
    )


def deliver(message: OutboxMessage) -> None:
    """The outbox sender: reads the booking as it is now, so a late retry sends the latest times."""
    booking = Booking.objects.select_related("room").get(uuid=message.payload["booking"])
    graph = client()
    mailbox = booking.room.graph_mailbox
    subject = f"{booking.number} – {booking.purpose}"
    if message.payload["action"] == "withdraw" or booking.status not in ("confirmed",):
        if booking.graph_event_id:
            graph.delete_event(mailbox=mailbox, event_id=booking.graph_event_id)
            Booking.objects.filter(pk=booking.pk).update(graph_event_id="")
        return
    starts: dt.datetime = booking.starts_at
    if booking.graph_event_id:
        graph.update_event(
            mailbox=mailbox,
            event_id=booking.graph_event_id,
            subject=subject,
            starts_at=starts,
            ends_at=booking.ends_at,
        )
    else:
        event_id = graph.create_event(
            mailbox=mailbox,
            transaction_id=str(booking.uuid),
            subject=subject,
            starts_at=starts,
            ends_at=booking.ends_at,
        )
        Booking.objects.filter(pk=booking.pk).update(graph_event_id=event_id)
