# ruff: noqa: F811 (the fixtures imported from letter_fixtures are named as arguments)
"""A signed paper copy of one of our letters comes back through the scanner: its QR code
(BALIE:OUT-…) names the outgoing item, so registering the scan attaches it to that item as its
signed copy, with a line in its history, and takes no IN number. A code of an item that does not
exist or that the post room may not see: an ordinary new incoming letter."""

from __future__ import annotations

import pytest

from balie.core.models import Counter
from balie.correspondence.actions import acknowledge_with_letter, register_incoming, returned_letter_of
from balie.correspondence.models import Direction, DocumentRole, EventKind, PostItem
from balie.documents.conversion import get_converter
from balie.documents.letters.qr import stamp_qr
from balie.documents.tests.letter_samples import stored, word

from .letter_fixtures import acknowledgement, an, blocks, everything, incoming, letter_admin  # noqa: F401
from .samples import scanned, upload

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def sent(incoming, handler, acknowledgement):
    """An outgoing item with its letter from a template (the QR code printed on it)."""
    return acknowledge_with_letter(item=incoming, template=acknowledgement, by=handler)


def _scan_of(item: PostItem) -> bytes:
    """The letter printed, signed and scanned: image-only pages, as the scanner gives them."""
    pdf = stored(item.documents.get(role=DocumentRole.LETTER).document.current_version)
    return scanned([pdf], dpi=200)


def _register(by, department, scan: bytes) -> PostItem:
    return register_incoming(
        by=by,
        channel="paper",
        department=department,
        subject="Teruggekomen brief",
        correspondent_name="Onbekend",
        scan=upload("scan.pdf", scan),
    )


def test_the_scanned_back_letter_becomes_the_signed_copy_of_its_outgoing_item(sent, post_room, omgeving):
    scan = _scan_of(sent)
    counters = list(Counter.objects.values_list("register", "value"))

    returned = _register(post_room, omgeving, scan)

    assert (returned, returned.direction) == (sent, Direction.OUTGOING)
    # No new item and no IN number.
    assert PostItem.objects.filter(direction=Direction.INCOMING).count() == 1
    assert list(Counter.objects.values_list("register", "value")) == counters
    link = sent.documents.get(role=DocumentRole.SIGNED_COPY)
    assert (link.added_by, link.document.title) == (post_room, f"Ondertekend exemplaar {sent.number}")
    assert (link.document.department, link.document.confidential) == (sent.department, sent.confidential)
    assert stored(link.document.current_version) == scan
    event = sent.history.filter(kind=EventKind.DOCUMENT).first()
    assert (event.by, event.data["role"], event.detail) == (post_room, "signed_copy", "ondertekend exemplaar")


def test_the_code_is_read_from_the_scan(sent, post_room):
    assert returned_letter_of(upload("scan.pdf", _scan_of(sent)), post_room) == sent


def test_a_copy_the_post_room_may_not_see_is_registered_as_new_post(sent, post_room, omgeving):
    PostItem.objects.filter(pk=sent.pk).update(confidential=True)
    scan = _scan_of(sent)

    item = _register(post_room, omgeving, scan)

    assert item.direction == Direction.INCOMING and item.number.startswith("IN-")
    assert not sent.documents.filter(role=DocumentRole.SIGNED_COPY).exists()


def test_a_code_of_an_item_that_does_not_exist_is_new_post(post_room, omgeving, media_root):
    letter = stamp_qr(get_converter().convert(word(["Geachte,", "Handtekening:"])), "BALIE:OUT-2020-000999")
    before = everything(media_root)

    item = _register(post_room, omgeving, scanned([letter], dpi=200))

    assert item.direction == Direction.INCOMING and item.number.startswith("IN-")
    assert len(everything(media_root)[0]) == len(before[0]) + 1
