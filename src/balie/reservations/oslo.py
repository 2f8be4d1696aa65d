"""Rooms and bookings as JSON-LD in the OSLO zaalreservatie vocabulary.

The official examples refer to a remote @context that cannot be fetched from every machine; this
export embeds its own, mapping the same `Class.property` terms to the vocabulary's IRIs, so that it
expands offline. Bookings name who booked only for readers who may see them (the back-office)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .models import Booking, BookingStatus, Room, SpaceKind

NS = "https://data.vlaanderen.be/ns/zaalreservatie#"
STATUS = "https://data.vlaanderen.be/id/concept/Infrastructuurreservatiestatustype/"
ROOM_TYPE = "https://data.vlaanderen.be/id/concept/Binnenruimtetype/"
FACILITY_TYPE = "https://data.vlaanderen.be/id/concept/Faciliteittype/"
ACTIVITY_TYPE = "https://data.vlaanderen.be/id/concept/Activiteittype/"

# Balie's statuses mapped on the OSLO status concepts.
OSLO_STATUS = {
    BookingStatus.REQUEST: "Aanvraag",
    BookingStatus.OPTION: "inBehandeling",
    BookingStatus.APPROVED: "inBehandeling",
    BookingStatus.CONFIRMED: "bevestigd",
    BookingStatus.COMPLETED: "bevestigd",
    BookingStatus.NO_SHOW: "bevestigd",
    BookingStatus.CANCELLED: "geannuleerd",
    BookingStatus.EXPIRED: "geannuleerd",
}

_TERMS = [
    "Infrastructuurreservatiedienst",
    "Infrastructuur",
    "Binnenruimte",
    "Buitenruimte",
    "Infrastructuurreservatie",
    "Periode",
    "Moment",
    "Activiteit",
    "Faciliteit",
    "Capaciteit",
    "Openingsurenspecificatie",
    "Infrastructuur.naam",
    "Infrastructuur.type",
    "Infrastructuur.capaciteit",
    "Infrastructuur.openingsuren",
    "Infrastructuur.faciliteit",
    "Infrastructuur.annuleringsvoorwaarden",
    "Infrastructuur.toegang",
    "Infrastructuurreservatie.infrastructuur",
    "Infrastructuurreservatie.status",
    "Infrastructuurreservatie.periode",
    "Infrastructuurreservatie.gereserveerdVoor",
    "Infrastructuurreservatie.gereserveerdDoor",
    "Infrastructuurreservatiedienst.infrastructuur",
    "Infrastructuurreservatiedienst.produceert",
    "Periode.van",
    "Periode.tot",
    "Moment.inXSDDatumTijd",
    "Activiteit.type",
    "Activiteit.beschrijving",
    "Faciliteit.beschrijving",
    "Faciliteit.type",
    "Capaciteit.waarde",
    "Capaciteit.eenheid",
    "Openingsurenspecificatie.dag",
    "Openingsurenspecificatie.open",
    "Openingsurenspecificatie.gesloten",
]
_LINKS = {
    "Infrastructuur.type",
    "Infrastructuurreservatie.infrastructuur",
    "Infrastructuurreservatie.status",
    "Infrastructuurreservatiedienst.infrastructuur",
    "Infrastructuurreservatiedienst.produceert",
    "Activiteit.type",
    "Faciliteit.type",
    "Capaciteit.eenheid",
}

CONTEXT: dict[str, Any] = {
    "zr": NS,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "XSD.DateTime": "http://www.w3.org/2001/XMLSchema#dateTime",
    "XSD.Time": "http://www.w3.org/2001/XMLSchema#time",
    "PubliekeOrganisatie.voorkeursnaam": "http://www.w3.org/2004/02/skos/core#prefLabel",
    "naam": "http://xmlns.com/foaf/0.1/name",
    **{term: ({"@id": NS + term, "@type": "@id"} if term in _LINKS else NS + term) for term in _TERMS},
}

WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def _moment(value: dt.datetime) -> dict[str, Any]:
    return {
        "@type": "Moment",
        "Moment.inXSDDatumTijd": {
            "@value": value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "@type": "XSD.DateTime",
        },
    }


def room_node(room: Room, base: str) -> dict[str, Any]:
    capacities = [row.capacity for row in room.layouts.all()]
    node: dict[str, Any] = {
        "@id": f"{base}/zalen/{room.uuid}",
        "@type": "Binnenruimte" if room.kind == SpaceKind.INDOOR else "Buitenruimte",
        "Infrastructuur.naam": {"@value": room.name, "@language": "nl"},
        "Infrastructuur.type": ROOM_TYPE + room.oslo_type,
        "Infrastructuur.faciliteit": [
            {
                "@type": "Faciliteit",
                "Faciliteit.beschrijving": facility.name,
                **({"Faciliteit.type": FACILITY_TYPE + facility.oslo_type} if facility.oslo_type else {}),
            }
            for facility in room.facilities.all()
        ],
        "Infrastructuur.openingsuren": [
            {
                "@type": "Openingsurenspecificatie",
                "Openingsurenspecificatie.dag": WEEKDAYS[hours.weekday],
                "Openingsurenspecificatie.open": {"@value": f"{hours.opens:%H:%M:%S}", "@type": "XSD.Time"},
                "Openingsurenspecificatie.gesloten": {
                    "@value": f"{hours.closes:%H:%M:%S}",
                    "@type": "XSD.Time",
                },
            }
            for hours in room.opening_hours.all()
        ],
    }
    if capacities:
        node["Infrastructuur.capaciteit"] = {
            "@type": "Capaciteit",
            "Capaciteit.waarde": {"@value": max(capacities)},
            "Capaciteit.eenheid": "http://example.org/aantalPersonen",
        }
    if room.cancellation_terms:
        node["Infrastructuur.annuleringsvoorwaarden"] = {"@value": room.cancellation_terms, "@language": "nl"}
    if room.accessibility:
        node["Infrastructuur.toegang"] = {"@value": room.accessibility, "@language": "nl"}
    return node


def booking_node(booking: Booking, base: str, *, with_booker: bool) -> dict[str, Any]:
    activity: dict[str, Any] = {"@type": "Activiteit", "Activiteit.beschrijving": booking.purpose}
    if booking.activity_type:
        activity["Activiteit.type"] = ACTIVITY_TYPE + booking.activity_type
    node: dict[str, Any] = {
        "@id": f"{base}/boekingen/{booking.uuid}",
        "@type": "Infrastructuurreservatie",
        "Infrastructuurreservatie.infrastructuur": [f"{base}/zalen/{booking.room.uuid}"],
        "Infrastructuurreservatie.status": [STATUS + OSLO_STATUS[BookingStatus(booking.status)]],
        "Infrastructuurreservatie.periode": {
            "@type": "Periode",
            "Periode.van": _moment(booking.starts_at),
            "Periode.tot": _moment(booking.ends_at),
        },
        "Infrastructuurreservatie.gereserveerdVoor": activity,
    }
    if with_booker:
        party = booking.party
        node["Infrastructuurreservatie.gereserveerdDoor"] = {
            "@type": "Persoon" if party.kind == "person" else "Organisatie",
            "naam": str(party),
        }
    return node


def document(
    *, rooms: Iterable[Room], bookings: Iterable[Booking], base: str, organisation: str, with_booker: bool
) -> dict[str, Any]:
    room_nodes = [room_node(room, base) for room in rooms]
    booking_nodes = [booking_node(b, base, with_booker=with_booker) for b in bookings]
    service = {
        "@id": f"{base}/zaalreservatie",
        "@type": "Infrastructuurreservatiedienst",
        "PubliekeOrganisatie.voorkeursnaam": {"@value": organisation, "@language": "nl"},
        "Infrastructuurreservatiedienst.infrastructuur": [n["@id"] for n in room_nodes],
        "Infrastructuurreservatiedienst.produceert": [n["@id"] for n in booking_nodes],
    }
    return {"@context": CONTEXT, "@graph": [service, *room_nodes, *booking_nodes]}
