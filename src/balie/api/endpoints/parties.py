"""Parties: register, read, list, update, and add contact points and addresses."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from balie.parties.actions import add_address, add_contact_point, register_party, update_party
from balie.parties.identifiers import clean_enterprise_number, clean_insz
from balie.parties.models import Address, ContactPoint, ContactPointKind, Party
from balie.parties.queries import get_party_for, parties_for, search_parties

from ..access_log import log_persons_shown
from ..auth import caller_of, requires
from ..errors import BadCursor
from ..models import Scope
from ..pagination import decode_cursor, next_link, page_size, split_page
from ..schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from ..schemas.parties import (
    AddressIn,
    AddressOut,
    ContactPointIn,
    ContactPointOut,
    PartyCreateIn,
    PartyFilters,
    PartyOut,
    PartyPage,
    PartyPatchIn,
)

router = Router(tags=["partijen"])
CURSOR_KIND = "parties"


def _clean_filter(field: str, clean: Callable[[str], str], value: str) -> str:
    try:
        return clean(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _filtered(rows: QuerySet[Party], filters: PartyFilters) -> QuerySet[Party]:
    if filters.national_number:
        rows = rows.filter(
            national_number=_clean_filter("national_number", clean_insz, filters.national_number)
        )
    if filters.enterprise_number:
        number = _clean_filter("enterprise_number", clean_enterprise_number, filters.enterprise_number)
        rows = rows.filter(enterprise_number=number)
    if filters.email:
        email = filters.email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": [_("Dit is geen geldig e-mailadres.")]}) from None
        # (party, kind, value) is unique: the join yields each party at most once.
        rows = rows.filter(contact_points__kind=ContactPointKind.EMAIL, contact_points__value=email)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows.prefetch_related(
        Prefetch("contact_points", queryset=ContactPoint.objects.order_by("kind", "-preferred", "id")),
        Prefetch("addresses", queryset=Address.objects.order_by("valid_until", "-valid_from", "-id")),
    )


def _after(cursor: str) -> Q:
    """Rows after the one the cursor names, in (search_name, id) order."""
    # The position only, read by public UUID; nothing of that row reaches the caller.
    position = Party.objects.filter(uuid=decode_cursor(CURSOR_KIND, cursor)).values_list("search_name", "id")
    found = position.first()
    if found is None:
        raise BadCursor
    name, pk = found
    # `search_name >= name` is redundant but lets the index start at the position: without it the
    # OR is only a filter, and a page far down the alphabet walks every name before it first.
    return Q(search_name__gte=name) & (Q(search_name__gt=name) | Q(search_name=name, id__gt=pk))


@router.get(
    "",
    response={200: PartyPage, **LIST_ERRORS},
    summary="Partijen opzoeken",
    description="Partijen op rijksregister- of ondernemingsnummer, e-mailadres, soort of naam, op naam"
    " gesorteerd, per pagina. Een zoekopdracht op naam geeft de beste treffers op één pagina.",
    **requires(Scope.PARTIES_READ),
)
def list_parties(request: HttpRequest, filters: Query[PartyFilters]) -> dict[str, object]:
    user = caller_of(request).user
    size = page_size(filters.page_size)
    rows = _filtered(parties_for(user), filters)
    if filters.name:
        # A name search returns its best matches, ranked, on one page.
        ranked = [party.pk for party in search_parties(user, filters.name, limit=size)]
        by_pk = {party.pk: party for party in rows.filter(pk__in=ranked)}
        page, more = [by_pk[pk] for pk in ranked if pk in by_pk], False
    else:
        if filters.cursor:
            rows = rows.filter(_after(filters.cursor))
        page, more = split_page(list(rows.order_by("search_name", "id")[: size + 1]), size)
    log_persons_shown(request, page)
    return {"results": page, "next": next_link(request, CURSOR_KIND, page[-1] if page else None, more)}


@router.get(
    "/{party_uuid}",
    response={200: PartyOut, **READ_ERRORS},
    summary="Een partij lezen",
    description="Eén partij met contactgegevens en adressen. Een samengevoegde partij antwoordt als de"
    " partij waarin ze opging (vergelijk de uuid).",
    **requires(Scope.PARTIES_READ),
)
def get_party(request: HttpRequest, party_uuid: UUID) -> Party:
    party = get_party_for(caller_of(request).user, party_uuid)
    log_persons_shown(request, [party])
    return party


@router.post(
    "",
    response={200: PartyOut, 201: PartyOut, **WRITE_ERRORS},
    summary="Een partij registreren",
    description="Registreert een persoon, onderneming of vereniging (201). Een gekend rijksregister- of"
    " ondernemingsnummer geeft de bestaande partij ongewijzigd terug (200).",
    **requires(Scope.PARTIES_WRITE),
)
def create_party(request: HttpRequest, payload: PartyCreateIn) -> Status[Party]:
    user = caller_of(request).user
    data = payload.model_dump(exclude_unset=True, exclude_none=True, exclude={"kind"})
    party, created = register_party(kind=payload.kind, by=user, **data)
    party = get_party_for(user, party.uuid)
    log_persons_shown(request, [party])
    return Status(201 if created else 200, party)


@router.patch(
    "/{party_uuid}",
    response={200: PartyOut, **WRITE_ERRORS},
    summary="Een partij wijzigen",
    description="Wijzigt alleen de meegestuurde velden; elke wijziging staat in de historiek.",
    **requires(Scope.PARTIES_WRITE),
)
def update_party_fields(request: HttpRequest, party_uuid: UUID, payload: PartyPatchIn) -> Party:
    user = caller_of(request).user
    party = get_party_for(user, party_uuid)
    update_party(party=party, by=user, **payload.model_dump(exclude_unset=True))
    party = get_party_for(user, party.uuid)
    log_persons_shown(request, [party])
    return party


@router.post(
    "/{party_uuid}/contact-points",
    response={200: ContactPointOut, 201: ContactPointOut, **WRITE_ERRORS},
    summary="Een contactgegeven toevoegen",
    description="Voegt een e-mailadres of telefoonnummer toe (201); hetzelfde nog eens geeft het"
    " bestaande terug (200). Het eerste van een soort is het voorkeursgegeven.",
    **requires(Scope.PARTIES_WRITE),
)
def create_contact_point(
    request: HttpRequest, party_uuid: UUID, payload: ContactPointIn
) -> Status[ContactPoint]:
    user = caller_of(request).user
    party = get_party_for(user, party_uuid)
    known = {point.pk for point in party.contact_points.all()}
    point = add_contact_point(
        party=party, kind=payload.kind, value=payload.value, preferred=payload.preferred, by=user
    )
    return Status(200 if point.pk in known else 201, point)


@router.post(
    "/{party_uuid}/addresses",
    response={200: AddressOut, 201: AddressOut, **WRITE_ERRORS},
    summary="Een adres toevoegen",
    description="Voegt een adres toe (201); het huidige adres van dezelfde soort eindigt de dag ervoor."
    " Hetzelfde adres nog eens geeft het huidige terug (200).",
    **requires(Scope.PARTIES_WRITE),
)
def create_address(request: HttpRequest, party_uuid: UUID, payload: AddressIn) -> Status[Address]:
    user = caller_of(request).user
    party = get_party_for(user, party_uuid)
    known = {address.pk for address in party.addresses.all()}
    address = add_address(party=party, by=user, **payload.model_dump())
    return Status(200 if address.pk in known else 201, address)
