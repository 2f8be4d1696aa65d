"""An outgoing item sent to the addressee's eBox: the outbox publishes it at the demo eBox over
HTTP (multipart POST with a bearer token and an idempotency key); the dispatch is sent and
delivered with the eBox's message id. A publication whose answer was lost is retried with the
same key and answered 409: it counts as sent, and the eBox holds it once."""

from __future__ import annotations

import pytest

from balie.core.models import OutboxMessage, OutboxState
from balie.correspondence.dispatch import dispatch_item, resend_dispatch
from balie.correspondence.models import DispatchState, PostStatus
from balie.correspondence.models_dispatch import Envelope

from .helpers import ENTERPRISE, INSZ, deliver, outgoing_letter

pytestmark = pytest.mark.django_db


def test_the_letter_lands_in_the_citizen_s_ebox(letter, handler, demo_ebox):
    dispatch = dispatch_item(item=letter, channel="ebox", by=handler)
    envelope = Envelope.objects.get(dispatch=dispatch)
    assert (envelope.ebox_type, envelope.ebox_identifier) == ("citizen", INSZ)
    assert dispatch.address == "eBox van burger 85.07.30-033.28"

    assert deliver().delivered == 1

    [message] = demo_ebox.messages
    assert message.recipient == {"eboxType": "citizen", "ssin": INSZ}
    assert message.sender == {"eboxType": "enterprise", "enterpriseNumber": "0212645081"}
    assert message.subject == {"nl": f"Beslissing omgevingsvergunning (ons kenmerk {letter.number})"}
    assert (message.sender_application_id, message.message_type_id) == (
        "balie.zonnedaal.be",
        "GemeentelijkeBrief",
    )
    assert message.idempotency_key == str(envelope.idempotency_key)
    assert message.reply_authorized is False
    [file] = message.files
    assert (file.part, file.filename, file.content_type, file.main, file.signed) == (
        "upfile1",
        f"{letter.number}.pdf",
        "application/pdf",
        True,
        False,
    )
    version = letter.documents.get(role="letter").document.current_version
    assert file.data == version.file.open("rb").read()

    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert (dispatch.state, dispatch.external_id) == (DispatchState.DELIVERED, message.id)
    assert dispatch.sent_at == dispatch.delivered_at
    assert dispatch.detail == "Gepubliceerd in de eBox."
    assert letter.status == PostStatus.SENT


def test_an_organisation_gets_it_in_its_enterprise_ebox(handler, company, demo_ebox):
    item = outgoing_letter(handler, company, subject="Vergunning terras")

    dispatch_item(item=item, channel="ebox", by=handler)
    deliver()

    [message] = demo_ebox.messages
    assert message.recipient == {"eboxType": "enterprise", "enterpriseNumber": ENTERPRISE}


def test_a_lost_answer_is_retried_with_the_same_key_and_published_once(letter, handler, demo_ebox):
    demo_ebox.configure(lose_answers=1)
    dispatch = dispatch_item(item=letter, channel="ebox", by=handler)

    assert deliver().retrying == 1  # kept by the eBox, but Balie never heard
    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.QUEUED
    assert len(demo_ebox.messages) == 1

    assert deliver(minutes_later=2).delivered == 1  # 409: it was there already

    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.DELIVERED
    assert dispatch.detail == "De eBox had dit bericht al (een eerdere poging kwam aan, het antwoord niet)."
    assert len(demo_ebox.messages) == 1


def test_the_token_is_reused_and_asked_again_when_the_ebox_no_longer_knows_it(
    handler, citizen_party, demo_ebox
):
    first, second, third = (outgoing_letter(handler, citizen_party, subject=f"Brief {n}") for n in (1, 2, 3))
    dispatch_item(item=first, channel="ebox", by=handler)
    dispatch_item(item=second, channel="ebox", by=handler)
    assert deliver().delivered == 2
    assert demo_ebox.tokens_issued == 1

    demo_ebox.revoke_tokens()
    dispatch_item(item=third, channel="ebox", by=handler)
    assert deliver().delivered == 1

    assert demo_ebox.tokens_issued == 2
    assert len(demo_ebox.messages) == 3


def test_an_ebox_that_is_down_is_tried_again(letter, handler, demo_ebox):
    demo_ebox.configure(fail_status=503)
    dispatch = dispatch_item(item=letter, channel="ebox", by=handler)

    assert deliver().retrying == 1
    message = OutboxMessage.objects.get(pk=dispatch.envelope.outbox_message_id)
    assert message.last_error == "De eBox gaf een fout (HTTP 503); Balie probeert het later opnieuw."

    demo_ebox.configure()
    assert deliver(minutes_later=2).delivered == 1
    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.DELIVERED


def test_a_message_the_ebox_refuses_fails_at_once_and_a_resend_keeps_the_key(
    letter, handler, demo_ebox, settings
):
    settings.BALIE_EBOX_MESSAGE_TYPE_ID = ""  # the eBox refuses a message without its type
    dispatch = dispatch_item(item=letter, channel="ebox", by=handler)

    assert deliver().failed == 1

    dispatch.refresh_from_db()
    letter.refresh_from_db()
    assert dispatch.state == DispatchState.FAILED
    assert dispatch.detail == "De eBox weigerde het bericht (HTTP 400): 'messageTypeId' is missing."
    assert letter.status == PostStatus.REGISTERED
    assert OutboxMessage.objects.get(pk=dispatch.envelope.outbox_message_id).state == OutboxState.FAILED
    assert demo_ebox.messages == []

    settings.BALIE_EBOX_MESSAGE_TYPE_ID = "GemeentelijkeBrief"
    again = resend_dispatch(dispatch=dispatch, by=handler)
    assert deliver().delivered == 1

    again.refresh_from_db()
    assert again.state == DispatchState.DELIVERED
    assert again.envelope.resend_of == dispatch
    assert again.envelope.idempotency_key == dispatch.envelope.idempotency_key
    assert [m.idempotency_key for m in demo_ebox.messages] == [str(dispatch.envelope.idempotency_key)]


def test_wrong_credentials_fail_the_dispatch_with_a_plain_reason(letter, handler, demo_ebox, settings):
    settings.BALIE_EBOX_CLIENT_SECRET = "fout"

    dispatch = dispatch_item(item=letter, channel="ebox", by=handler)
    assert deliver().failed == 1

    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.FAILED
    assert dispatch.detail == "De eBox gaf Balie geen toegangstoken (HTTP 401)."
