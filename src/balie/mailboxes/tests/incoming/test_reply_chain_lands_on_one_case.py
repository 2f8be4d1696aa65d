"""A chain of ten mails lands on one case: replies found by In-Reply-To / References, and,
where a client dropped those, by the plus-address or the token in the subject."""

from __future__ import annotations

import pytest

from balie.cases.models import Case, CaseNote
from balie.mailboxes.addressing import reply_address, subject_with_token
from balie.mailboxes.models import IncomingMail, MailRule, RuleTarget
from balie.mailboxes.polling import poll_mailbox

from . import corpus


@pytest.mark.django_db(transaction=True)
def test_ten_mails_one_case(mailbox, dovecot, question_type, an):
    MailRule.objects.create(
        mailbox=mailbox, position=1, name="Vragen", target=RuleTarget.CASE, case_type=question_type
    )
    dovecot.append(corpus.simple(0, subject="Vraag over mijn terras", message_id="<chain-0@example.org>"))
    poll_mailbox(mailbox)
    case = Case.objects.get()
    number = case.number

    ids = ["<chain-0@example.org>"]
    replies = []
    for n in range(1, 10):
        kind = n % 3
        if kind == 1:  # a well-behaved client: In-Reply-To and References
            raw = corpus.simple(
                n,
                subject="Re: Vraag over mijn terras",
                message_id=f"<chain-{n}@example.org>",
                in_reply_to=ids[-1],
                references=" ".join(ids),
            )
        elif kind == 2:  # References dropped, answered to the case's reply address
            raw = corpus.simple(
                n,
                subject="Re: Vraag over mijn terras",
                message_id=f"<chain-{n}@relay.example>",
                to=reply_address(mailbox.address, number),
            )
        else:  # a relay rewrote everything; only the token in the subject is left
            raw = corpus.simple(
                n,
                subject="Re: " + subject_with_token("Vraag over mijn terras", number),
                message_id=f"<chain-{n}@other-relay.example>",
            )
        ids.append(f"<chain-{n}@example.org>")
        replies.append(raw)
    dovecot.append(*replies)

    poll_mailbox(mailbox)

    assert Case.objects.count() == 1
    mails = list(IncomingMail.objects.order_by("sent_at"))
    assert len(mails) == 10
    assert {m.case_id for m in mails} == {case.pk}
    assert [m.route for m in mails] == ["rule:Vragen"] + [
        {1: "message-id", 2: "plus-address", 0: "subject-token"}[n % 3] for n in range(1, 10)
    ]
    # Each reply is a note on the case and an inbound e-mail contact of the case.
    assert CaseNote.objects.filter(case=case).count() == 9
    assert all(m.contact_moment and m.contact_moment.case_id == case.pk for m in mails)
    assert all(m.party == an for m in mails)
