"""An acknowledgement of receipt: an outgoing item to the sender, registered before its letter is
made (so the letter can carry its OUT number), then the rendered letter attached to it. The letter
itself comes from a template (the letters' work); here a PDF stands in for it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.correspondence.actions import attach_letter, register_acknowledgement, register_incoming
from balie.correspondence.models import DocumentRole, EventKind, PostItem, PostItemDocument, ReplyKind
from balie.documents.actions import store_document

from .samples import letter_pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(post_room, omgeving, handler, sender):
    return register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Bouwaanvraag",
        reference="MC-12",
        party=sender,
        handler=handler,
    )


def _letter(by, title="Ontvangstmelding"):
    return store_document(
        file=upload("ontvangstmelding.pdf", letter_pdf("Gemeente Zonnedaal", title)), title=title, by=by
    )


def test_the_acknowledgement_is_an_outgoing_item_to_the_sender_and_gets_its_letter(item, handler, sender):
    acknowledgement = register_acknowledgement(item=item, by=handler)
    document = _letter(handler)

    link = attach_letter(item=acknowledgement, document=document, by=handler)

    assert acknowledgement.direction == "out" and acknowledgement.number.startswith("OUT-")
    assert (acknowledgement.reply_to, acknowledgement.reply_kind) == (item, ReplyKind.ACKNOWLEDGEMENT)
    assert (acknowledgement.party, acknowledgement.reference, acknowledgement.department) == (
        sender,
        "MC-12",
        item.department,
    )
    assert acknowledgement.subject == f"Ontvangstmelding {item.number}: Bouwaanvraag"
    assert (link.role, link.document) == (DocumentRole.LETTER, document)
    acknowledged = item.history.get(kind=EventKind.ACKNOWLEDGED)
    assert acknowledged.data == {
        "acknowledgement": str(acknowledgement.uuid),
        "acknowledgement_number": acknowledgement.number,
    }
    item.refresh_from_db()
    assert item.status == "assigned"  # an acknowledgement is no answer


def test_the_receipt_is_acknowledged_once(item, handler):
    register_acknowledgement(item=item, by=handler)

    with pytest.raises(ValidationError, match="al gemeld"):
        register_acknowledgement(item=item, by=handler)

    assert PostItem.objects.filter(reply_to=item).count() == 1


def test_an_outgoing_item_gets_one_letter(item, handler):
    acknowledgement = register_acknowledgement(item=item, by=handler)
    first = _letter(handler)
    attach_letter(item=acknowledgement, document=first, by=handler)

    assert (
        attach_letter(item=acknowledgement, document=first, by=handler).document == first
    )  # again: the same
    with pytest.raises(ValidationError) as refused:
        attach_letter(item=acknowledgement, document=_letter(handler, "Tweede"), by=handler)

    assert refused.value.message_dict == {
        "document": ["Dit poststuk heeft al een brief; maak een nieuwe versie van die brief."]
    }
    assert PostItemDocument.objects.filter(item=acknowledgement).count() == 1


def test_incoming_post_gets_no_letter(item, handler):
    with pytest.raises(ValidationError, match="Alleen uitgaande post"):
        attach_letter(item=item, document=_letter(handler), by=handler)

    assert PostItemDocument.objects.filter(item=item).count() == 0


def test_a_letter_the_employee_may_not_see_is_refused(item, handler, outsider):
    acknowledgement = register_acknowledgement(item=item, by=handler)
    secret = store_document(
        file=upload("x.pdf", letter_pdf("Burgerzaken", "Intern")),
        title="Intern",
        by=outsider,
        confidential=True,
    )

    with pytest.raises(ValidationError) as refused:
        attach_letter(item=acknowledgement, document=secret, by=handler)

    assert list(refused.value.message_dict) == ["document"]
    assert PostItemDocument.objects.filter(item=acknowledgement).count() == 0


def test_an_item_from_a_batch_is_completed_before_it_is_acknowledged(post_room, omgeving, handler):
    item = register_incoming(by=post_room, channel="paper", department=omgeving, needs_details=True)

    with pytest.raises(ValidationError, match="Vul eerst de afzender"):
        register_acknowledgement(item=item, by=handler)

    assert PostItem.objects.filter(direction="out").count() == 0
