"""Who may not see a case, a contact or a customer cannot send from it, nor see what was sent;
a refused send changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.cases.actions import register_case
from balie.contact_moments.models import ContactMoment
from balie.core.models import OutboxMessage
from balie.documents.models import Document
from balie.mailboxes.actions import resend_mail, send_mail
from balie.mailboxes.models import Mailbox, SentMail
from balie.mailboxes.queries import get_sent_mail_for, list_sent_mails

from .helpers import deliver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def secret_case(handler, permit_type, applicant):
    return register_case(
        case_type=permit_type,
        by=handler,
        subject="Klacht over een buur",
        parties=[(applicant, "initiator")],
        attributes={"soort": "bouwen"},
        confidential=True,
        handler=handler,
    )


@pytest.fixture
def other_employee(burgerzaken):
    Mailbox.objects.create(
        name="Burgerzaken",
        address="burgerzaken@zonnedaal.be",
        department=burgerzaken,
        imap_host="127.0.0.1",
        imap_username="burgerzaken",
        secret_setting="X",
    )
    return create_employee(
        username="andere",
        first_name="Ada",
        last_name="Ander",
        email="ada@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.CASE_HANDLER],
        by=None,
    )


def _counts():
    return (
        SentMail.objects.count(),
        ContactMoment.objects.count(),
        Document.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_an_employee_of_another_department_cannot_send_from_a_confidential_case(
    smtp_inbox, mailbox, secret_case, other_employee, handler
):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        send_mail(
            by=other_employee, to="an.peeters@example.be", subject="Hallo", body="Tekst", case=secret_case
        )
    assert refused.value.messages == ["Deze zaak bestaat niet of je mag ze niet zien."]
    assert _counts() == before

    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Hallo", body="Tekst", case=secret_case)
    deliver()
    assert mail.confidential is True
    assert mail.eml.confidential is True
    with pytest.raises(Http404):
        get_sent_mail_for(other_employee, mail.uuid)
    assert list_sent_mails(other_employee) == []
    assert [m.uuid for m in list_sent_mails(handler)] == [mail.uuid]
    with pytest.raises(ValidationError):
        resend_mail(mail=mail, by=other_employee)
    assert len(smtp_inbox.raw) == 1


def test_a_citizen_cannot_send_nor_see(smtp_inbox, mailbox, case, citizen, handler):
    before = _counts()
    with pytest.raises(ValidationError):
        send_mail(by=citizen, to="an.peeters@example.be", subject="Hallo", body="Tekst", case=case)
    assert _counts() == before
    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Hallo", body="Tekst", case=case)
    with pytest.raises(Http404):
        get_sent_mail_for(citizen, mail.uuid)


def test_attachments_must_be_documents_of_the_case(
    smtp_inbox, mailbox, case, secret_case, handler, plan, other_employee
):
    from balie.cases.actions import attach_document
    from balie.documents.tests.samples import PDF, upload

    elsewhere = attach_document(
        case=secret_case, by=handler, file=upload("geheim.pdf", PDF), title="Geheim"
    ).document
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        send_mail(
            by=handler,
            to="an.peeters@example.be",
            subject="Hallo",
            body="Tekst",
            case=case,
            attachments=[plan, elsewhere],
        )
    assert refused.value.message_dict == {
        "attachments": ["Kies alleen documenten van de zaak of het contact die je mag zien."]
    }
    assert _counts() == before
