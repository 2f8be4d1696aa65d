"""One item may go out several ways (the eBox and a paper copy, even after it was sent); a failed
dispatch is resent as a new dispatch to the same address with the same documents; a filed item
goes nowhere."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.correspondence.actions import change_status
from balie.correspondence.dispatch import dispatch_item, resend_dispatch
from balie.correspondence.models import Dispatch, DispatchState, PostStatus

from .helpers import deliver

pytestmark = pytest.mark.django_db


def test_the_ebox_and_a_registered_paper_copy(letter, handler, demo_ebox):
    ebox = dispatch_item(item=letter, channel="ebox", by=handler)
    deliver()
    letter.refresh_from_db()
    assert letter.status == PostStatus.SENT

    paper = dispatch_item(item=letter, channel="paper", by=handler, registered_mail=True)

    assert list(letter.dispatches.order_by("id")) == [ebox, paper]
    assert (paper.state, paper.registered_mail, paper.address) == (
        DispatchState.QUEUED,
        True,
        "Kerkstraat 12 bus 3, 2645 Zonnedaal",
    )
    letter.refresh_from_db()
    assert letter.status == PostStatus.SENT


def test_a_failed_mail_is_resent_to_the_same_address_with_a_message_id_of_its_own(
    letter, handler, smtp_inbox
):
    smtp_inbox.refuse.add("marc.claes@example.be")
    failed = dispatch_item(item=letter, channel="email", by=handler)
    deliver()
    failed.refresh_from_db()
    assert failed.state == DispatchState.FAILED

    smtp_inbox.refuse.clear()
    again = resend_dispatch(dispatch=failed, by=handler)
    deliver()

    again.refresh_from_db()
    assert (again.state, again.address, again.envelope.resend_of) == (
        DispatchState.SENT,
        failed.address,
        failed,
    )
    assert again.envelope.message_id != failed.envelope.message_id
    assert [d.version_id for d in again.sent_documents.all()] == [
        d.version_id for d in failed.sent_documents.all()
    ]
    [mail] = smtp_inbox.messages
    assert mail["Message-ID"] == again.envelope.message_id


def test_only_a_failed_dispatch_is_resent(letter, handler):
    queued = dispatch_item(item=letter, channel="paper", by=handler)

    with pytest.raises(ValidationError, match="Alleen een mislukte verzending"):
        resend_dispatch(dispatch=queued, by=handler)

    assert Dispatch.objects.count() == 1


def test_a_filed_item_is_not_sent(letter, handler):
    change_status(item=letter, status=PostStatus.FILED, by=handler, reason="Niet meer nodig")

    with pytest.raises(ValidationError, match="Dit poststuk is geklasseerd"):
        dispatch_item(item=letter, channel="paper", by=handler)

    assert Dispatch.objects.count() == 0
