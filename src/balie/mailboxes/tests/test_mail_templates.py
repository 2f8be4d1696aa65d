"""The functional administrator keeps mail templates with the letters' Dutch merge fields; an
employee starts a mail from one, merged for the case's customer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.mailboxes.actions import create_mail_template, send_mail, update_mail_template
from balie.mailboxes.models import MailTemplate
from balie.mailboxes.templates import render_template

from .helpers import deliver

pytestmark = pytest.mark.django_db


def test_a_template_is_merged_for_the_case_and_its_customer(admin, case, handler, applicant):
    template = create_mail_template(
        by=admin,
        name="Vraag om aanvulling",
        subject="Uw dossier {{ zaak.nummer }}: aanvulling nodig",
        body="{{ klant.aanspreking }},\n\n"
        "Voor uw aanvraag ‘{{ zaak.onderwerp }}’ hebben we nog een plan nodig.\n\n"
        "Met vriendelijke groeten,\n{{ medewerker.naam }}\n{{ zaak.dienst }}, {{ gemeente.naam }}",
    )

    subject, body = render_template(template, party=applicant, case=case, employee=handler)

    assert subject == f"Uw dossier {case.number}: aanvulling nodig"
    assert body.startswith(
        "Geachte An Peeters,\n\nVoor uw aanvraag ‘Verbouwing keuken’ hebben we nog een plan nodig."
    )
    assert body.endswith("Hans Handel\nOmgeving, Gemeente Zonnedaal\n")
    assert ChangeRecord.objects.filter(object_uuid=template.uuid, action="create").exists()


def test_fields_outside_the_catalogue_and_broken_syntax_are_refused(admin):
    with pytest.raises(ValidationError) as refused:
        create_mail_template(
            by=admin,
            name="Fout",
            subject="{{ poststuk.nummer }}",
            body="{{ klant.rijksregisternummer }} {% if %}",
        )
    errors = refused.value.message_dict
    assert errors["subject"] == ["Onbekend samenvoegveld: poststuk."]
    assert len(errors["body"]) == 1 and errors["body"][0].startswith("Regel 1:")
    assert not MailTemplate.objects.exists()

    with pytest.raises(ValidationError) as refused:
        create_mail_template(
            by=admin, name="Fout", subject="Hallo {{ klant }}", body="{{ klant.bestaatniet }}"
        )
    assert refused.value.message_dict == {
        "subject": ["Gebruik een veld van klant, bv. {{ klant.naam }}."],
        "body": ["Onbekend samenvoegveld: klant.bestaatniet."],
    }


def test_only_the_functional_administrator_keeps_templates(admin, handler):
    with pytest.raises(ValidationError):
        create_mail_template(by=handler, name="Mag niet", subject="Onderwerp", body="Tekst")
    template = create_mail_template(by=admin, name="Ontvangst", subject="Ontvangen", body="Tekst")
    with pytest.raises(ValidationError):
        update_mail_template(template=template, by=handler, active=False)
    template.refresh_from_db()
    assert template.active is True
    update_mail_template(template=template, by=admin, active=False)
    template.refresh_from_db()
    assert template.active is False


@pytest.mark.django_db(transaction=True)
def test_a_retired_template_cannot_be_used(admin, smtp_inbox, mailbox, case, handler):
    template = create_mail_template(by=admin, name="Oud", subject="Oud", body="Tekst", active=False)

    with pytest.raises(ValidationError) as refused:
        send_mail(
            by=handler, to="an.peeters@example.be", subject="Oud", body="Tekst", case=case, template=template
        )
    assert refused.value.message_dict == {"template": ["Dit sjabloon wordt niet meer gebruikt."]}
    deliver()
    assert smtp_inbox.raw == []
