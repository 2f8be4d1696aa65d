"""The "Verzenden" page of an outgoing item: the channel proposed from what is known of the
addressee, the address each channel needs, a refusal shown at its field with nothing changed; the
item page's dispatch card with the states, a failed dispatch resent, a bounce shown plainly and a
returned letter recorded. Outsiders and other departments: not found or refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.correspondence.dispatch import dispatch_item, record_bounce
from balie.correspondence.models import Dispatch, DispatchState, PostStatus
from balie.correspondence.tests.dispatch.helpers import deliver, outgoing_letter
from balie.parties.actions import register_party

from ..conftest import client_for, field_error, html

pytestmark = pytest.mark.django_db


def _url(item, name="post_dispatch", *args):
    return reverse(f"backoffice:{name}", args=[item.uuid, *args])


def test_the_page_proposes_e_mail_and_shows_what_goes_along(letter, handler, citizen_party):
    response = client_for(handler).get(_url(letter))

    page = html(response)
    assert response.status_code == 200
    assert f"{letter.number} verzenden" in page
    assert "Voorstel: <strong>E-mail</strong>. Van Marc Claes is een e-mailadres gekend." in page
    assert 'type="radio" name="channel" value="email"' in page
    assert '<input type="radio" name="channel" value="email" id="id_channel_1" required checked>' in page
    assert 'value="marc.claes@example.be"' in page and 'value="85.07.30-033.28"' in page
    assert 'value="Kerkstraat"' in page
    assert "Beslissing omgevingsvergunning" in page  # the letter, under "Wat gaat er mee"
    assert PersonalDataAccess.objects.filter(subject_uuid=citizen_party.uuid).exists()


def test_sending_by_e_mail_goes_back_to_the_item_with_the_dispatch(letter, handler, smtp_inbox):
    client = client_for(handler)

    response = client.post(_url(letter), {"channel": "email", "email": "marc.claes@example.be"})

    assert response.status_code == 302 and response["Location"].endswith(f"/post/{letter.uuid}#verzending")
    dispatch = Dispatch.objects.get(item=letter)
    assert (dispatch.channel, dispatch.state) == ("email", DispatchState.QUEUED)
    deliver()
    page = html(client.get(reverse("backoffice:post_item", args=[letter.uuid])))
    assert "Het poststuk gaat uit via e-mail naar marc.claes@example.be." in page
    assert "verstuurd" in page and f"&lt;dispatch.{dispatch.uuid}@zonnedaal.be&gt;" in page
    assert "de verstuurde e-mail (.eml)" in page
    assert len(smtp_inbox.messages) == 1


def test_paper_with_a_typed_address_and_registered_mail(handler):
    party, _ = register_party(kind="person", by=None, given_name="An", family_name="Peeters")
    item = outgoing_letter(handler, party)

    response = client_for(handler).post(
        _url(item),
        {
            "channel": "paper",
            "street": "Molenstraat",
            "house_number": "7",
            "postcode": "2645",
            "municipality": "Zonnedaal",
            "country": "BE",
            "registered_mail": "on",
            "remember_preference": "on",
        },
    )

    assert response.status_code == 302
    dispatch = Dispatch.objects.get(item=item)
    assert (dispatch.channel, dispatch.address, dispatch.registered_mail) == (
        "paper",
        "Molenstraat 7, 2645 Zonnedaal",
        True,
    )
    assert dispatch.envelope.addressee == "An Peeters"


def test_an_invalid_insz_is_shown_at_its_field_and_nothing_is_sent(letter, handler):
    response = client_for(handler).post(
        _url(letter), {"channel": "ebox", "ebox_identifier": "85.07.30-033.29"}
    )

    assert response.status_code == 200
    assert field_error(response, "ebox_identifier") == (
        "Dit rijksregister- of BIS-nummer is ongeldig (controlegetal klopt niet)."
    )
    assert Dispatch.objects.count() == 0


def test_a_missing_address_is_shown_at_the_street(handler):
    party, _ = register_party(kind="person", by=None, given_name="An", family_name="Peeters")
    item = outgoing_letter(handler, party)

    response = client_for(handler).post(_url(item), {"channel": "paper", "country": "BE"})

    assert response.status_code == 200
    assert field_error(response, "street") == "Er is geen postadres van An Peeters: vul het adres in."
    assert Dispatch.objects.count() == 0


def test_a_failed_dispatch_is_resent_from_the_item_page(letter, handler, smtp_inbox):
    smtp_inbox.refuse.add("marc.claes@example.be")
    failed = dispatch_item(item=letter, channel="email", by=handler)
    deliver()
    client = client_for(handler)
    page = html(client.get(reverse("backoffice:post_item", args=[letter.uuid])))
    assert "De mailserver weigerde het adres marc.claes@example.be: 550" in page
    assert "Opnieuw versturen" in page

    smtp_inbox.refuse.clear()
    response = client.post(_url(letter, "post_dispatch_resend", failed.uuid))

    assert response.status_code == 302
    again = Dispatch.objects.exclude(pk=failed.pk).get()
    assert again.envelope.resend_of == failed
    deliver()
    assert len(smtp_inbox.messages) == 1


def test_a_bounce_is_shown_plainly_on_the_item_page(letter, handler, smtp_inbox):
    dispatch = dispatch_item(item=letter, channel="email", by=handler)
    deliver()
    record_bounce(dispatch=dispatch, reason="550 5.1.1 Mailbox unknown")

    page = html(client_for(handler).get(reverse("backoffice:post_item", args=[letter.uuid])))

    assert 'class="message message--error dispatch-bounce" role="alert"' in page
    assert "De verzending via e-mail naar marc.claes@example.be kwam terug." in page
    assert "Reden: 550 5.1.1 Mailbox unknown" in page
    assert f'<a class="button" href="/post/{letter.uuid}/verzenden">Nog eens verzenden</a>' in page


def test_the_post_room_records_a_letter_that_came_back(letter, handler, post_room):
    from balie.correspondence.print_batches import confirm_posted, make_print_batch

    dispatch = dispatch_item(item=letter, channel="paper", by=handler)
    confirm_posted(batch=make_print_batch(by=post_room), by=post_room)

    response = client_for(post_room).post(
        _url(letter, "post_dispatch_bounce", dispatch.uuid), {f"terug-{dispatch.uuid}-reason": "Verhuisd"}
    )

    assert response.status_code == 302
    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert (dispatch.state, dispatch.detail, letter.status) == (
        DispatchState.BOUNCED,
        "Verhuisd",
        PostStatus.REGISTERED,
    )


def test_outsiders_get_nothing(letter, handler, outsider, citizen, front_desk):
    secret = outgoing_letter(
        handler, None, subject="Vertrouwelijk", confidential=True, correspondent_name="X"
    )

    assert client_for(outsider).get(_url(secret)).status_code == 404
    assert client_for(outsider).post(_url(secret), {"channel": "paper"}).status_code == 404
    # another department sees the ordinary item but does not send it
    assert client_for(front_desk).get(_url(letter)).status_code == 404
    assert client_for(citizen).get(_url(letter)).status_code == 404
    anonymous = client_for(handler)
    anonymous.logout()
    assert anonymous.get(_url(letter)).status_code == 302
    assert Dispatch.objects.count() == 0


def test_incoming_post_has_no_dispatch_page(handler, post_room, omgeving, sender):
    from balie.correspondence.actions import register_incoming

    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )

    assert client_for(handler).get(_url(item)).status_code == 404
