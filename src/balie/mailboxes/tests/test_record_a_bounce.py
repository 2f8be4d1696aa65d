"""mail-in hands a bounce to `record_mail_bounce`: the mail Balie sent is marked bounced with the
reason, shown on the case's timeline; a post dispatch sent by e-mail is bounced in the post
register; a delay, an unknown Message-ID and a second notice change nothing."""

from __future__ import annotations

import pytest

from balie.audit.models import ChangeRecord
from balie.cases.queries import case_timeline
from balie.correspondence.dispatch import dispatch_item
from balie.correspondence.models import DispatchState, PostStatus
from balie.correspondence.tests.dispatch.helpers import outgoing_letter
from balie.mailboxes.actions import record_mail_bounce, send_mail
from balie.mailboxes.bounces import parse_dsn_bytes
from balie.mailboxes.models import SentMail, SentMailState
from balie.parties.actions import add_contact_point

from . import dsn_samples as samples
from .helpers import deliver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(smtp_inbox, mailbox, case, handler, applicant) -> SentMail:
    mail = send_mail(by=handler, to="an.peeters@example.be", subject="Uw aanvraag", body="Beste", case=case)
    deliver()
    mail.refresh_from_db()
    assert mail.state == SentMailState.SENT
    return mail


def test_a_bounce_marks_the_mail_and_shows_on_the_case(sent, case, handler):
    bounce = parse_dsn_bytes(samples.sample(samples.POSTFIX_RFC3464, sent.message_id))

    found = record_mail_bounce(bounce=bounce)

    assert found == sent
    sent.refresh_from_db()
    assert sent.state == SentMailState.BOUNCED
    assert (sent.bounce_recipient, sent.bounce_status) == ("an.peeters@example.be", "5.1.1")
    assert sent.detail.startswith("Niet afgeleverd aan an.peeters@example.be (5.1.1): 550 5.1.1")
    assert sent.bounced_at is not None
    [entry] = [e for e in case_timeline(handler, case) if getattr(e, "kind", "") == "sent_mail"]
    assert entry.badges == ("teruggekomen",)
    assert entry.summary == sent.detail
    changes = ChangeRecord.objects.filter(object_uuid=sent.uuid).order_by("id")
    assert changes.last().changes == {"state": ["sent", "bounced"]}


def test_a_second_notice_a_delay_and_an_unknown_id_change_nothing(sent):
    record_mail_bounce(bounce=parse_dsn_bytes(samples.sample(samples.EXIM_QUOTA, sent.message_id)))
    sent.refresh_from_db()
    first = (sent.state, sent.detail, sent.bounced_at)

    again = record_mail_bounce(bounce=parse_dsn_bytes(samples.sample(samples.QMAIL_FAILURE, sent.message_id)))
    sent.refresh_from_db()
    assert again == sent
    assert (sent.state, sent.detail, sent.bounced_at) == first

    assert (
        record_mail_bounce(bounce=parse_dsn_bytes(samples.sample(samples.POSTFIX_DELAY, sent.message_id)))
        is None
    )
    assert (
        record_mail_bounce(
            bounce=parse_dsn_bytes(samples.sample(samples.POSTFIX_RFC3464, "<onbekend@elders.be>"))
        )
        is None
    )


def test_a_delay_leaves_a_sent_mail_sent(sent):
    assert (
        record_mail_bounce(bounce=parse_dsn_bytes(samples.sample(samples.POSTFIX_DELAY, sent.message_id)))
        is None
    )
    sent.refresh_from_db()
    assert sent.state == SentMailState.SENT


def test_a_bounced_post_dispatch_is_found_through_correspondence(smtp_inbox, handler, applicant):
    add_contact_point(party=applicant, kind="email", value="an.peeters@voorbeeld.be", preferred=True, by=None)
    letter = outgoing_letter(handler, applicant)
    dispatch = dispatch_item(item=letter, channel="email", by=handler, email="an.peeters@voorbeeld.be")
    deliver()
    dispatch.refresh_from_db()
    message_id = dispatch.envelope.message_id

    found = record_mail_bounce(bounce=parse_dsn_bytes(samples.sample(samples.GMAIL_RFC3464, message_id)))

    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert found == dispatch
    assert dispatch.state == DispatchState.BOUNCED
    assert dispatch.detail.startswith("Niet afgeleverd aan jan.janssens.onbekend@gmail.com (5.1.1)")
    assert letter.status == PostStatus.REGISTERED
