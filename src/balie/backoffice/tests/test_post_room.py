"""The post room: a letter is registered and the page is ready for the next one (the stack's
channel and date kept); errors come back at the fields with nothing registered; the scanner's
files are uploaded (a PDF split in the background, with its progress on the page); the letters of a
batch are completed one after the other; the separator sheet prints. Outsiders get nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.core.worker import run_ready_tasks
from balie.correspondence.actions import register_incoming
from balie.correspondence.models import PostItem, ScanBatch, ScanBatchState
from balie.correspondence.scans import PageKind, classify_pages

# Each test keeps its files under a MEDIA_ROOT of its own (autouse).
from balie.correspondence.tests.conftest import media_root  # noqa: F401
from balie.correspondence.tests.samples import (
    encrypted_pdf,
    letter_pdf,
    scanned,
    scanned_letter,
    separator_pdf,
    tiff_scan,
    upload,
)

from .conftest import client_for, html

ROOM = reverse("backoffice:post_room")


@pytest.fixture
def room(post_room):
    return client_for(post_room)


def _letter(omgeving, sender, **extra):
    return {
        "channel": "paper",
        "received_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "party": str(sender.uuid),
        "subject": "Bezwaar tegen de bouwaanvraag",
        "reference": "MC-3",
        "department": str(omgeving.uuid),
        **extra,
    }


@pytest.mark.django_db
def test_the_post_room_page_starts_at_the_sender_search(room):
    page = html(room.get(ROOM))

    assert "<h1>Postkamer</h1>" in page
    assert re.search(r'<input type="search" id="id_party-zoek" name="party-zoek"[^>]*autofocus', page)
    assert 'href="/post/scheidingsblad.pdf"' in page
    assert "U registreerde nog geen post." in page


@pytest.mark.django_db
def test_a_registered_letter_makes_room_for_the_next_with_the_same_channel_and_date(room, omgeving, sender):
    received = timezone.localdate() - dt.timedelta(days=1)
    scan = upload("scan.pdf", scanned_letter(), "application/pdf")

    response = room.post(ROOM, {**_letter(omgeving, sender, channel="ebox"), "scan": scan})

    item = PostItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{ROOM}?kanaal=ebox&ontvangen={received.isoformat()}"
    assert (item.party, item.department, item.subject, item.reference) == (
        sender,
        omgeving,
        "Bezwaar tegen de bouwaanvraag",
        "MC-3",
    )
    assert item.documents.get().role == "attachment"  # not paper: the file is the message
    page = html(room.get(response["Location"]))
    assert f"{item.number} is geregistreerd voor Omgeving." in page
    assert '<option value="ebox" selected>' in page
    assert f'value="{received.isoformat()}"' in page
    assert f'<a href="/post/{item.uuid}">{item.number}</a>' in page  # the last registered


@pytest.mark.django_db
def test_a_refused_letter_comes_back_with_its_errors_and_nothing_registered(room, omgeving, sender, settings):
    response = room.post(
        ROOM, {**_letter(omgeving, sender, subject=""), "scan": upload("scan.pdf", encrypted_pdf())}
    )

    page = html(response)
    assert response.status_code == 200
    assert "Controleer wat u invulde" in page
    assert "Dit veld is verplicht." in page
    assert PostItem.objects.count() == 0

    response = room.post(ROOM, {**_letter(omgeving, sender), "scan": upload("scan.pdf", encrypted_pdf())})
    assert "Dit PDF-bestand is beveiligd met een wachtwoord;" in html(response)
    assert PostItem.objects.count() == 0
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


@pytest.mark.django_db
def test_enter_in_the_sender_search_searches_instead_of_saving(room, omgeving, sender):
    response = room.post(ROOM, {**_letter(omgeving, sender, party=""), "party-zoek": "Claes"})

    page = html(response)
    assert PostItem.objects.count() == 0
    assert f'value="{sender.uuid}"' in page and "Claes" in page


@pytest.mark.django_db(transaction=True)
def test_the_scanners_files_become_a_batch_and_an_item_to_complete(
    room, post_room, omgeving, sender, handler
):
    stack = scanned([letter_pdf("Marc Claes", "Een"), separator_pdf(), letter_pdf("Els Wouters", "Twee")])
    response = room.post(
        reverse("backoffice:post_scan_upload"),
        {
            "scans-uploads": [
                upload("stapel.pdf", stack),
                upload("brief.tif", tiff_scan()),
                upload("x.pdf", encrypted_pdf()),
            ],
            "scans-department": str(omgeving.uuid),
            "scans-received_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    page = html(room.get(ROOM))
    assert "stapel.pdf wordt gesplitst; volg het hieronder." in page
    assert "x.pdf: Dit PDF-bestand is beveiligd met een wachtwoord" in page
    assert 'hx-trigger="every 2s"' in page  # the batch is queued: the page follows it

    run_ready_tasks()

    batch = ScanBatch.objects.get()
    assert (batch.state, batch.items_registered) == (ScanBatchState.DONE, 2)
    fragment = html(room.get(reverse("backoffice:post_batches")))
    assert "every 2s" not in fragment
    assert "2 brieven" in fragment
    [first, *_rest] = PostItem.objects.filter(needs_details=True).order_by("registered_at", "id")
    assert f'href="/post/{first.uuid}/aanvullen"' in fragment

    # Complete them one after the other: Enter saves and opens the next.
    response = room.post(
        reverse("backoffice:post_complete", args=[first.uuid]),
        {
            "party": str(sender.uuid),
            "subject": "Bouwaanvraag",
            "received_on": timezone.localdate().isoformat(),
            "department": str(omgeving.uuid),
            "handler": str(handler.uuid),
        },
    )
    following = PostItem.objects.filter(needs_details=True).order_by("registered_at", "id").first()
    assert response["Location"] == reverse("backoffice:post_complete", args=[following.uuid])
    first.refresh_from_db()
    assert (first.needs_details, first.subject, first.handler) == (False, "Bouwaanvraag", handler)


@pytest.mark.django_db
def test_the_separator_sheet_is_a_pdf_with_the_marker(room, tmp_path):
    response = room.get(reverse("backoffice:post_separator_sheet"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "blad.pdf"
    path.write_bytes(response.content)
    assert classify_pages(path) == [PageKind.SEPARATOR]


@pytest.mark.django_db
def test_a_letter_handed_over_at_the_counter_is_linked_to_its_contact(room, front_desk, omgeving, sender):
    from balie.contact_moments.actions import register_contact_moment

    moment = register_contact_moment(
        by=front_desk, channel="counter", summary="Brief afgegeven", party=sender
    )
    page = html(room.get(f"{ROOM}?contact={moment.uuid}"))
    assert f'value="{moment.uuid}"' in page and '<option value="counter" selected>' in page

    room.post(ROOM, {**_letter(omgeving, sender, channel="counter"), "contact_moment": str(moment.uuid)})

    item = PostItem.objects.get()
    assert item.contact_moment_ref == moment.uuid
    contact_page = html(client_for(front_desk).get(reverse("backoffice:contact_moment", args=[moment.uuid])))
    assert item.number in contact_page


@pytest.mark.django_db
def test_outsiders_get_no_post_room(citizen, omgeving, sender, post_room):
    item = register_incoming(by=post_room, channel="paper", department=omgeving, needs_details=True)
    outsider = client_for(citizen)
    for url in (
        ROOM,
        reverse("backoffice:post_batches"),
        reverse("backoffice:post_separator_sheet"),
        reverse("backoffice:post_complete", args=[item.uuid]),
        reverse("backoffice:post_register_outgoing"),
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(ROOM, _letter(omgeving, sender)).status_code == 404
    assert PostItem.objects.count() == 1
