"""A dispatch that cannot go out is refused with a plain message, and nothing changes: no dispatch,
no outbox message, no history line, the item as it was. Every problem is named at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.core.models import OutboxMessage
from balie.correspondence.actions import register_outgoing
from balie.correspondence.dispatch import dispatch_item
from balie.correspondence.models import Dispatch, PostItem, PostStatus
from balie.documents.actions import add_version, create_version, discard_new_files_on_failure, write_file
from balie.parties.actions import register_party
from balie.parties.models import Party

from ..samples import encrypted_pdf, letter_pdf, upload
from .helpers import outgoing_letter

pytestmark = pytest.mark.django_db


def _unchanged(item: PostItem, *, history: int) -> None:
    item.refresh_from_db()
    assert (item.status, item.history_count) == (PostStatus.REGISTERED, history)
    assert Dispatch.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.fixture
def nobody(db) -> Party:
    """A person Balie knows nothing more of than the name."""
    party, _ = register_party(kind="person", by=None, given_name="An", family_name="Peeters")
    return party


def _refused(item, handler, **arguments) -> dict[str, list[str]]:
    history = item.history_count
    with pytest.raises(ValidationError) as refused:
        dispatch_item(item=item, by=handler, **arguments)
    _unchanged(item, history=history)
    return refused.value.message_dict


def test_no_postal_address_for_printed_post(handler, nobody):
    item = outgoing_letter(handler, nobody)

    errors = _refused(item, handler, channel="paper")

    assert errors == {"address": ["Er is geen postadres van An Peeters: vul het adres in."]}


def test_an_address_that_does_not_exist_for_printed_post(handler, nobody):
    item = outgoing_letter(handler, nobody)

    errors = _refused(
        item,
        handler,
        channel="paper",
        postal_address={
            "street": "Kerkstraat",
            "house_number": "1",
            "postcode": "9999",
            "municipality": "Nergens",
        },
    )

    assert list(errors) == ["postcode"]


def test_no_e_mail_address(handler, nobody):
    item = outgoing_letter(handler, nobody)

    errors = _refused(item, handler, channel="email")

    assert errors == {
        "email": ["Er is geen e-mailadres van An Peeters: vul er een in, of verstuur via eBox of op papier."]
    }


def test_an_e_mail_address_that_is_none(handler, citizen_party):
    item = outgoing_letter(handler, citizen_party)

    errors = _refused(item, handler, channel="email", email="marc.claes@")

    assert errors == {"email": ["Dit is geen geldig e-mailadres."]}


def test_no_insz_for_the_ebox(handler, nobody):
    item = outgoing_letter(handler, nobody)

    errors = _refused(item, handler, channel="ebox")

    assert errors["ebox_identifier"][0].startswith(
        "Van An Peeters is geen rijksregisternummer of ondernemingsnummer gekend"
    )


def test_an_invalid_insz_for_the_ebox(handler, nobody):
    item = outgoing_letter(handler, nobody)

    errors = _refused(item, handler, channel="ebox", ebox_identifier="85.07.30-033.29")

    assert errors == {
        "ebox_identifier": ["Dit rijksregister- of BIS-nummer is ongeldig (controlegetal klopt niet)."]
    }


def test_an_invalid_enterprise_number_for_the_ebox(handler):
    item = register_outgoing(
        by=handler,
        channel="ebox",
        subject="Vergunning",
        correspondent_name="Bakkerij Zonder Nummer",
        letter=upload("b.pdf", letter_pdf("Gemeente Zonnedaal", "Vergunning")),
    )

    errors = _refused(item, handler, channel="ebox", ebox_identifier="0431.150.351")

    assert errors == {"ebox_identifier": ["Dit nummer is ongeldig (controlegetal klopt niet)."]}


def test_a_letter_that_is_no_pdf(handler, citizen_party):
    item = outgoing_letter(handler, citizen_party)
    document = item.documents.get(role="letter").document
    add_version(
        document=document,
        file=upload("brief.txt", b"Geachte mevrouw\n\nDit is platte tekst zonder opmaak.\n"),
        by=handler,
    )

    errors = _refused(item, handler, channel="email")

    assert errors == {
        "letter": [f"‘{document.title}’ is geen PDF maar tekst: verzenden kan alleen met PDF-documenten."]
    }


def test_a_letter_with_a_password_and_a_missing_address_are_named_together(handler, nobody):
    item = outgoing_letter(handler, nobody)
    document = item.documents.get(role="letter").document
    # The post register refuses encrypted PDFs at the door; a version stored past it is caught here.
    with discard_new_files_on_failure():
        stored = write_file(upload("brief.pdf", encrypted_pdf()), mime_type="application/pdf")
        create_version(document=document, stored=stored, by=handler)

    errors = _refused(item, handler, channel="paper")

    assert errors == {
        "address": ["Er is geen postadres van An Peeters: vul het adres in."],
        "letter": [f"‘{document.title}’ is met een wachtwoord beveiligd en kan niet verstuurd worden."],
    }


def test_an_item_without_its_letter(handler, citizen_party):
    item = register_outgoing(by=handler, channel="paper", subject="Nog te schrijven", party=citizen_party)

    errors = _refused(item, handler, channel="paper")

    assert errors == {"letter": ["Dit poststuk heeft nog geen brief om te versturen."]}


def test_registered_mail_is_for_paper_only_and_the_channel_must_be_one_of_three(handler, citizen_party):
    item = outgoing_letter(handler, citizen_party)

    assert _refused(item, handler, channel="email", registered_mail=True) == {
        "registered_mail": ["Alleen een brief op papier gaat aangetekend."]
    }
    assert _refused(item, handler, channel="counter") == {"channel": ["Kies e-mail, eBox of papier."]}


def test_someone_of_another_department_cannot_send_it(handler, citizen_party, outsider):
    item = outgoing_letter(handler, citizen_party)

    with pytest.raises(ValidationError, match="Alleen de behandelaar of iemand van de dienst Omgeving"):
        dispatch_item(item=item, channel="email", by=outsider)

    _unchanged(item, history=item.history_count)
