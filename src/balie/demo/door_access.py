"""Demo door access: the demo door controller, a door zone per municipal building (the room
reservation links its buildings to them by name), and a few grants for associations, so that
Toegang shows something before the first booking. Made through the room_access actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from balie.accounts.models import User
from balie.parties.models import Party
from balie.room_access.actions import create_door_controller, create_door_zone, issue_grant
from balie.room_access.models import DoorZone

CONTROLLER_NAME = "Demo-toegangscontroller"
# (zone name = the building's name, the controller's zone id)
ZONES = [
    ("Gemeentehuis Zonnedaal", "gemeentehuis"),
    ("Ontmoetingscentrum De Linde", "oc-de-linde"),
    ("Sporthal Zonneberg", "sporthal-zonneberg"),
    ("Parochiezaal Sint-Jozef", "parochiezaal-sint-jozef"),
    ("Bibliotheek Zonnedaal", "bibliotheek"),
    ("Gemeenschapscentrum De Kring", "kring-hoofdingang"),  # reservations' demo buildings: by name
]


def build_door_access(
    *, admin: User, room_manager: User, associations: list[Party], now: dt.datetime
) -> list[DoorZone]:
    controller = create_door_controller(name=CONTROLLER_NAME, by=admin)  # no address: the demo controller
    zones = [create_door_zone(name=name, controller=controller, zone_id=key, by=admin) for name, key in ZONES]
    evening = timezone.localtime(now).replace(hour=19, minute=30, second=0, microsecond=0)
    for day, (zone, association) in enumerate(zip(zones[1:4], associations[:3], strict=False), start=1):
        start = evening + dt.timedelta(days=day)
        issue_grant(
            zone=zone,
            holder=association,
            valid_from=start,
            valid_until=start + dt.timedelta(hours=3),
            reference=f"demo:{association.uuid}",
            by=room_manager,
        )
    return zones
