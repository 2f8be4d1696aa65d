"""The post room's "Printbatches" page: the letters waiting to be printed, making the day's batch,
its page with the registered letters apart, the PDF to print (the letters' persons in the access
log) and confirming it went to the post. Other departments and outsiders: not found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.correspondence.dispatch import dispatch_item
from balie.correspondence.models import DispatchState, PostStatus
from balie.correspondence.models_dispatch import PrintBatch, PrintBatchState
from balie.correspondence.tests.dispatch.helpers import outgoing_letter

from ..conftest import client_for, html

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(handler, citizen_party, company):
    first = outgoing_letter(handler, citizen_party, subject="Beslissing")
    second = outgoing_letter(handler, company, subject="Aanmaning")
    dispatch_item(item=first, channel="paper", by=handler)
    dispatch_item(item=second, channel="paper", by=handler, registered_mail=True)
    return first, second


def test_the_page_lists_what_waits_and_makes_the_batch(waiting, post_room):
    first, second = waiting
    client = client_for(post_room)

    page = html(client.get(reverse("backoffice:print_batches")))
    assert "2 brieven, waarvan 1 aangetekend." in page
    assert first.number in page and "Kerkstraat 12 bus 3, 2645 Zonnedaal" in page
    assert 'aria-current="page">Printbatches</a>' in page

    response = client.post(reverse("backoffice:print_batches"))

    batch = PrintBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/post/printbatches/{batch.uuid}"
    page = html(client.get(response["Location"]))
    assert f"Printbatch {batch.number} is klaar om te printen." in page
    assert "Brieven</span><strong>2</strong>" in page and "Vellen</span><strong>2</strong>" in page
    assert "Aangetekend (1)" in page and "Gewone post (1)" in page
    assert page.index("Aangetekend (1)") < page.index(second.number) < page.index("Gewone post (1)")
    assert "Bevestigen: op de post" in page


def test_nothing_waiting_says_so(post_room):
    client = client_for(post_room)

    assert "Er wachten geen brieven op papier." in html(client.get(reverse("backoffice:print_batches")))
    client.post(reverse("backoffice:print_batches"))
    page = html(client.get(reverse("backoffice:print_batches")))
    assert "Er wachten geen brieven op papier om te printen." in page
    assert PrintBatch.objects.count() == 0


def test_the_pdf_downloads_and_names_its_persons_in_the_access_log(waiting, post_room, citizen_party):
    client = client_for(post_room)
    client.post(reverse("backoffice:print_batches"))
    batch = PrintBatch.objects.get()

    response = client.get(reverse("backoffice:print_batch_pdf", args=[batch.uuid]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{batch.number}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
    assert PersonalDataAccess.objects.filter(
        subject_uuid=citizen_party.uuid, location=f"/post/printbatches/{batch.uuid}/pdf"
    ).exists()


def test_confirming_sends_the_letters(waiting, post_room):
    first, second = waiting
    client = client_for(post_room)
    client.post(reverse("backoffice:print_batches"))
    batch = PrintBatch.objects.get()

    response = client.post(reverse("backoffice:print_batch_confirm", args=[batch.uuid]))

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == PrintBatchState.POSTED
    for item in (first, second):
        item.refresh_from_db()
        assert (item.status, item.dispatches.get().state) == (PostStatus.SENT, DispatchState.SENT)
    page = html(client.get(response["Location"]))
    assert f"Printbatch {batch.number} is op de post: de 2 brieven zijn verstuurd." in page
    assert "Bevestigen: op de post" not in page


def test_another_department_and_outsiders_get_nothing(waiting, post_room, outsider, citizen):
    client_for(post_room).post(reverse("backoffice:print_batches"))
    batch = PrintBatch.objects.get()

    for name in ("print_batch", "print_batch_pdf"):
        assert client_for(outsider).get(reverse(f"backoffice:{name}", args=[batch.uuid])).status_code == 404
    assert (
        client_for(outsider).post(reverse("backoffice:print_batch_confirm", args=[batch.uuid])).status_code
        == 404
    )
    assert client_for(citizen).get(reverse("backoffice:print_batches")).status_code == 404
    batch.refresh_from_db()
    assert batch.state == PrintBatchState.MADE
