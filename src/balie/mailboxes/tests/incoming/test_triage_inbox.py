"""An employee files a message from the triage inbox in one click: to a case, as a contact of
its sender, or as a contact moment; outsiders see nothing of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balie.cases.actions import register_case
from balie.cases.models import CaseNote
from balie.mailboxes.actions import assign_mail_to_case, ingest_message
from balie.mailboxes.models import IncomingMail, MailState

from . import corpus
from .conftest import make_mailbox


@pytest.fixture
def waiting(omgeving):
    mailbox = make_mailbox(omgeving, None)
    mail, created = ingest_message(mailbox=mailbox, raw=corpus.alternative(), uidvalidity=1, uid=1)
    assert created and mail.state == MailState.TRIAGE
    return mail


@pytest.mark.django_db
def test_the_triage_inbox_shows_the_sanitised_preview(client, handler, waiting):
    client.force_login(handler)

    page = client.get(reverse("backoffice:mail_triage"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Foto van de put in de straat" in html
    assert "<script>alert" not in html and "tracker.example.com" not in html
    image = waiting.documents.get()
    assert reverse("backoffice:document_download", args=[image.document.uuid, 1]) in html


@pytest.mark.django_db
def test_assign_to_a_case_in_one_click(client, handler, waiting, question_type, an):
    case = register_case(case_type=question_type, by=handler, subject="Put in de straat")
    client.force_login(handler)

    response = client.post(
        reverse("backoffice:mail_assign", args=[waiting.uuid]), {"how": "case", "case": case.number}
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.state, waiting.case, waiting.route, waiting.filed_by) == (
        MailState.INGESTED,
        case,
        "triage:case",
        handler,
    )
    assert waiting.contact_moment.case == case and waiting.contact_moment.party == an
    assert CaseNote.objects.filter(case=case).count() == 1
    assert triage_count(client) == 0


def triage_count(client) -> int:
    return client.get(reverse("backoffice:mail_triage")).content.decode().count('class="card mail-card"')


@pytest.mark.django_db
def test_a_contact_of_the_sender_or_a_contact_moment(client, handler, omgeving, an):
    mailbox = make_mailbox(omgeving, None)
    first, _ = ingest_message(mailbox=mailbox, raw=corpus.simple(1, subject="Een"), uidvalidity=1, uid=1)
    second, _ = ingest_message(
        mailbox=mailbox,
        raw=corpus.simple(2, subject="Twee", sender="onbekend@elders.be"),
        uidvalidity=1,
        uid=2,
    )
    client.force_login(handler)

    client.post(reverse("backoffice:mail_assign", args=[first.uuid]), {"how": "party", "party": str(an.uuid)})
    client.post(reverse("backoffice:mail_assign", args=[second.uuid]), {"how": "contact"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.party, first.contact_moment.party) == (MailState.INGESTED, an, an)
    assert (second.state, second.contact_moment.party, second.contact_moment.channel) == (
        MailState.INGESTED,
        None,
        "email",
    )


@pytest.mark.django_db
def test_a_refused_assignment_changes_nothing(client, handler, waiting):
    client.force_login(handler)

    response = client.post(
        reverse("backoffice:mail_assign", args=[waiting.uuid]),
        {"how": "case", "case": "C2026-999999"},
        follow=True,
    )

    assert "Geen zaak met nummer C2026-999999" in response.content.decode()
    waiting.refresh_from_db()
    assert (waiting.state, waiting.case, waiting.contact_moment) == (MailState.TRIAGE, None, None)


@pytest.mark.django_db
def test_filed_twice_is_refused(handler, waiting, question_type):
    case = register_case(case_type=question_type, by=handler, subject="Put")
    assign_mail_to_case(mail=waiting, case=case, by=handler)
    with pytest.raises(Exception, match="al verwerkt"):
        assign_mail_to_case(mail=waiting, case=case, by=handler)
    assert CaseNote.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_outsiders_see_nothing(client, front_desk, citizen, waiting):
    client.force_login(front_desk)  # another department: not its mailbox
    assert 'class="card mail-card"' not in client.get(reverse("backoffice:mail_triage")).content.decode()
    assert client.get(reverse("backoffice:mail_detail", args=[waiting.uuid])).status_code == 404
    assert (
        client.post(reverse("backoffice:mail_assign", args=[waiting.uuid]), {"how": "contact"}).status_code
        == 404
    )
    client.force_login(citizen)
    for url in (
        reverse("backoffice:mail_triage"),
        reverse("backoffice:mailboxes"),
        reverse("backoffice:mail_detail", args=[waiting.uuid]),
    ):
        assert client.get(url).status_code == 404
    waiting.refresh_from_db()
    assert waiting.state == MailState.TRIAGE
    assert IncomingMail.objects.count() == 1


@pytest.mark.django_db
def test_the_mailboxes_page_shows_state_and_counts(client, handler, waiting):
    mailbox = waiting.mailbox
    mailbox.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
    from django.utils import timezone

    mailbox.down_since = mailbox.last_error_at = timezone.now()
    mailbox.save()
    client.force_login(handler)

    html = client.get(reverse("backoffice:mailboxes")).content.decode()

    assert "onbereikbaar sinds" in html and "Connection refused" in html
    assert "1 te bekijken" in html
