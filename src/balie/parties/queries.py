"""Reads of parties. Only employees see parties; every function takes the user who asks."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from balie.accounts.permissions import acts_for_municipality
from balie.core.text import normalize

from .identifiers import clean_enterprise_number, clean_insz, clean_phone, compact_digits
from .models import (
    Address,
    ContactPoint,
    ContactPointKind,
    EstablishmentUnit,
    Party,
    PartyKind,
    Representation,
)

SEARCH_LIMIT = 25


def live_parties() -> QuerySet[Party]:
    return Party.objects.filter(merged_into__isnull=True)


def parties_for(user: Any) -> QuerySet[Party]:
    """The parties `user` may see: all live ones for an employee (or an API application's system
    account), none for anyone else."""
    if not acts_for_municipality(user):
        return Party.objects.none()
    return live_parties()


def get_party_for(user: Any, party_uuid: uuid.UUID | str) -> Party:
    """One party with its details, or Http404. A merged party resolves to its survivor.

    Details are read for what the kind can have (see actions): a person has no establishment
    units and no representatives, and represents organisations; an organisation the other way round.
    """
    party = _resolve(user, party_uuid)
    links = Representation.objects.all()
    none = Representation.objects.none()  # an empty prefetch, without a query
    is_person = party.kind == PartyKind.PERSON
    prefetch_related_objects(
        [party],
        Prefetch("contact_points", queryset=ContactPoint.objects.order_by("kind", "-preferred", "id")),
        Prefetch("addresses", queryset=Address.objects.order_by("valid_until", "-valid_from", "-id")),
        Prefetch(
            "establishment_units",
            queryset=EstablishmentUnit.objects.none() if is_person else EstablishmentUnit.objects.all(),
        ),
        Prefetch("represents", queryset=links.select_related("represented") if is_person else none),
        Prefetch("representatives", queryset=none if is_person else links.select_related("representative")),
    )
    return party


def get_party_ref_for(user: Any, party_uuid: uuid.UUID | str) -> Party:
    """A party to link something to (a contact, a filter), or Http404: as get_party_for, but with
    only the current addresses read (a new contact keeps a copy of the one it used)."""
    party = _resolve(user, party_uuid)
    prefetch_related_objects(
        [party], Prefetch("addresses", queryset=Address.objects.filter(valid_until__isnull=True))
    )
    return party


def _resolve(user: Any, party_uuid: uuid.UUID | str) -> Party:
    """The live party a UUID names, following merges to the survivor; Http404 for anything else."""
    if not acts_for_municipality(user):
        raise Http404
    try:
        party = Party.objects.get(uuid=party_uuid)
    except (Party.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    seen = {party.pk}
    # merge_parties prevents cycles; `seen` guards against one all the same
    while party.merged_into_id is not None and party.merged_into_id not in seen:
        seen.add(party.merged_into_id)
        party = Party.objects.get(pk=party.merged_into_id)
    return party


_PHONE_LIKE = re.compile(r"^\+?[\d\s./()-]{8,}$")


def search_parties(user: Any, query: str, *, limit: int = SEARCH_LIMIT) -> list[Party]:
    """Find parties by name, national number, enterprise number, e-mail, phone or address.

    The form of the query decides where to look, so each search hits one index.
    """
    rows = parties_for(user)
    query = query.strip()
    if not query or not acts_for_municipality(user):
        return []
    digits = compact_digits(query)
    only_number = bool(digits) and not re.search(r"[A-Za-z]", query.upper().removeprefix("BE"))
    if "@" in query:
        return list(
            rows.filter(
                contact_points__kind=ContactPointKind.EMAIL,
                contact_points__value=query.lower(),
            ).distinct()[:limit]
        )
    if only_number:
        # A number can be read several ways (0470… is a mobile, 0403… an enterprise number):
        # look each reading up on its own unique index and combine.
        found: dict[int, Party] = {}
        for condition in _number_readings(query, digits):
            for party in rows.filter(condition).distinct()[:limit]:
                found.setdefault(party.pk, party)
        return sorted(found.values(), key=lambda p: (p.search_name, p.pk))[:limit]
    text = normalize(query)
    if not text:
        return []
    if re.search(r"\d", text):
        # An address said the usual way ("kerkstraat 12") is a prefix of search_text: found on the
        # btree at once and shown first; the tokens in any order (trigram index) fill up the rest.
        current = Address.objects.filter(valid_until__isnull=True).values_list("party_id", flat=True)
        party_ids = list(current.filter(search_text__startswith=text)[:limit])
        if len(party_ids) < limit:
            party_ids += current.filter(_all_tokens("search_text", text)).exclude(party_id__in=party_ids)[
                : limit - len(party_ids)
            ]
        return list(rows.filter(pk__in=party_ids).order_by("search_name", "id"))
    # Names: family name first ("peeters jan") is the common way to say it at the counter.
    starts = list(rows.filter(search_name__startswith=text).order_by("search_name", "id")[:limit])
    if len(starts) >= limit:
        return starts
    more = (
        rows.filter(_all_tokens("search_name", text))
        .exclude(pk__in=[p.pk for p in starts])
        .order_by("search_name", "id")[: limit - len(starts)]
    )
    return starts + list(more)


def _number_readings(query: str, digits: str) -> list[Q]:
    readings: list[Q] = []
    international = query.lstrip().startswith(("+", "00"))
    if len(digits) == 11 and not international:
        with contextlib.suppress(ValidationError):
            readings.append(Q(national_number=clean_insz(query)))
    if len(digits) in (9, 10) and not international:
        try:
            readings.append(Q(enterprise_number=clean_enterprise_number(query)))
        except ValidationError:
            readings.append(Q(establishment_units__number=digits))
    if _PHONE_LIKE.match(query):
        try:
            phone = clean_phone(query)
        except ValidationError:
            pass
        else:
            readings.append(
                Q(
                    contact_points__kind__in=[ContactPointKind.PHONE, ContactPointKind.MOBILE],
                    contact_points__value=phone,
                )
            )
    return readings


def _all_tokens(field: str, text: str) -> Q:
    condition = Q()
    for token in text.split()[:6]:
        condition &= Q(**{f"{field}__contains": token})
    return condition


def find_similar_persons(
    *,
    family_name: str,
    given_name: str,
    birth_date: dt.date | None = None,
    postcode: str = "",
    street: str = "",
    exclude: Party | None = None,
) -> list[Party]:
    """Persons that may be the one being registered: the same name with the same birth date or the
    same current address. Shown as a suggestion; the employee decides."""
    name = normalize(f"{family_name} {given_name}")
    if not name:
        return []
    same_name = live_parties().filter(search_name=name)
    if exclude is not None:
        same_name = same_name.exclude(pk=exclude.pk)
    condition = Q()
    if birth_date:
        condition |= Q(birth_date=birth_date)
    if postcode and street:
        condition |= Q(
            addresses__postcode=postcode,
            addresses__search_text__startswith=normalize(street),
            addresses__valid_until__isnull=True,
        )
    if not condition:
        return []
    return list(same_name.filter(condition).distinct()[:5])


def find_similar_organisations(*, name: str, exclude: Party | None = None) -> list[Party]:
    text = normalize(name)
    if not text:
        return []
    rows = live_parties().exclude(kind="person").filter(search_name=text)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows[:5])
