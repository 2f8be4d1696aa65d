"""The acknowledgement of receipt as a letter from a template: the outgoing item (to the sender,
with its OUT number), the letter carrying that number, the incoming item's history; all or
nothing. A second acknowledgement, another department's template or someone who does not work the
item: refused before any number is taken."""

# ruff: noqa: F811 (the fixtures imported from letter_fixtures are named as arguments)
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.correspondence.actions import acknowledge_with_letter
from balie.correspondence.models import Direction, EventKind, PostItem, PostStatus, ReplyKind
from balie.documents.letters.admin import update_template
from balie.documents.models import Letter

from .letter_fixtures import acknowledgement, an, blocks, everything, incoming, letter_admin  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_acknowledgement_letter_is_made_with_its_outgoing_item(incoming, handler, acknowledgement, an):
    ack = acknowledge_with_letter(item=incoming, template=acknowledgement, by=handler, channel="email")

    assert (ack.direction, ack.reply_to, ack.reply_kind, ack.channel, ack.party) == (
        Direction.OUTGOING,
        incoming,
        ReplyKind.ACKNOWLEDGEMENT,
        "email",
        an,
    )
    assert ack.number.startswith("OUT-") and ack.status == PostStatus.REGISTERED
    assert ack.subject == f"Ontvangstmelding {incoming.number}: Vraag over de parkeerkaart"
    letter = Letter.objects.get(pdf_document=ack.documents.get(role="letter").document)
    assert (letter.register_number, letter.party, letter.template_version) == (
        ack.number,
        an,
        acknowledgement.current_version,
    )
    assert (letter.pdf_document.department, letter.pdf_document.confidential) == (ack.department, False)
    incoming.refresh_from_db()
    # Acknowledging is not answering: the incoming item stays where it was.
    assert incoming.status == PostStatus.ASSIGNED
    event = incoming.history.get(kind=EventKind.ACKNOWLEDGED)
    assert (event.by, event.data["acknowledgement_number"]) == (handler, ack.number)


def test_a_second_acknowledgement_is_refused_and_changes_nothing(
    incoming,
    handler,
    acknowledgement,
    media_root,
):
    acknowledge_with_letter(item=incoming, template=acknowledgement, by=handler)
    before = everything(media_root)

    with pytest.raises(ValidationError) as caught:
        acknowledge_with_letter(item=incoming, template=acknowledgement, by=handler)

    assert caught.value.messages == ["De ontvangst van dit poststuk is al gemeld."]
    assert everything(media_root) == before


def test_a_template_of_another_department_is_refused_before_any_number(
    incoming,
    handler,
    acknowledgement,
    letter_admin,
    burgerzaken,
    media_root,
):
    update_template(template=acknowledgement, department=burgerzaken, by=letter_admin)
    before = everything(media_root)

    with pytest.raises(ValidationError) as caught:
        acknowledge_with_letter(item=incoming, template=acknowledgement, by=handler)

    assert caught.value.messages == ["Dit sjabloon bestaat niet, is niet actief of is niet voor uw dienst."]
    assert everything(media_root) == before


def test_someone_who_does_not_work_the_item_is_refused(
    incoming,
    outsider,
    acknowledgement,
    media_root,
):
    before = everything(media_root)

    with pytest.raises(ValidationError):
        acknowledge_with_letter(item=incoming, template=acknowledgement, by=outsider)

    assert everything(media_root) == before
    assert not PostItem.objects.filter(direction=Direction.OUTGOING).exists()
