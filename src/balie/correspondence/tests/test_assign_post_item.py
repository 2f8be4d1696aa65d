"""Routing incoming post: the post room sends an item to a department and handler; a member of
the department takes it, its handler gives it back; a confidential item's scan follows it; anyone
else is refused and nothing changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.correspondence.actions import assign, change_status, register_incoming
from balie.correspondence.models import EventKind, PostItem, PostStatus
from balie.correspondence.queries import get_post_item_for

from .samples import scanned_letter, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(post_room, burgerzaken, sender):
    """A letter the post room first sent to Burgerzaken (a mistake: it is for Omgeving)."""
    return register_incoming(
        by=post_room,
        channel="paper",
        department=burgerzaken,
        subject="Bouwaanvraag",
        party=sender,
        scan=upload("scan.pdf", scanned_letter()),
    )


def _unchanged(item: PostItem) -> None:
    fresh = PostItem.objects.get(pk=item.pk)
    assert (fresh.department_id, fresh.handler_id, fresh.status, fresh.history_count) == (
        item.department_id,
        item.handler_id,
        item.status,
        item.history_count,
    )


def test_the_post_room_routes_an_item_to_a_department_and_handler(item, post_room, omgeving, handler):
    routed = assign(
        item=item, by=post_room, department=omgeving, handler=handler, reason="Hoort bij omgeving"
    )

    assert (routed.department, routed.handler, routed.status) == (omgeving, handler, PostStatus.ASSIGNED)
    assert routed.assigned_at is not None
    event = routed.history.get(kind=EventKind.ASSIGNED)
    assert (event.from_status, event.to_status, event.by, event.reason) == (
        "registered",
        "assigned",
        post_room,
        "Hoort bij omgeving",
    )
    assert event.data == {"department": str(omgeving.uuid), "handler": str(handler.uuid)}


def test_to_a_department_only_it_waits_in_that_queue(item, post_room, omgeving):
    routed = assign(item=item, by=post_room, department=omgeving)

    assert (routed.department, routed.handler, routed.status) == (omgeving, None, PostStatus.REGISTERED)


def test_a_confidential_items_scan_moves_with_it(post_room, burgerzaken, omgeving, sender, outsider, handler):
    item = register_incoming(
        by=post_room,
        channel="paper",
        department=burgerzaken,
        subject="Medisch attest",
        party=sender,
        confidential=True,
        scan=upload("scan.pdf", scanned_letter()),
    )
    assert get_post_item_for(outsider, item.uuid) == item  # Burgerzaken sees it, for now

    assign(item=item, by=post_room, department=omgeving)

    document = item.documents.get().document
    assert (document.department, document.confidential) == (omgeving, True)
    with pytest.raises(Http404):
        get_post_item_for(outsider, item.uuid)
    assert get_post_item_for(handler, item.uuid).pk == item.pk


def test_a_member_of_the_department_takes_an_item_and_gives_it_back(post_room, omgeving, handler, sender):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )

    taken = assign(item=item, by=handler, handler=handler)
    assert (taken.handler, taken.status) == (handler, PostStatus.ASSIGNED)

    given_back = assign(item=taken, by=handler, handler=None, reason="Niet voor mij")
    assert (given_back.handler, given_back.status) == (None, PostStatus.REGISTERED)
    assert [e.to_status for e in given_back.history.filter(kind=EventKind.ASSIGNED).order_by("sequence")] == [
        "assigned",
        "registered",
    ]


def test_a_member_cannot_hand_an_item_to_a_colleague(post_room, omgeving, handler, colleague, sender):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )

    with pytest.raises(ValidationError, match="Alleen de postkamer of een teamverantwoordelijke"):
        assign(item=item, by=handler, handler=colleague)

    _unchanged(item)


def test_a_team_lead_reassigns_an_item_in_treatment(
    post_room, omgeving, handler, colleague, sender, team_lead
):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender, handler=handler
    )
    item = change_status(item=item, status=PostStatus.IN_TREATMENT, by=handler)

    moved = assign(item=item, by=team_lead, handler=colleague, reason="Verlof")

    assert (moved.handler, moved.status) == (colleague, PostStatus.ASSIGNED)


def test_a_handler_from_another_department_is_refused(item, post_room, omgeving, outsider):
    with pytest.raises(ValidationError) as refused:
        assign(item=item, by=post_room, department=omgeving, handler=outsider)

    assert refused.value.message_dict == {"handler": ["Kies een actieve medewerker van de dienst Omgeving."]}
    _unchanged(item)


def test_an_employee_of_another_department_cannot_route(item, omgeving, handler):
    with pytest.raises(ValidationError):
        assign(item=item, by=handler, department=omgeving, handler=handler)

    _unchanged(item)


def test_a_filed_item_is_not_routed(post_room, omgeving, handler, sender):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Reclame", party=sender
    )
    item = change_status(item=item, status=PostStatus.FILED, by=post_room, reason="Reclame")

    with pytest.raises(ValidationError, match="heropen het eerst"):
        assign(item=item, by=post_room, handler=handler)

    _unchanged(item)


def test_a_new_employee_without_the_role_cannot_route(item, omgeving):
    clerk = create_employee(
        username="bediende",
        first_name="Bea",
        last_name="Bediende",
        email="bea.b@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.FRONT_DESK],
        by=None,
    )

    with pytest.raises(ValidationError):
        assign(item=item, by=clerk, department=omgeving)

    _unchanged(item)
