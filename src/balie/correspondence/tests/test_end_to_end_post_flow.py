"""The post flow from end to end, with the real parts: a scanned letter (pictures only) comes in, the
worker reads it with Tesseract, the documents' search finds its words, it is assigned and answered
with a letter from a Word template (LibreOffice), a team lead approves the letter, the algemeen
directeur signs it (PAdES, checked with poppler's pdfsig), and it goes out by e-mail to a real SMTP
server and to the demo eBox on loopback."""

from __future__ import annotations

import pytest

from balie.core.worker import run_ready_tasks
from balie.correspondence.actions import answer_with_letter, assign, register_incoming, start_treatment
from balie.correspondence.dispatch import dispatch_item
from balie.correspondence.models import PostItem
from balie.documents.letters.admin import create_block, create_template, update_template
from balie.documents.letters.qr import find_letter_codes
from balie.documents.models import DocumentVersion, Letter
from balie.documents.search import search_documents
from balie.documents.signing.actions import approve, sign
from balie.documents.tests import letter_samples
from balie.documents.tests.conftest import letter_admin  # noqa: F401
from balie.documents.tests.signing_fixtures import (  # noqa: F401
    approved_letter_procedure,
    directeur,
    directeur_function,
    lead,
    municipality_certificate,
    pdfsig,
    pdftotext,
    seal,
    secretariaat,
    test_root,
)

from .dispatch.conftest import _demo_ebox_server, citizen_party, demo_ebox, smtp_inbox  # noqa: F401
from .dispatch.helpers import deliver
from .samples import letter_pdf, scanned, upload

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ANSWER = [
    "{{ blok.briefhoofd }}",
    "{{ klant.naam }}",
    "{%p for regel in klant.adresregels %}",
    "{{ regel }}",
    "{%p endfor %}",
    "Zonnedaal, {{ poststuk.datum }}",
    "Ons kenmerk: {{ poststuk.nummer }}",
    "{{ klant.aanspreking }},",
    "Wij beantwoorden graag uw vraag over {{ poststuk.onderwerp }}.",
    "Met vriendelijke groeten,",
    "{{ medewerker.naam }}, {{ medewerker.dienst }}",
]


@pytest.fixture
def answer_template(letter_admin, approved_letter_procedure):  # noqa: F811
    create_block(
        code="briefhoofd",
        name="Briefhoofd",
        file=letter_samples.docx_upload(letter_samples.letterhead(), "briefhoofd.docx"),
        by=letter_admin,
    )
    template = create_template(
        name="Antwoord op een vraag",
        description="Een kort antwoord op een brief.",
        file=letter_samples.docx_upload(letter_samples.word(ANSWER), "antwoord.docx"),
        by=letter_admin,
    )
    return update_template(template=template, signing_procedure=approved_letter_procedure, by=letter_admin)


def test_a_scanned_letter_is_read_found_answered_approved_signed_and_sent(
    post_room,
    omgeving,
    handler,
    lead,  # noqa: F811
    directeur,  # noqa: F811
    citizen_party,  # noqa: F811
    answer_template,
    municipality_certificate,  # noqa: F811
    smtp_inbox,  # noqa: F811
    demo_ebox,  # noqa: F811
    tmp_path,
):
    # 1. The post room uploads the scan (pictures only, no text layer) as an incoming item.
    scan = scanned([letter_pdf("Marc Claes", "de fietsenstalling aan het station")], dpi=300)
    assert pdftotext(scan, tmp_path).strip() == ""
    incoming = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Vraag over de fietsenstalling",
        party=citizen_party,
        scan=upload("scan.pdf", scan),
    )
    assert incoming.number.startswith("IN-")

    # 2. The worker reads it with Tesseract; the search finds its words.
    assert run_ready_tasks() >= 1
    scan_document = incoming.documents.get(role="scan").document
    version = DocumentVersion.objects.get(pk=scan_document.current_version_id)
    assert (version.text_state, version.text_method) == ("done", "ocr")
    hits = search_documents(handler, "fietsenstalling station").hits
    assert [hit.document for hit in hits] == [scan_document]

    # 3. Assigned to the handler, who starts on it.
    assign(item=incoming, by=post_room, handler=handler)
    start_treatment(item=incoming, by=handler)

    # 4. Answered with a letter from the template: the OUT number, the party, the employee on it.
    reply = answer_with_letter(item=incoming, template=answer_template, by=handler, channel="email")
    incoming.refresh_from_db()
    assert (incoming.status, reply.status, reply.reply_to) == ("answered", "registered", incoming)
    assert reply.number.startswith("OUT-")
    pdf_document = reply.documents.get(role="letter").document
    letter = Letter.objects.get(pdf_document=pdf_document)
    assert (letter.register_number, letter.party) == (reply.number, citizen_party)
    unsigned = pdf_document.current_version.file.open("rb").read()
    text = " ".join(pdftotext(unsigned, tmp_path).split())
    assert f"Ons kenmerk: {reply.number}" in text
    assert "Marc Claes Kerkstraat 12 bus 3 2645 Zonnedaal" in text
    assert "Geachte heer Claes," in text or "Geachte Marc Claes," in text
    assert "Hans Handel, Omgeving" in text
    assert [code.payload for code in find_letter_codes(unsigned)] == [f"BALIE:{reply.number}"]

    # 5. The template's procedure: a team lead approves, the algemeen directeur signs.
    request = pdf_document.signing_requests.get()
    assert request.state == "approval"
    approve(request=request, by=lead)
    sign(request=request, by=directeur)
    pdf_document.refresh_from_db()
    signed = pdf_document.current_version
    assert signed.number == 2
    assert "Signature is Valid." in pdfsig(signed.file.open("rb").read(), tmp_path)

    # 6. Sent by e-mail (a real SMTP server) and to the demo eBox.
    dispatch_item(item=reply, channel="email", by=handler)
    dispatch_item(item=reply, channel="ebox", by=handler)
    deliver()

    [mail] = smtp_inbox.messages
    assert mail["To"] == "marc.claes@example.be"
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == f"{reply.number}.pdf"
    assert "Signature is Valid." in pdfsig(attachment.get_content(), tmp_path)
    [message] = demo_ebox.messages
    assert (message.files[0].signed, message.files[0].data) == (True, signed.file.open("rb").read())
    reply = PostItem.objects.get(pk=reply.pk)
    assert reply.status == "sent"
