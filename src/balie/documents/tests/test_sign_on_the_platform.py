"""End to end on the demo signing platform: the request goes out through the outbox, the platform
signs with pyHanko and calls Balie back over HTTP (Balie on a loopback port), Balie downloads the signed
file through the outbox, checks it and stores it as the document's new version."""

from __future__ import annotations

import pytest

from balie.core.models import OutboxMessage, OutboxState
from balie.core.outbox import deliver_due
from balie.documents.models import SigningRequest, SigningState, StepState
from balie.documents.signing.actions import read_version, request_signing
from balie.documents.signing.pades import validate_pdf

from .platform_fixtures import wait_for
from .signing_fixtures import pdfsig

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_letter_signed_on_the_platform_comes_back_as_a_new_version(
    settings, balie_server, platform, platform_procedure, handler, burgemeester, directeur, letter, tmp_path
):
    roots = tmp_path / "platform-root.pem"
    roots.write_bytes(platform.root.certificate_pem())
    settings.BALIE_SIGNING_TRUST_ROOTS = [str(roots)]
    original = read_version(letter.current_version)

    request = request_signing(document=letter, procedure=platform_procedure, by=handler)
    assert request.state == SigningState.PLATFORM
    [upload] = OutboxMessage.objects.filter(sender="documents.signing_platform")
    assert upload.payload == {"request": str(request.uuid), "action": "upload"}

    assert deliver_due().delivered == 1  # the upload
    [sent] = platform.behaviour.uploads
    assert [s["name"] for s in sent["signers"]] == ["Marc Verstraeten", "Katrien Lambrechts"]
    assert [s["function"] for s in sent["signers"]] == ["Burgemeester", "Algemeen directeur"]
    assert sent["reference"] == str(request.uuid)
    assert sent["callbackUrl"].startswith(f"{balie_server}/api/ondertekening/platform/{request.uuid}?token=")
    assert sent["idempotency_key"] == str(upload.idempotency_key)

    wait_for(lambda: any(answer == 200 for _id, _status, answer in platform.behaviour.callbacks))
    request.refresh_from_db()
    assert request.platform_reference == platform.behaviour.callbacks[0][0]
    assert deliver_due().delivered == 1  # the download

    request.refresh_from_db()
    letter.refresh_from_db()
    assert request.state == SigningState.SIGNED
    assert letter.current_version.number == 2
    assert request.signed_version == letter.current_version
    signed = read_version(letter.current_version)
    assert signed.startswith(original)
    assert [(r.signer, r.intact, r.valid, r.trusted) for r in validate_pdf(signed)] == [
        ("Marc Verstraeten", True, True, True),
        ("Katrien Lambrechts", True, True, True),
    ]
    assert pdfsig(signed, tmp_path).count("Signature Validation: Signature is Valid.") == 2
    assert list(request.steps.values_list("state", flat=True)) == [StepState.DONE, StepState.DONE]
    assert list(request.events.values_list("kind", flat=True)) == [
        "requested",
        "sent",
        "platform_signed",
        "signed",
    ]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.DELIVERED}


def test_a_refusal_on_the_platform_reaches_the_author(
    balie_server, platform, platform_procedure, handler, letter
):
    platform.behaviour.refuse_next = "De burgemeester tekent dit niet"
    request = request_signing(document=letter, procedure=platform_procedure, by=handler)
    deliver_due()
    wait_for(lambda: any(answer == 200 for _id, _status, answer in platform.behaviour.callbacks))

    request = SigningRequest.objects.get(pk=request.pk)
    assert request.state == SigningState.REFUSED
    assert request.events.get(kind="platform_refused").text == "De burgemeester tekent dit niet"
    letter.refresh_from_db()
    assert letter.current_version.number == 1
