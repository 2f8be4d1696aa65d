"""An employee drops an .eml (or .msg) from Outlook on a case or party page: it is filed like an
ingested mail (same parser, same documents) and linked there; a file that is no mail is refused
and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balie.cases.actions import register_case
from balie.documents.models import Document
from balie.mailboxes.models import IncomingMail, MailSource

from . import corpus


@pytest.mark.django_db
def test_an_eml_dropped_on_a_case(client, handler, question_type):
    case = register_case(case_type=question_type, by=handler, subject="Terras")
    client.force_login(handler)

    response = client.post(
        reverse("backoffice:case_drop_mail", args=[case.uuid]),
        {
            "mail": SimpleUploadedFile(
                "Re terras.eml", corpus.non_ascii_attachments(), content_type="message/rfc822"
            )
        },
    )

    assert response.status_code == 302 and response["Location"].endswith("#mails")
    mail = IncomingMail.objects.get()
    assert (mail.source, mail.case, mail.mailbox, mail.route, mail.filed_by) == (
        MailSource.UPLOAD,
        case,
        None,
        "upload",
        None,
    )
    assert mail.raw_document is not None and mail.raw_document.current_version.mime_type == "message/rfc822"
    assert sorted(d.filename for d in mail.documents.all()) == [
        "Verslag vergadering – één.txt",
        "Фото-straat.png",
    ]
    assert set(case.documents.values_list("document__title", flat=True)) >= {
        "Verslag vergadering – één.txt",
        "Фото-straat.png",
    }
    page = client.get(reverse("backoffice:case", args=[case.uuid])).content.decode()
    assert "Bijlagen met één naam €" in page and 'id="mails"' in page


@pytest.mark.django_db
def test_an_eml_dropped_on_a_party(client, handler, an):
    client.force_login(handler)

    client.post(
        reverse("backoffice:party_drop_mail", args=[an.uuid]),
        {"mail": SimpleUploadedFile("vraag.eml", corpus.simple(1, subject="Mijn vraag"))},
    )

    mail = IncomingMail.objects.get()
    assert (mail.party, mail.case, mail.contact_moment.party) == (an, None, an)
    page = client.get(reverse("backoffice:party", args=[an.uuid])).content.decode()
    assert "Mijn vraag" in page


@pytest.mark.django_db
def test_a_msg_that_is_not_one_is_refused_and_nothing_is_stored(client, handler, an):
    client.force_login(handler)

    response = client.post(
        reverse("backoffice:party_drop_mail", args=[an.uuid]),
        {"mail": SimpleUploadedFile("bericht.msg", b"geen outlook")},
        follow=True,
    )

    assert "Dit is geen e-mail (.eml) of Outlook-bericht (.msg)" in response.content.decode()
    assert (IncomingMail.objects.count(), Document.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_outsiders_cannot_drop(client, citizen, front_desk, handler, question_type):
    case = register_case(case_type=question_type, by=handler, subject="Terras", confidential=True)
    for who in (citizen, front_desk):
        client.force_login(who)
        response = client.post(
            reverse("backoffice:case_drop_mail", args=[case.uuid]),
            {"mail": SimpleUploadedFile("x.eml", corpus.simple(1))},
        )
        assert response.status_code == 404
    assert IncomingMail.objects.count() == 0


@pytest.mark.django_db
def test_the_same_mail_dropped_twice_is_filed_once(client, handler, an, question_type):
    case = register_case(case_type=question_type, by=handler, subject="Terras")
    client.force_login(handler)
    raw = corpus.non_ascii_attachments()
    client.post(
        reverse("backoffice:case_drop_mail", args=[case.uuid]), {"mail": SimpleUploadedFile("a.eml", raw)}
    )
    stored = (IncomingMail.objects.count(), Document.objects.count())
    assert stored[0] == 1

    again = client.post(
        reverse("backoffice:party_drop_mail", args=[an.uuid]),
        {"mail": SimpleUploadedFile("nog eens.eml", raw)},
        follow=True,
    )

    text = again.content.decode()
    assert "Deze e-mail werd al geklasseerd op " in text and f"bij zaak {case.number}" in text
    assert (IncomingMail.objects.count(), Document.objects.count()) == stored


@pytest.mark.django_db
def test_a_mail_without_message_id_is_recognised_by_its_content(client, handler, an):
    client.force_login(handler)
    url = reverse("backoffice:party_drop_mail", args=[an.uuid])
    first = corpus.simple(1, subject="Zonder id", message_id=None)
    other = corpus.simple(2, subject="Ook zonder id", message_id=None)

    client.post(url, {"mail": SimpleUploadedFile("een.eml", first)})
    client.post(url, {"mail": SimpleUploadedFile("twee.eml", other)})  # another message: filed
    refused = client.post(url, {"mail": SimpleUploadedFile("een-bis.eml", first)}, follow=True)

    assert IncomingMail.objects.filter(message_id="").count() == 2
    assert "Deze e-mail werd al geklasseerd op " in refused.content.decode()
    assert f"bij klant {an}" in refused.content.decode()
