"""The page of one post item: its facts, documents (downloaded through the documents' own view),
history, links; and what can be done to it: assign, change the status, answer, acknowledge, link to
a case, correct the details, add a document. The item shows on the customer's 360° view and on
the case's timeline. A confidential item of another department and outsiders: not found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.cases.actions import register_case
from balie.correspondence.actions import register_incoming
from balie.correspondence.models import PostItem, PostStatus

# Each test keeps its files under a MEDIA_ROOT of its own (autouse).
from balie.correspondence.tests.conftest import media_root  # noqa: F401
from balie.correspondence.tests.samples import letter_pdf, scanned_letter, upload

from .conftest import client_for, html


@pytest.fixture
def item(post_room, omgeving, handler, sender):
    return register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Bezwaar tegen de bouwaanvraag",
        party=sender,
        handler=handler,
        scan=upload("scan.pdf", scanned_letter()),
    )


def _url(item, name="post_item"):
    return reverse(f"backoffice:{name}", args=[item.uuid])


@pytest.mark.django_db
def test_the_item_page_shows_facts_scan_and_history(item, handler, sender):
    page = html(client_for(handler).get(_url(item)))

    assert item.number in page and "Bezwaar tegen de bouwaanvraag" in page
    assert f'href="/klanten/{sender.uuid}"' in page
    document = item.documents.get().document
    assert f'href="/documenten/{document.uuid}/versies/1"' in page
    assert "Geregistreerd" in page and "Status gewijzigd: geregistreerd → toegewezen" in page
    assert PersonalDataAccess.objects.filter(subject_uuid=sender.uuid).exists()


@pytest.mark.django_db
def test_the_scan_downloads_through_the_documents_view_and_is_a_read_of_the_sender(item, handler, sender):
    document = item.documents.get().document
    url = reverse("backoffice:document_download", args=[document.uuid, 1])

    response = client_for(handler).get(url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert PersonalDataAccess.objects.filter(subject_uuid=sender.uuid, location=url).count() == 1


@pytest.mark.django_db
def test_the_handler_starts_and_answers_with_a_letter(item, handler):
    client = client_for(handler)

    client.post(_url(item, "post_set_status"), {"status-status": "in_treatment"})
    response = client.post(
        _url(item, "post_register_answer"),
        {
            "antwoord-subject": "Antwoord op uw bezwaar",
            "antwoord-channel": "paper",
            "antwoord-letter": upload("antwoord.pdf", letter_pdf("Gemeente Zonnedaal", "Antwoord")),
        },
    )

    item.refresh_from_db()
    reply = PostItem.objects.get(reply_to=item)
    assert item.status == PostStatus.ANSWERED
    assert response["Location"] == _url(reply)
    page = html(client.get(_url(item)))
    assert reply.number in page


@pytest.mark.django_db
def test_a_refused_status_change_shows_the_reason_at_the_form(item, handler):
    response = client_for(handler).post(_url(item, "post_set_status"), {"status-status": "filed"})

    page = html(response)
    assert "Geef een reden op." in page and 'id="actie-status" open' in page
    item.refresh_from_db()
    assert item.status == PostStatus.ASSIGNED


@pytest.mark.django_db
def test_the_post_room_assigns_to_another_handler(item, post_room, colleague, omgeving):
    response = client_for(post_room).post(
        _url(item, "post_assign"),
        {
            "toewijzen-department": str(omgeving.uuid),
            "toewijzen-handler": str(colleague.uuid),
            "toewijzen-reason": "",
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.handler == colleague


@pytest.mark.django_db
def test_linking_a_case_puts_the_item_on_the_case_timeline(item, handler, permit_type):
    case = register_case(
        case_type=permit_type, by=handler, subject="Verbouwing", attributes={"soort": "bouwen"}
    )
    client = client_for(handler)

    client.post(_url(item, "post_link_case"), {"zaak-number": case.number})
    refused = client.post(_url(item, "post_link_case"), {"zaak-number": "C1999-000001"})

    assert "Er is geen zaak met dit nummer." in html(refused)
    item.refresh_from_db()
    assert item.case == case
    case_page = html(client.get(reverse("backoffice:case", args=[case.uuid])))
    assert f'<a href="/post/{item.uuid}">{item.number} · papier</a>' in case_page


@pytest.mark.django_db
def test_the_item_is_on_the_customers_360_view(item, handler, sender):
    client = client_for(handler)

    page = html(client.get(reverse("backoffice:party", args=[sender.uuid])))
    post_only = html(client.get(reverse("backoffice:party", args=[sender.uuid]), {"soort": "post"}))

    assert f'href="/post/{item.uuid}"' in page
    assert f'href="/post/{item.uuid}"' in post_only and "timeline__entry--post" in post_only


@pytest.mark.django_db
def test_an_acknowledgement_is_registered_from_the_page(item, handler):
    response = client_for(handler).post(_url(item, "post_acknowledge"))

    acknowledgement = PostItem.objects.get(reply_to=item)
    assert response["Location"] == _url(acknowledgement) + "#documenten"
    assert acknowledgement.reply_kind == "acknowledgement"


@pytest.mark.django_db
def test_details_are_corrected(item, handler):
    response = client_for(handler).post(
        _url(item, "post_details"),
        {
            "gegevens-correspondent_name": "",
            "gegevens-subject": "Bezwaar (aangevuld)",
            "gegevens-party": str(item.party.uuid),
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.subject == "Bezwaar (aangevuld)"


@pytest.mark.django_db
def test_a_confidential_item_of_another_department_is_not_found(post_room, omgeving, sender, outsider):
    secret = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Geheim", party=sender, confidential=True
    )
    client = client_for(outsider)

    assert client.get(_url(secret)).status_code == 404
    assert client.post(_url(secret, "post_take")).status_code == 404
    assert (
        client.post(
            _url(secret, "post_set_status"), {"status-status": "filed", "status-reason": "x"}
        ).status_code
        == 404
    )
    secret.refresh_from_db()
    assert secret.status == PostStatus.REGISTERED


@pytest.mark.django_db
def test_an_employee_of_another_department_sees_no_actions_and_cannot_act(item, outsider):
    client = client_for(outsider)

    page = html(client.get(_url(item)))
    response = client.post(_url(item, "post_set_status"), {"status-status": "in_treatment"})

    assert 'id="acties"' not in page
    assert response.status_code == 302
    assert "Alleen de behandelaar of iemand van de dienst Omgeving" in html(client.get(_url(item)))
    item.refresh_from_db()
    assert item.status == PostStatus.ASSIGNED


@pytest.mark.django_db
def test_outsiders_get_no_item(item, citizen):
    client = client_for(citizen)

    for name in ("post_item", "post_take", "post_acknowledge"):
        response = client.get(_url(item, name)) if name == "post_item" else client.post(_url(item, name))
        assert response.status_code == 404, name
    assert PostItem.objects.count() == 1
