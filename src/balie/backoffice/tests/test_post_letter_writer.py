"""The letter writer on a post item (`post/<uuid>/brief`): a valid POST makes the outgoing item
with its letter and goes to it; a template that does not exist or may not be used, or bad form
data, gives the Dutch message and changes nothing (no item, no document, no number). Outsiders
(a citizen account, another department for a confidential item) get "not found". Only the valid
POSTs convert with LibreOffice (the shared converter, kept running)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from balie.core.models import Counter
from balie.correspondence.actions import register_incoming, register_outgoing
from balie.correspondence.models import Direction, PostItem, PostStatus
from balie.correspondence.tests.samples import scanned_letter, stored_files, upload
from balie.documents.letters.admin import update_template
from balie.documents.models import Document, Letter

from .conftest import client_for, html

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(post_room, omgeving, handler, an):
    return register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Vraag over de parkeerkaart",
        party=an,
        handler=handler,
        confidential=True,
        scan=upload("scan.pdf", scanned_letter()),
    )


def _url(item) -> str:
    return reverse("backoffice:post_letter", args=[item.uuid])


def _snapshot(media_root) -> tuple:
    return (
        list(PostItem.objects.order_by("pk").values_list("pk", "number", "status")),
        list(Document.objects.order_by("pk").values_list("pk", flat=True)),
        list(Counter.objects.order_by("register", "year").values_list("register", "year", "value")),
        Letter.objects.count(),
        stored_files(media_root),
    )


def test_an_answer_letter_makes_the_outgoing_item_and_goes_to_it(item, handler, acknowledgement, an):
    client = client_for(handler)
    response = client.post(
        _url(item),
        {"template": str(acknowledgement.uuid), "kind": "answer", "channel": "email", "subject": ""},
    )

    reply = PostItem.objects.get(direction=Direction.OUTGOING)
    assert response.status_code == 302 and response["Location"] == f"/post/{reply.uuid}"
    item.refresh_from_db()
    assert (item.status, reply.reply_to, reply.channel, reply.confidential) == (
        PostStatus.ANSWERED,
        item,
        "email",
        True,
    )
    assert reply.subject == f"Antwoord op {item.number}"
    letter = Letter.objects.get(pdf_document=reply.documents.get(role="letter").document)
    assert (letter.register_number, letter.party) == (reply.number, an)
    page = html(client.get(response["Location"]))
    assert f"De brief voor {reply.number} is gemaakt." in page


def test_a_letter_for_an_outgoing_item_without_one(handler, omgeving, acknowledgement, an):
    outgoing = register_outgoing(
        by=handler, channel="paper", subject="Uw parkeerkaart", department=omgeving, party=an
    )

    response = client_for(handler).post(_url(outgoing), {"template": str(acknowledgement.uuid)})

    assert response.status_code == 302 and response["Location"] == f"/post/{outgoing.uuid}"
    letter = Letter.objects.get(pdf_document=outgoing.documents.get(role="letter").document)
    assert letter.register_number == outgoing.number
    assert PostItem.objects.filter(direction=Direction.OUTGOING).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"template": str(uuid.uuid4()), "kind": "answer", "channel": "paper"},
            "Kies een sjabloon uit de lijst.",
        ),
        ({"template": "", "kind": "answer", "channel": "paper"}, "Kies een sjabloon."),
        ({"template": "TEMPLATE", "kind": "iets", "channel": "paper"}, "Selecteer een geldige keuze."),
        ({"template": "TEMPLATE", "kind": "answer", "channel": "duif"}, "Selecteer een geldige keuze."),
    ],
    ids=["unknown-template", "no-template", "bad-kind", "bad-channel"],
)
def test_bad_form_data_shows_the_message_and_changes_nothing(
    item,
    handler,
    acknowledgement,
    media_root,
    data,
    message,
):
    data = {key: str(acknowledgement.uuid) if value == "TEMPLATE" else value for key, value in data.items()}
    before = _snapshot(media_root)

    response = client_for(handler).post(_url(item), data)

    assert response.status_code == 200
    assert message in html(response)
    assert _snapshot(media_root) == before


def test_an_inactive_template_is_refused_and_changes_nothing(
    item,
    handler,
    acknowledgement,
    letter_admin,
    media_root,
):
    update_template(template=acknowledgement, active=False, by=letter_admin)
    before = _snapshot(media_root)

    response = client_for(handler).post(
        _url(item), {"template": str(acknowledgement.uuid), "kind": "answer", "channel": "paper"}
    )

    assert response.status_code == 200
    assert "Kies een sjabloon uit de lijst." in html(response)
    assert _snapshot(media_root) == before


def test_a_template_of_another_department_is_refused_and_changes_nothing(
    item,
    handler,
    acknowledgement,
    letter_admin,
    burgerzaken,
    media_root,
):
    update_template(template=acknowledgement, department=burgerzaken, by=letter_admin)
    before = _snapshot(media_root)

    response = client_for(handler).post(
        _url(item), {"template": str(acknowledgement.uuid), "kind": "acknowledgement", "channel": "paper"}
    )

    assert response.status_code == 200
    assert "Kies een sjabloon uit de lijst." in html(response)
    assert _snapshot(media_root) == before


def test_an_outgoing_item_that_already_has_a_letter_gets_no_second_one(
    item,
    handler,
    acknowledgement,
    media_root,
):
    client = client_for(handler)
    client.post(_url(item), {"template": str(acknowledgement.uuid), "kind": "answer", "channel": "paper"})
    reply = PostItem.objects.get(direction=Direction.OUTGOING)
    before = _snapshot(media_root)

    response = client.post(_url(reply), {"template": str(acknowledgement.uuid)})

    assert response.status_code == 200
    letter = Letter.objects.get(pdf_document=reply.documents.get(role="letter").document)
    assert "Dit poststuk heeft al een brief." in html(response)
    assert f'href="/brieven/{letter.uuid}">Brief bekijken of bewerken in Word' in html(response)
    assert _snapshot(media_root) == before


@pytest.mark.parametrize("who", ["outsider", "citizen"])
def test_outsiders_get_not_found_for_the_page_and_the_post(
    request,
    who,
    item,
    acknowledgement,
    media_root,
):
    client = client_for(request.getfixturevalue(who))
    before = _snapshot(media_root)

    page = client.get(_url(item))
    made = client.post(
        _url(item), {"template": str(acknowledgement.uuid), "kind": "answer", "channel": "paper"}
    )

    assert (page.status_code, made.status_code) == (404, 404)
    assert _snapshot(media_root) == before


def test_an_employee_who_does_not_work_the_item_is_sent_back_and_nothing_changes(
    post_room,
    item,
    acknowledgement,
    media_root,
):
    item.confidential = False
    item.save(update_fields=["confidential"])
    client = client_for(post_room)
    before = _snapshot(media_root)

    response = client.post(
        _url(item), {"template": str(acknowledgement.uuid), "kind": "answer", "channel": "paper"}, follow=True
    )

    assert response.redirect_chain == [(f"/post/{item.uuid}", 302)]
    assert "Alleen wie dit poststuk behandelt, schrijft er een brief voor." in html(response)
    assert _snapshot(media_root) == before
