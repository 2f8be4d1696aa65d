"""The letter of an outgoing item registered earlier, from a template: merged with the item's
number, party and date, stored under the item's department, linked as its letter. An incoming
item, an item that already has a letter or one already sent: refused, nothing changes."""

# ruff: noqa: F811 (the fixtures imported from letter_fixtures are named as arguments)
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.correspondence.actions import register_outgoing, write_letter
from balie.correspondence.models import EventKind, PostStatus
from balie.documents.letters.admin import update_template
from balie.documents.tests.letter_samples import pdf_text, stored

from .letter_fixtures import acknowledgement, an, blocks, everything, incoming, letter_admin  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def outgoing(handler, omgeving, an):
    return register_outgoing(
        by=handler,
        channel="paper",
        subject="Uw parkeerkaart",
        department=omgeving,
        party=an,
        confidential=True,
    )


def test_the_letter_of_an_outgoing_item_carries_its_number(outgoing, handler, acknowledgement, an):
    letter = write_letter(item=outgoing, template=acknowledgement, by=handler)

    assert (letter.register_number, letter.party) == (outgoing.number, an)
    assert outgoing.documents.get(role="letter").document == letter.pdf_document
    assert (letter.pdf_document.department, letter.pdf_document.confidential) == (outgoing.department, True)
    assert outgoing.number in pdf_text(stored(letter.pdf_document.current_version))
    event = outgoing.history.filter(kind=EventKind.DOCUMENT).get()
    assert (event.by, event.data["role"]) == (handler, "letter")
    outgoing.refresh_from_db()
    assert outgoing.status == PostStatus.REGISTERED


def test_a_second_letter_is_refused_and_changes_nothing(outgoing, handler, acknowledgement, media_root):
    write_letter(item=outgoing, template=acknowledgement, by=handler)
    before = everything(media_root)

    with pytest.raises(ValidationError) as caught:
        write_letter(item=outgoing, template=acknowledgement, by=handler)

    assert caught.value.messages == ["Dit poststuk heeft al een brief; maak een nieuwe versie van die brief."]
    assert everything(media_root) == before


def test_an_incoming_item_gets_no_letter_of_its_own(incoming, handler, acknowledgement, media_root):
    before = everything(media_root)

    with pytest.raises(ValidationError) as caught:
        write_letter(item=incoming, template=acknowledgement, by=handler)

    assert caught.value.messages == ["Alleen uitgaande post krijgt een brief."]
    assert everything(media_root) == before


def test_an_inactive_template_is_refused_and_changes_nothing(
    outgoing,
    handler,
    acknowledgement,
    letter_admin,
    media_root,
):
    update_template(template=acknowledgement, active=False, by=letter_admin)
    before = everything(media_root)

    with pytest.raises(ValidationError) as caught:
        write_letter(item=outgoing, template=acknowledgement, by=handler)

    assert caught.value.messages == ["Dit sjabloon bestaat niet, is niet actief of is niet voor uw dienst."]
    assert everything(media_root) == before
