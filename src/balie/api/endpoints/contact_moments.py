"""Contact moments: register (optionally handed off), read, list, update."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from balie.contact_moments.actions import register_contact_moment, update_contact_moment
from balie.contact_moments.models import ContactMoment
from balie.contact_moments.queries import get_contact_moment_for, list_contact_moments_for

from ..access_log import log_persons_shown
from ..auth import caller_of, requires
from ..errors import BadCursor, field_errors
from ..lookups import Lookup
from ..models import Scope
from ..pagination import decode_cursor, next_link, page_size, split_page
from ..schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from ..schemas.contact_moments import (
    ContactMomentCreateIn,
    ContactMomentDetailOut,
    ContactMomentFilters,
    ContactMomentPage,
    ContactMomentPatchIn,
)

router = Router(tags=["contactmomenten"])
CURSOR_KIND = "contact_moments"
# The hand-off's own fields, as register_contact_moment names them in its errors.
HANDOFF_FIELDS = {"department", "team", "assignee", "description", "due_date"}


def _position(cursor: str) -> tuple[dt.datetime, int]:
    """The (registered_at, id) of the row the cursor names: a position, never shown to the caller."""
    found = (
        ContactMoment.objects.filter(uuid=decode_cursor(CURSOR_KIND, cursor))
        .values_list("registered_at", "id")
        .first()
    )
    if found is None:
        raise BadCursor
    return found


@router.get(
    "",
    response={200: ContactMomentPage, **LIST_ERRORS},
    summary="Contactmomenten oplijsten",
    description="Contactmomenten, nieuwste eerst, per pagina. Vertrouwelijke contacten van een andere"
    " dienst staan er niet bij.",
    **requires(Scope.CONTACT_MOMENTS_READ),
)
def list_contact_moments(request: HttpRequest, filters: Query[ContactMomentFilters]) -> dict[str, object]:
    user = caller_of(request).user
    lookup = Lookup(user)
    party = lookup.party("party", filters.party)
    topic = lookup.topic("topic", filters.topic, active_only=False)
    lookup.raise_errors()
    size = page_size(filters.page_size)
    rows = list_contact_moments_for(
        user,
        party=party,
        channel=filters.channel,
        topic=topic,
        since=filters.since,
        until=filters.until,
        before=_position(filters.cursor) if filters.cursor else None,
        limit=size + 1,
    )
    page, more = split_page(rows, size)
    log_persons_shown(request, [moment.party for moment in page])
    return {"results": page, "next": next_link(request, CURSOR_KIND, page[-1] if page else None, more)}


@router.get(
    "/{contact_moment_uuid}",
    response={200: ContactMomentDetailOut, **READ_ERRORS},
    summary="Een contactmoment lezen",
    description="Eén contactmoment met zijn interne taken. Een vertrouwelijk contact van een andere"
    " dienst geeft 404.",
    **requires(Scope.CONTACT_MOMENTS_READ),
)
def get_contact_moment(request: HttpRequest, contact_moment_uuid: UUID) -> ContactMoment:
    moment = get_contact_moment_for(caller_of(request).user, contact_moment_uuid)
    log_persons_shown(request, [moment.party])
    return moment


@router.post(
    "",
    response={201: ContactMomentDetailOut, **WRITE_ERRORS},
    summary="Een contactmoment registreren",
    description="Registreert een contact in de dienst van wie het registreert. Met `handoff` wordt het"
    " in dezelfde transactie doorgegeven als interne taak: alles of niets.",
    **requires(Scope.CONTACT_MOMENTS_WRITE),
)
def create_contact_moment(request: HttpRequest, payload: ContactMomentCreateIn) -> Status[ContactMoment]:
    user = caller_of(request).user
    lookup = Lookup(user)
    party = lookup.party("party", payload.party)
    topic = lookup.topic("topic", payload.topic)
    handoff = None
    if payload.handoff is not None:
        handoff = {
            "department": lookup.department("handoff.department", payload.handoff.department),
            "team": lookup.team("handoff.team", payload.handoff.team),
            "assignee": lookup.employee("handoff.assignee", payload.handoff.assignee),
            "description": payload.handoff.description,
            "due_date": payload.handoff.due_date,
        }
    lookup.raise_errors()
    try:
        moment = register_contact_moment(
            by=user,
            channel=payload.channel,
            summary=payload.summary,
            direction=payload.direction,
            party=party,
            topic=topic,
            duration_seconds=payload.duration_seconds,
            confidential=payload.confidential,
            registered_at=payload.registered_at,
            handoff=handoff,
        )
    except ValidationError as error:
        errors = field_errors(error)
        if handoff is not None:
            errors = {(f"handoff.{k}" if k in HANDOFF_FIELDS else k): v for k, v in errors.items()}
        raise ValidationError(errors) from None
    moment = get_contact_moment_for(user, moment.uuid)
    log_persons_shown(request, [moment.party])
    return Status(201, moment)


@router.patch(
    "/{contact_moment_uuid}",
    response={200: ContactMomentDetailOut, **WRITE_ERRORS},
    summary="Een contactmoment wijzigen",
    description="Wijzigt alleen de meegestuurde velden; elke wijziging staat in de historiek.",
    **requires(Scope.CONTACT_MOMENTS_WRITE),
)
def update_contact_moment_fields(
    request: HttpRequest, contact_moment_uuid: UUID, payload: ContactMomentPatchIn
) -> ContactMoment:
    user = caller_of(request).user
    moment = get_contact_moment_for(user, contact_moment_uuid)
    data = payload.model_dump(exclude_unset=True)
    lookup = Lookup(user)
    if "party" in data:
        data["party"] = lookup.party("party", data["party"])
    if "topic" in data:
        data["topic"] = lookup.topic("topic", data["topic"])
    lookup.raise_errors()
    update_contact_moment(contact_moment=moment, by=user, **data)
    moment = get_contact_moment_for(user, moment.uuid)
    log_persons_shown(request, [moment.party])
    return moment
