"""The external signing platform seen from Balie: the outbox sender that uploads, downloads and
cancels, and the callback's authentication.

Every call to the platform is an outbox message (sender `documents.signing_platform`, one
destination per request so its messages stay in order), written in the transaction that made it
necessary and delivered with retries:

- `upload`: the PDF and its signers, with the message's idempotency key (a retry after a lost
  answer finds the same package) and the callback address;
- `download`: after the platform called back "signed": the signed file, checked and stored as a
  new version (`actions.store_platform_document`);
- `cancel`: the author withdrew the request.

The callback address carries a token of its own per request (an HMAC of the request's id with
the secret key): only the platform, which got the address, can call it, and a forged or repeated
call can do no more than make Balie fetch the file from the platform, with Balie's own key, and
check it.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from balie.core.models import OutboxMessage
from balie.core.outbox import DeliveryError, PermanentDeliveryError

from ..adapters.signing_platform import PlatformError, PlatformSigner, signing_platform
from ..models import SigningRequest, SigningState, StepKind, StepState
from .actions import read_version, record_platform_outcome, record_sent_to_platform, store_platform_document

logger = logging.getLogger("balie.signing.platform")

TOKEN_SALT = "balie.documents.signing.platform-callback"  # noqa: S105 - a salt, not a secret
CALLBACK_URL_NAME = "signing_platform_callback"


def callback_token(request_uuid: uuid.UUID | str) -> str:
    return salted_hmac(TOKEN_SALT, str(request_uuid), algorithm="sha256").hexdigest()


def callback_url(request: SigningRequest) -> str:
    base = str(getattr(settings, "BALIE_SIGNING_CALLBACK_URL", "") or "").strip().rstrip("/")
    if not base:
        raise PermanentDeliveryError(
            "BALIE_SIGNING_CALLBACK_URL is not set: the platform cannot call Balie back"
        )
    path = reverse(CALLBACK_URL_NAME, kwargs={"uuid": request.uuid})
    return f"{base}{path}?token={callback_token(request.uuid)}"


def request_for_callback(request_uuid: uuid.UUID, token: str) -> SigningRequest | None:
    """The request a callback is about, if its token is right (else None: not found)."""
    if not token or not constant_time_compare(token, callback_token(request_uuid)):
        return None
    return SigningRequest.objects.filter(uuid=request_uuid, method="platform").first()


def handle_callback(*, request: SigningRequest, body: dict[str, Any]) -> SigningRequest:
    """What the platform says: signed or refused (anything else is a ValueError)."""
    status = body.get("status")
    reference = str(body.get("id") or "")
    if status not in ("signed", "refused") or not reference:
        raise ValueError("a callback needs an id and a status signed or refused")
    return record_platform_outcome(
        request=request, reference=reference, signed=status == "signed", reason=str(body.get("reason") or "")
    )


def _signers(request: SigningRequest) -> list[PlatformSigner]:
    signers = []
    steps = request.steps.select_related("user", "function__holder").filter(
        kind=StepKind.SIGNATURE, state=StepState.WAITING
    )
    for order, step in enumerate(steps.order_by("position"), start=1):
        person = step.function.holder if step.function is not None else step.user
        if person is None:
            raise PermanentDeliveryError(f"step {step.position} has nobody to sign")
        signers.append(
            PlatformSigner(
                order=order,
                name=person.get_full_name() or person.username,
                email=person.email,
                function=step.function.name if step.function is not None else person.job_title,
            )
        )
    return signers


def send_to_signing_platform(message: OutboxMessage) -> None:
    """The outbox sender: upload, download or cancel, as the message says."""
    payload = message.payload
    request = (
        SigningRequest.objects.select_related("document", "version")
        .filter(uuid=payload.get("request"))
        .first()
    )
    if request is None:  # the document was destroyed meanwhile
        return
    action = payload.get("action")
    platform = signing_platform()
    if platform is None:
        raise PermanentDeliveryError("no signing platform is configured (BALIE_SIGNING_PLATFORM_URL=off)")
    try:
        if action == "upload":
            if request.state != SigningState.PLATFORM or request.platform_reference:
                return
            reference = platform.upload(
                reference=str(request.uuid),
                title=request.document.title,
                filename=request.version.download_name,
                content=read_version(request.version),
                signers=_signers(request),
                callback_url=callback_url(request),
                idempotency_key=message.idempotency_key,
            )
            record_sent_to_platform(request=request, reference=reference)
        elif action == "download":
            if request.state != SigningState.PLATFORM:
                return
            data = platform.download(str(payload.get("reference") or request.platform_reference))
            store_platform_document(request=request, data=data)
        elif action == "cancel":
            if request.platform_reference:
                platform.cancel(request.platform_reference)
        else:
            raise PermanentDeliveryError(f"unknown action {action!r}")
    except PlatformError as error:
        if error.permanent:
            raise PermanentDeliveryError(str(error)) from None
        raise DeliveryError(str(error)) from None
