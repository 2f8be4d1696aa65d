"""Messages in a real Dovecot are read once, recorded with what they became, and flagged on the
server only after that; bad input is kept raw and waits in triage, never stopping the batch."""

from __future__ import annotations

import pytest

from balie.contact_moments.models import ContactMoment
from balie.documents.models import Document
from balie.mailboxes.models import IncomingMail, MailRule, MailState, RuleTarget
from balie.mailboxes.polling import poll_mailbox

from . import corpus


def _contact_rule(mailbox, **conditions):
    return MailRule.objects.create(
        mailbox=mailbox, position=1, name="Alles", target=RuleTarget.CONTACT_MOMENT, **conditions
    )


@pytest.mark.django_db(transaction=True)
def test_the_corpus_is_ingested_once_and_flagged(mailbox, dovecot, an):
    _contact_rule(mailbox)
    dovecot.append(
        corpus.alternative(),
        corpus.non_ascii_attachments(),
        corpus.nested_forward(),
        corpus.tnef(),
        corpus.broken_mime(),
        corpus.no_message_id(),
        corpus.unknown_charset(),
        corpus.zip_bomb(),
        corpus.fake_msg(),
        corpus.not_a_mail(),
    )

    result = poll_mailbox(mailbox)

    assert (result.fetched, result.ingested, result.failed, result.error) == (10, 10, 0, "")
    assert dovecot.flagged_count() == 10
    mails = {m.subject: m for m in IncomingMail.objects.all()}
    assert len(mails) == 10
    by_state = sorted((m.subject, m.state) for m in mails.values())
    assert by_state == sorted(
        [
            ("Foto van de put in de straat", MailState.INGESTED),
            ("Bijlagen met één naam €", MailState.INGESTED),
            ("Fwd: Fwd: Oorspronkelijke klacht", MailState.INGESTED),
            ("Offerte (Outlook)", MailState.INGESTED),
            ("Kapotte MIME", MailState.INGESTED),
            ("Zonder Message-ID", MailState.INGESTED),
            ("Vreemde tekens", MailState.INGESTED),
            ("Archief", MailState.INGESTED),
            ("Een .msg die er geen is", MailState.INGESTED),
            ("", MailState.UNPARSEABLE),
        ]
    )
    # Every message is kept as it came, as a document.
    assert all(m.raw_document_id for m in mails.values())
    # The sender is a known party: the contacts are hers, with the attachments.
    names = mails["Bijlagen met één naam €"]
    assert names.party == an and names.contact_moment is not None
    assert sorted(link.filename for link in names.documents.all()) == [
        "Verslag vergadering – één.txt",
        "Фото-straat.png",
    ]
    assert names.contact_moment.channel == "email" and names.contact_moment.direction == "in"
    photo = mails["Foto van de put in de straat"]
    assert [(d.content_id, d.inline) for d in photo.documents.all()] == [("foto1@example.org", True)]
    assert "<script" not in photo.html and 'src="cid:foto1@example.org"' in photo.html
    # The zip is not a document type: only in the raw message, never expanded.
    bomb = mails["Archief"]
    assert bomb.documents.count() == 0
    assert [s["filename"] for s in bomb.skipped_attachments] == ["archief.zip"]
    assert mails[""].note == "Dit bericht kon niet gelezen worden."

    # A second poll reads nothing new; nothing is made twice.
    contacts, documents = ContactMoment.objects.count(), Document.objects.count()
    again = poll_mailbox(mailbox)
    assert (again.fetched, again.ingested) == (0, 0)
    assert (IncomingMail.objects.count(), ContactMoment.objects.count(), Document.objects.count()) == (
        10,
        contacts,
        documents,
    )


@pytest.mark.django_db(transaction=True)
def test_without_a_rule_a_message_waits_in_triage(mailbox, dovecot):
    dovecot.append(corpus.simple(1, subject="Wie leest dit?"))

    poll_mailbox(mailbox)

    mail = IncomingMail.objects.get()
    assert (mail.state, mail.note, mail.contact_moment, mail.case) == (
        MailState.TRIAGE,
        "Geen regel van de mailbox past op dit bericht.",
        None,
        None,
    )


@pytest.mark.django_db(transaction=True)
def test_rules_route_by_sender_recipient_and_subject(mailbox, dovecot, question_type):
    MailRule.objects.create(
        mailbox=mailbox,
        position=1,
        name="Vragen",
        subject_contains="vraag",
        sender="@example.org",
        target=RuleTarget.CASE,
        case_type=question_type,
    )
    MailRule.objects.create(
        mailbox=mailbox, position=2, name="Post", recipient="post@zonnedaal.be", target=RuleTarget.POST_ITEM
    )
    MailRule.objects.create(
        mailbox=mailbox, position=3, name="Meldingen", subject_contains="melding", target=RuleTarget.REPORT
    )
    dovecot.append(
        corpus.simple(1, subject="Een vraag over de vergunning"),
        corpus.simple(2, subject="Brief", to="post@zonnedaal.be", sender="iemand@elders.be"),
        corpus.simple(3, subject="Een melding", sender="boos@elders.be"),
    )

    poll_mailbox(mailbox)

    question = IncomingMail.objects.get(subject="Een vraag over de vergunning")
    assert question.case is not None and question.case.case_type == question_type
    assert question.case.origin == "email" and question.route == "rule:Vragen"
    letter = IncomingMail.objects.get(subject="Brief")
    assert letter.post_item is not None and letter.post_item.number.startswith("IN"), letter.note
    report = IncomingMail.objects.get(subject="Een melding")
    # A mail says nothing of where the problem is: the reports flow refuses it, so it waits in
    # triage (where an employee adds the place) and the mailbox says why.
    assert report.state == MailState.TRIAGE and report.case is None
    assert "Duid de plaats aan op de kaart of geef een adres." in report.note
    mailbox.refresh_from_db()
    assert "Duid de plaats aan op de kaart of geef een adres." in mailbox.status_note


@pytest.mark.django_db(transaction=True)
def test_denied_senders_are_kept_but_never_routed(mailbox, dovecot):
    mailbox.denied_senders = "@spam.example"
    mailbox.save()
    _contact_rule(mailbox)
    dovecot.append(corpus.simple(1, sender="koop@spam.example", subject="Koop nu"))

    poll_mailbox(mailbox)

    mail = IncomingMail.objects.get()
    assert (mail.state, mail.contact_moment) == (MailState.REFUSED, None)
    assert mail.raw_document is not None
