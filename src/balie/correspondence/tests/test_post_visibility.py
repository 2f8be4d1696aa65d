"""Who sees which post: everyone who acts for the municipality sees items that are not
confidential; a confidential item only its department. Anyone else gets "not found"."""

from __future__ import annotations

import pytest
from django.http import Http404

from balie.correspondence.actions import register_incoming
from balie.correspondence.queries import get_post_item_for, post_items_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(post_room, omgeving, sender):
    open_item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Open", party=sender
    )
    secret = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Geheim", party=sender, confidential=True
    )
    return open_item, secret


def test_a_confidential_item_is_seen_by_its_department_only(items, handler, outsider, post_room):
    open_item, secret = items

    assert set(post_items_for(handler)) == {open_item, secret}
    assert set(post_items_for(outsider)) == {open_item}
    assert set(post_items_for(post_room)) == {open_item}  # it registered the letter, then sent it on
    with pytest.raises(Http404):
        get_post_item_for(outsider, secret.uuid)
    with pytest.raises(Http404):
        get_post_item_for(outsider, secret.number)


def test_an_item_is_found_by_its_register_number(items, handler):
    open_item, _secret = items

    assert get_post_item_for(handler, open_item.number.lower()) == open_item


def test_citizens_and_anonymous_users_see_nothing(items, citizen):
    from django.contrib.auth.models import AnonymousUser

    open_item, _secret = items
    assert list(post_items_for(citizen)) == []
    assert list(post_items_for(AnonymousUser())) == []
    with pytest.raises(Http404):
        get_post_item_for(citizen, open_item.uuid)


def test_a_malformed_id_is_not_found(handler):
    with pytest.raises(Http404):
        get_post_item_for(handler, "geen-id")
