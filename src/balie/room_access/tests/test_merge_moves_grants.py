"""When two parties are merged, the duplicate's grants follow the survivor."""

from __future__ import annotations

from balie.parties.actions import merge_parties, register_party
from balie.room_access.actions import issue_grant, pin_for_holder

from .conftest import tomorrow_at


def test_the_grants_of_a_merged_duplicate_move_to_the_survivor(zone, holder, room_manager):
    duplicate, _created = register_party(kind="association", by=None, name="De Planken (toneel)")
    grant = issue_grant(
        zone=zone,
        holder=duplicate,
        valid_from=tomorrow_at(19),
        valid_until=tomorrow_at(22),
        reference="b:m",
        by=None,
    )
    pin = pin_for_holder(grant)

    merge_parties(survivor=holder, duplicate=duplicate, by=room_manager, reason="dubbel")

    grant.refresh_from_db()
    assert grant.holder == holder and pin_for_holder(grant) == pin
