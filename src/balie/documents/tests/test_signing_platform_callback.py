"""The platform's side of things, one at a time: the callback (its token, its idempotency, what it
may not do), a signed file that does not hold up, a platform that is down, withdrawing, and the
adapter's own idempotency."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from balie.core.models import OutboxMessage, OutboxState
from balie.core.outbox import deliver_due
from balie.documents.adapters.signing_platform import HttpSigningPlatform, PlatformError, PlatformSigner
from balie.documents.models import DocumentVersion, SigningRequest, SigningState
from balie.documents.signing.actions import request_signing, withdraw
from balie.documents.signing.platform import callback_token

from .platform_fixtures import wait_for
from .signing_fixtures import letter_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_platform(platform, platform_procedure, handler, letter) -> SigningRequest:
    """A request uploaded to the platform, which signed it (its own callback found nobody)."""
    platform.behaviour.auto_sign = False
    platform.behaviour.callback_attempts = 1
    request = request_signing(document=letter, procedure=platform_procedure, by=handler)
    assert deliver_due().delivered == 1
    request.refresh_from_db()
    return request


def _sign_on_platform(platform, request: SigningRequest) -> None:
    platform.sign_package(request.platform_reference)
    assert platform.packages[request.platform_reference].status == "signed"


def _call_back(request: SigningRequest, body: dict | bytes, *, token: str | None = None):
    token = token if token is not None else callback_token(request.uuid)
    url = f"/api/ondertekening/platform/{request.uuid}?token={token}"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Client().post(url, data=data, content_type="application/json", secure=True)


def _downloads() -> int:
    return OutboxMessage.objects.filter(payload__action="download").count()


def test_a_signed_callback_fetches_the_file_once_however_often_it_comes(platform, on_platform, letter):
    _sign_on_platform(platform, on_platform)
    body = {"id": on_platform.platform_reference, "status": "signed", "reference": str(on_platform.uuid)}
    first = _call_back(on_platform, body)
    second = _call_back(on_platform, body)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == {"state": "platform"}
    assert _downloads() == 1
    assert deliver_due().delivered == 1
    assert SigningRequest.objects.get(pk=on_platform.pk).state == SigningState.SIGNED
    again = _call_back(on_platform, body)
    assert (again.status_code, again.json()) == (200, {"state": "signed"})
    assert _downloads() == 1
    letter.refresh_from_db()
    assert letter.current_version.number == 2


@pytest.mark.parametrize("token", ["", "0" * 64, None], ids=["none", "wrong", "of-another-request"])
def test_a_callback_without_the_right_token_is_not_found(platform, on_platform, token):
    if token is None:
        token = callback_token(uuid.uuid4())
    response = _call_back(
        on_platform, {"id": on_platform.platform_reference, "status": "signed"}, token=token
    )
    assert response.status_code == 404
    assert _downloads() == 0
    assert SigningRequest.objects.get(pk=on_platform.pk).state == SigningState.PLATFORM


def test_a_callback_about_another_package_is_refused(platform, on_platform):
    response = _call_back(on_platform, {"id": "pkg-elders", "status": "signed"})
    assert (response.status_code, response.json()) == (
        409,
        {"error": "Dit pakket hoort niet bij deze aanvraag."},
    )
    assert _downloads() == 0


@pytest.mark.parametrize(
    "body", [b"niet json", b"[]", b'{"id": "x", "status": "misschien"}'], ids=["text", "list", "status"]
)
def test_a_malformed_callback_is_a_bad_request(platform, on_platform, body):
    assert _call_back(on_platform, body).status_code == 400
    assert SigningRequest.objects.get(pk=on_platform.pk).state == SigningState.PLATFORM


def test_the_callback_takes_only_post(platform, on_platform):
    url = f"/api/ondertekening/platform/{on_platform.uuid}?token={callback_token(on_platform.uuid)}"
    assert Client().get(url, secure=True).status_code == 405


def test_a_tampered_signed_file_fails_the_request_and_keeps_the_document(platform, on_platform, letter):
    platform.behaviour.tamper_next = True
    _sign_on_platform(platform, on_platform)
    _call_back(on_platform, {"id": on_platform.platform_reference, "status": "signed"})
    assert deliver_due().delivered == 1

    request = SigningRequest.objects.get(pk=on_platform.pk)
    assert request.state == SigningState.FAILED
    assert (
        request.events.get(kind="failed").text
        == "Het ondertekende bestand is niet het document dat verstuurd werd."
    )
    assert DocumentVersion.objects.filter(document=letter).count() == 1


def test_a_platform_that_is_down_is_tried_again(settings, platform, platform_procedure, handler, letter):
    settings.BALIE_SIGNING_PLATFORM_URL = "http://127.0.0.1:9"
    settings.BALIE_SIGNING_PLATFORM_TIMEOUT = 1.0
    request = request_signing(document=letter, procedure=platform_procedure, by=handler)
    run = deliver_due()
    assert (run.delivered, run.retrying) == (0, 1)
    message = OutboxMessage.objects.get(payload__action="upload")
    assert message.state == OutboxState.PENDING
    assert "Connection refused" in message.last_error or "refused" in message.last_error.lower()
    request.refresh_from_db()
    assert (request.state, request.platform_reference) == (SigningState.PLATFORM, "")


def test_without_a_platform_the_message_fails_visibly(
    settings, platform, platform_procedure, handler, letter
):
    settings.BALIE_SIGNING_PLATFORM_URL = "off"
    request_signing(document=letter, procedure=platform_procedure, by=handler)
    assert deliver_due().failed == 1
    message = OutboxMessage.objects.get(payload__action="upload")
    assert message.last_error == "no signing platform is configured (BALIE_SIGNING_PLATFORM_URL=off)"


def test_withdrawing_cancels_the_package(platform, on_platform, handler):
    withdraw(request=on_platform, by=handler, reason="Verkeerde versie")
    assert deliver_due().delivered == 1
    assert platform.packages[on_platform.platform_reference].status == "cancelled"
    assert SigningRequest.objects.get(pk=on_platform.pk).state == SigningState.WITHDRAWN
    # The platform's late "signed" changes nothing any more.
    response = _call_back(on_platform, {"id": on_platform.platform_reference, "status": "signed"})
    assert (response.status_code, response.json()) == (200, {"state": "withdrawn"})
    assert _downloads() == 0


def test_a_retried_upload_finds_the_same_package(platform):
    platform.behaviour.auto_sign = False
    client = HttpSigningPlatform(platform.url, api_key=platform.api_key)
    key = uuid.uuid4()
    arguments = {
        "reference": "r1",
        "title": "Brief",
        "filename": "brief.pdf",
        "content": letter_pdf(),
        "signers": [PlatformSigner(order=1, name="An", email="an@zonnedaal.be")],
        "callback_url": "http://127.0.0.1:9/terug",
        "idempotency_key": key,
    }
    first = client.upload(**arguments)
    assert client.upload(**arguments) == first
    assert client.upload(**(arguments | {"idempotency_key": uuid.uuid4()})) != first
    assert client.status(first).status == "pending"
    with pytest.raises(PlatformError) as early:
        client.download(first)
    assert (early.value.status, early.value.permanent) == (409, False)


def test_the_platform_refuses_a_wrong_key(platform):
    client = HttpSigningPlatform(platform.url, api_key="fout")
    with pytest.raises(PlatformError) as refused:
        client.status("pkg-x")
    assert (refused.value.status, refused.value.permanent) == (401, True)


def test_a_refusal_callback_ends_the_request(platform, on_platform):
    response = _call_back(
        on_platform, {"id": on_platform.platform_reference, "status": "refused", "reason": "Fout adres"}
    )
    assert response.status_code == 200
    request = SigningRequest.objects.get(pk=on_platform.pk)
    assert request.state == SigningState.REFUSED
    assert list(request.steps.values_list("state", "reason")) == [
        ("refused", "Fout adres"),
        ("refused", "Fout adres"),
    ]
    with pytest.raises(ValidationError):
        withdraw(request=request, by=request.requested_by)


def test_the_demo_platform_signs_and_calls_back_on_its_own(
    settings, platform, platform_procedure, handler, letter
):
    platform.behaviour.callback_attempts = 1  # nobody listens at the callback address here
    request = request_signing(document=letter, procedure=platform_procedure, by=handler)
    deliver_due()
    wait_for(lambda: len(platform.behaviour.callbacks) >= 1)
    assert platform.behaviour.callbacks[0][:2] == (
        SigningRequest.objects.get(pk=request.pk).platform_reference,
        "signed",
    )


def test_an_approved_request_goes_to_the_platform_through_the_outbox(
    platform, handler, lead, letter, directeur_function
):
    from balie.audit.models import ChangeRecord
    from balie.documents.models import SigningMethod
    from balie.documents.signing import procedures
    from balie.documents.signing.actions import approve

    procedure = procedures.create_procedure(
        name="Goedkeuren, dan het platform", approval_required=True, method=SigningMethod.PLATFORM, by=None
    )
    procedures.add_signer(procedure=procedure, function=directeur_function, by=None)
    request = request_signing(document=letter, procedure=procedure, by=handler)
    assert not OutboxMessage.objects.exists()  # nothing leaves before the approval

    approve(request=request, by=lead)
    request.refresh_from_db()
    assert request.state == SigningState.PLATFORM
    assert list(OutboxMessage.objects.values_list("payload", flat=True)) == [
        {"request": str(request.uuid), "action": "upload"}
    ]
    states = ChangeRecord.objects.filter(object_uuid=request.uuid, action="update").values_list(
        "changes", flat=True
    )
    assert list(states) == [{"state": ["approval", "platform"]}]
