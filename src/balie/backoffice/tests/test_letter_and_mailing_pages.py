"""A letter's page (download, edit in Word, upload again) and a mass mailing's progress page."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.urls import reverse

from balie.audit.models import PersonalDataAccess
from balie.core.worker import run_ready_tasks
from balie.documents.letters.actions import make_letter
from balie.documents.letters.mailing import start_mailing
from balie.documents.models import MailingItem, MailingItemState
from balie.documents.tests.letter_samples import docx_upload, pdf_text, stored
from balie.documents.tests.samples import PDF, upload
from balie.parties.actions import register_party

from .conftest import client_for, html


@pytest.fixture
def letter(acknowledgement, an, handler):
    return make_letter(
        template=acknowledgement, by=handler, party=an, item={"register_number": "OUT-2026-000300"}
    )


def page_of(letter) -> str:
    return reverse("backoffice:letter", args=[letter.uuid])


def test_the_letter_page_offers_both_files_and_logs_who_saw_the_addressee(letter, handler, an):
    page = html(client_for(handler).get(page_of(letter)))

    assert "OUT-2026-000300 Ontvangstmelding – Peeters An</h1>" in page
    pdf_url = reverse("backoffice:document_download", args=[letter.pdf_document.uuid, 1])
    docx_url = reverse("backoffice:document_download", args=[letter.docx_document.uuid, 1])
    assert f'href="{pdf_url}">PDF downloaden' in page
    assert f'href="{docx_url}">Word-bestand downloaden' in page
    assert "<code>BALIE:OUT-2026-000300</code>" in page
    access = PersonalDataAccess.objects.get()
    assert (access.subject_uuid, access.actor_uuid, access.location) == (
        an.uuid,
        handler.uuid,
        page_of(letter),
    )


def test_the_edited_letter_is_uploaded_from_its_page(letter, handler):
    client = client_for(handler)
    document = docx.Document(io.BytesIO(stored(letter.docx_document.current_version)))
    document.add_paragraph("Uw afspraak is op dinsdag 10 maart.")
    edited = io.BytesIO()
    document.save(edited)

    response = client.post(
        reverse("backoffice:letter_upload_docx", args=[letter.uuid]), {"file": docx_upload(edited.getvalue())}
    )

    assert response.status_code == 302
    letter.pdf_document.refresh_from_db()
    assert "Uw afspraak is op dinsdag 10 maart." in pdf_text(stored(letter.pdf_document.current_version))
    page = html(client.get(page_of(letter)))
    assert "De bewerkte brief is bewaard en de PDF is opnieuw gemaakt." in page
    assert "versie 2" in page and "versie 1" in page


def test_a_pdf_uploaded_as_the_letter_is_refused_on_the_page(letter, handler):
    response = client_for(handler).post(
        reverse("backoffice:letter_upload_docx", args=[letter.uuid]), {"file": upload("brief.docx", PDF)}
    )

    assert response.status_code == 200
    assert "Dit is geen Word-document (.docx) maar PDF." in html(response)
    letter.docx_document.refresh_from_db()
    assert letter.docx_document.current_version.number == 1


def test_a_confidential_letter_is_not_found_by_another_department(acknowledgement, an, handler, front_desk):
    secret = make_letter(template=acknowledgement, by=handler, party=an, confidential=True)
    client = client_for(front_desk)

    assert client.get(page_of(secret)).status_code == 404
    response = client.post(
        reverse("backoffice:letter_upload_docx", args=[secret.uuid]),
        {"file": docx_upload(stored(secret.docx_document.current_version))},
    )
    assert response.status_code == 404
    secret.docx_document.refresh_from_db()
    assert secret.docx_document.current_version.number == 1
    assert PersonalDataAccess.objects.count() == 0


def test_a_citizen_sees_no_letter_and_no_mailing(letter, citizen, acknowledgement, an, handler):
    mailing = start_mailing(template=acknowledgement, parties=[an], by=handler)
    client = client_for(citizen)

    for path in [
        page_of(letter),
        reverse("backoffice:mailings"),
        reverse("backoffice:mailing", args=[mailing.uuid]),
    ]:
        assert client.get(path).status_code == 404, path


def test_the_mailing_page_shows_the_progress_and_asks_again_while_it_runs(acknowledgement, an, handler):
    nobody, _created = register_party(kind="person", given_name="Kris", family_name="Goris", by=None)
    mailing = start_mailing(template=acknowledgement, parties=[an, nobody], by=handler, title="Infoavond")
    url = reverse("backoffice:mailing", args=[mailing.uuid])
    client = client_for(handler)

    waiting = html(client.get(url))
    assert '<progress id="mailing-bar" class="progress-bar" max="2" value="0">0%</progress>' in waiting
    assert 'hx-trigger="every 2s"' in waiting
    assert "0 van 2 brieven gemaakt" in waiting

    run_ready_tasks()
    done = html(client.get(url, headers={"HX-Request": "true"}))

    assert done.startswith('<div id="mailing-progress">')  # the part only, and no more asking
    assert '<progress id="mailing-bar" class="progress-bar" max="2" value="2">100%</progress>' in done
    assert "2 van 2 brieven gemaakt" in done
    letters = [i.letter for i in MailingItem.objects.filter(mailing=mailing, state=MailingItemState.DONE)]
    assert len(re.findall(r'href="/brieven/[0-9a-f-]{36}"', done)) == len(letters) == 2


def test_the_mailings_list_shows_each_with_its_count(acknowledgement, an, handler):
    start_mailing(template=acknowledgement, parties=[an], by=handler, title="Zaal Heikant gesloten")

    page = html(client_for(handler).get(reverse("backoffice:mailings")))

    assert "Zaal Heikant gesloten</a>" in page
    assert "0 van 1" in page
