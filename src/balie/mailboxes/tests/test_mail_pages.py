"""The back-office pages of mail out: "E-mail schrijven" from a case (with a template and the
case's documents), "Beantwoorden" from a contact, the sent mails and "Opnieuw versturen", the mail
template admin; an outsider gets "not found" on every page and sends nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.audit.models import PersonalDataAccess
from balie.cases.actions import register_case
from balie.contact_moments.actions import register_contact_moment
from balie.mailboxes.actions import create_mail_template, send_mail
from balie.mailboxes.models import MailTemplate, SentMail, SentMailState

from .helpers import deliver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _test_site(settings) -> None:
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_write_from_a_case_with_a_template_and_an_attachment(
    smtp_inbox, mailbox, case, handler, applicant, plan, admin
):
    template = create_mail_template(
        by=admin,
        name="Aanvulling",
        subject="Aanvulling {{ zaak.nummer }}",
        body="{{ klant.aanspreking }},\nGraag een plan.",
    )
    client = client_for(handler)
    url = reverse("backoffice:write_mail")

    page = client.get(url, {"zaak": case.uuid})
    text = page.content.decode()
    assert page.status_code == 200
    assert '<h1 id="mail-title">E-mail schrijven</h1>' in text
    assert 'value="an.peeters@example.be"' in text  # the case's party's address
    assert "Van: Dienst Omgeving &lt;omgeving@zonnedaal.be&gt;" in text
    assert "bouwplan-Anaïs-€.pdf" in text or "Bouwplan" in text
    assert PersonalDataAccess.objects.filter(subject_uuid=applicant.uuid, actor_uuid=handler.uuid).exists()

    merged = client.get(url, {"zaak": case.uuid, "template": template.uuid, "use_template": "1"})
    assert f"Aanvulling {case.number}" in merged.content.decode()
    assert "Geachte An Peeters,\nGraag een plan." in merged.content.decode()

    sent = client.post(
        url,
        {
            "zaak": case.uuid,
            "template": template.uuid,
            "to": "an.peeters@example.be",
            "subject": f"Aanvulling {case.number}",
            "body": "Geachte An Peeters,\nGraag een plan.",
            "attachments": [str(plan.uuid)],
        },
    )
    mail = SentMail.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("backoffice:sent_mail_detail", args=[mail.uuid])
    assert (mail.case, mail.party, mail.template) == (case, applicant, template)
    assert mail.subject == f"Aanvulling {case.number} [{case.number}]"
    deliver()
    [received] = smtp_inbox.messages
    assert [a.get_filename() for a in received.iter_attachments()] == ["bouwplan-Anaïs-€.pdf"]

    detail = client.get(sent["Location"]).content.decode()
    assert "verstuurd" in detail
    assert mail.message_id.replace("<", "&lt;").replace(">", "&gt;") in detail
    case_page = client.get(reverse("backoffice:case", args=[case.uuid])).content.decode()
    assert "E-mail schrijven" in case_page
    assert f"E-mail aan an.peeters@example.be: Aanvulling {case.number} [{case.number}]" in case_page


def test_a_form_with_errors_sends_nothing(smtp_inbox, mailbox, case, handler):
    response = client_for(handler).post(
        reverse("backoffice:write_mail"), {"zaak": case.uuid, "to": "x", "subject": "", "body": ""}
    )

    assert response.status_code == 200
    assert (
        "Geef een geldig e-mailadres op." in response.content.decode()
        or "geldig e-mailadres" in response.content.decode()
    )
    assert not SentMail.objects.exists()


def test_answer_an_incoming_mail_from_its_contact(smtp_inbox, mailbox, case, handler, applicant):
    moment = register_contact_moment(
        by=handler,
        channel="email",
        direction="in",
        party=applicant,
        summary="Vraag over mijn aanvraag\n\nWanneer?",
        case=case,
    )
    client = client_for(handler)

    contact_page = client.get(reverse("backoffice:contact_moment", args=[moment.uuid])).content.decode()
    assert "Beantwoorden" in contact_page
    form = client.get(
        reverse("backoffice:write_mail"), {"contact": moment.uuid, "in_reply_to": "<q1@example.be>"}
    )
    text = form.content.decode()
    assert '<h1 id="mail-title">Beantwoorden</h1>' in text
    assert 'value="Re: Vraag over mijn aanvraag"' in text
    assert 'value="&lt;q1@example.be&gt;"' in text

    client.post(
        reverse("backoffice:write_mail"),
        {
            "contact": moment.uuid,
            "to": "an.peeters@example.be",
            "subject": "Re: Vraag",
            "body": "Volgende week.",
            "in_reply_to": "<q1@example.be>",
        },
    )
    mail = SentMail.objects.get()
    assert (mail.answers, mail.case, mail.in_reply_to) == (moment, case, "<q1@example.be>")
    deliver()
    assert smtp_inbox.messages[0]["In-Reply-To"] == "<q1@example.be>"
    reply_page = client.get(
        reverse("backoffice:contact_moment", args=[mail.contact_moment.uuid])
    ).content.decode()
    assert "Verstuurde e-mail" in reply_page


def test_a_bounce_shows_on_the_360_view_and_a_failed_mail_is_resent(
    smtp_server, settings, mailbox, case, handler, applicant
):
    from balie.mailboxes.actions import record_mail_bounce
    from balie.mailboxes.bounces import parse_dsn_bytes

    from . import dsn_samples

    bounced = send_mail(
        by=handler, to="an.peeters@example.be", subject="Eerste", body="Tekst", case=case, party=applicant
    )
    deliver()
    record_mail_bounce(
        bounce=parse_dsn_bytes(dsn_samples.sample(dsn_samples.POSTFIX_RFC3464, bounced.message_id))
    )
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 1
    smtp_server.stop()
    failed = send_mail(
        by=handler, to="an.peeters@example.be", subject="Tweede", body="Tekst", case=case, party=applicant
    )
    deliver()
    client = client_for(handler)

    party_page = client.get(reverse("backoffice:party", args=[applicant.uuid])).content.decode()
    assert "Verstuurde e-mails" in party_page
    assert "teruggekomen" in party_page
    assert "Niet afgeleverd aan an.peeters@example.be (5.1.1)" in party_page
    listing = client.get(reverse("backoffice:sent_mails"), {"toestand": "failed"}).content.decode()
    assert "Tweede" in listing and "Eerste" not in listing

    smtp_server.start()
    response = client.post(reverse("backoffice:sent_mail_resend", args=[failed.uuid]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == SentMailState.QUEUED
    deliver()
    failed.refresh_from_db()
    assert failed.state == SentMailState.SENT


def test_mail_templates_are_kept_by_the_functional_administrator(admin, handler):
    client = client_for(admin)
    assert client.get(reverse("backoffice:manage_mail_templates")).status_code == 200
    page = client.get(reverse("backoffice:manage_mail_template_create")).content.decode()
    assert "{{ klant.naam }}" in page
    response = client.post(
        reverse("backoffice:manage_mail_template_create"),
        {
            "name": "Ontvangst",
            "subject": "Ontvangen: {{ zaak.nummer }}",
            "body": "Beste {{ klant.naam }}",
            "active": "on",
        },
    )
    assert response.status_code == 302
    template = MailTemplate.objects.get()
    refused = client.post(
        reverse("backoffice:manage_mail_template", args=[template.uuid]),
        {"name": "Ontvangst", "subject": "{{ poststuk.nummer }}", "body": "Beste"},
    )
    assert "Onbekend samenvoegveld: poststuk." in refused.content.decode()
    template.refresh_from_db()
    assert template.subject == "Ontvangen: {{ zaak.nummer }}"

    other = client_for(handler)
    assert other.get(reverse("backoffice:manage_mail_templates")).status_code in (403, 404)
    assert other.post(
        reverse("backoffice:manage_mail_template", args=[template.uuid]),
        {"name": "X", "subject": "X", "body": "X"},
    ).status_code in (403, 404)
    template.refresh_from_db()
    assert template.name == "Ontvangst"


def test_outsiders_get_not_found_and_send_nothing(
    smtp_inbox, mailbox, handler, permit_type, applicant, citizen, burgerzaken
):
    secret = register_case(
        case_type=permit_type,
        by=handler,
        subject="Geheim",
        parties=[(applicant, "initiator")],
        attributes={"soort": "bouwen"},
        confidential=True,
        handler=handler,
    )
    mail = send_mail(
        by=handler, to="an.peeters@example.be", subject="Geheim bericht", body="Tekst", case=secret
    )
    other = create_employee(
        username="andere",
        first_name="Ada",
        last_name="Ander",
        email="ada@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.CASE_HANDLER],
        by=None,
    )
    pages = [
        reverse("backoffice:write_mail") + f"?zaak={secret.uuid}",
        reverse("backoffice:write_mail") + f"?contact={mail.contact_moment.uuid}",
        reverse("backoffice:sent_mail_detail", args=[mail.uuid]),
    ]
    for user in (other, citizen):
        client = client_for(user)
        for path in pages:
            response = client.get(path)
            assert response.status_code == 404, (user.username, path)
            assert "Geheim" not in response.content.decode()
        assert (
            "Geheim bericht" not in client.get(reverse("backoffice:sent_mails")).content.decode()
            if user is other
            else True
        )
        assert (
            client.post(
                reverse("backoffice:write_mail"),
                {"zaak": secret.uuid, "to": "x@example.be", "subject": "S", "body": "B"},
            ).status_code
            == 404
        )
        assert client.post(reverse("backoffice:sent_mail_resend", args=[mail.uuid])).status_code == 404
    assert SentMail.objects.count() == 1
    anonymous = Client().get(reverse("backoffice:sent_mails"))
    assert anonymous.status_code == 302
