"""A letter that goes through approval and signing is not sent before it is signed; once signed,
the signed PDF goes out (its current version), marked as signed for the eBox, and the copy that
arrives by e-mail validates with poppler's pdfsig."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.correspondence.dispatch import dispatch_item
from balie.correspondence.models import Dispatch
from balie.documents.signing import procedures
from balie.documents.signing.actions import request_signing, sign
from balie.documents.tests.signing_fixtures import pdfsig

from .helpers import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def directeur(omgeving):
    return create_employee(
        username="directeur",
        first_name="Katrien",
        last_name="Lambrechts",
        email="katrien@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.TEAM_LEAD],
        job_title="Algemeen directeur",
        by=None,
    )


@pytest.fixture
def procedure(directeur):
    function = procedures.create_function(name="Algemeen directeur", holder=directeur, by=None)
    procedure = procedures.create_procedure(name="Brief met handtekening", by=None)
    procedures.add_signer(procedure=procedure, function=function, by=None)
    return procedure


def test_the_signed_letter_goes_out_and_not_before(
    letter, handler, directeur, procedure, municipality_certificate, smtp_inbox, demo_ebox, tmp_path
):
    document = letter.documents.get(role="letter").document
    request = request_signing(document=document, procedure=procedure, by=handler)

    with pytest.raises(ValidationError) as refused:
        dispatch_item(item=letter, channel="email", by=handler)
    assert refused.value.message_dict == {
        "letter": [
            f"‘{document.title}’ wacht nog op goedkeuring of ondertekening: "
            "verstuur het als het ondertekend is."
        ]
    }
    assert Dispatch.objects.count() == 0

    sign(request=request, by=directeur)
    document.refresh_from_db()
    signed = document.current_version
    by_mail = dispatch_item(item=letter, channel="email", by=handler)
    to_ebox = dispatch_item(item=letter, channel="ebox", by=handler)
    deliver()

    for dispatch in (by_mail, to_ebox):
        [sent] = dispatch.sent_documents.all()
        assert (sent.version, sent.signed) == (signed, True)
    [mail] = smtp_inbox.messages
    [attachment] = list(mail.iter_attachments())
    assert "Signature is Valid." in pdfsig(attachment.get_content(), tmp_path)
    [message] = demo_ebox.messages
    assert (message.files[0].signed, message.files[0].data) == (True, signed.file.open("rb").read())
