"""The MAGDA client: build the message, sign it (when a signer is configured), post it, verify the
answer's signature (when MAGDA's certificate is configured), read the answer. The same code talks
to MAGDA and to the demo service; only the endpoint differs.

Call it only through `balie.authentic_sources.consultations.consult`, which checks the purpose
and logs the call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from . import messages
from .messages import (
    EnterpriseAnswer,
    MessageError,
    PersonAnswer,
    RegistrationAnswer,
    Reply,
    RequestContext,
    ServiceSpec,
    Uitzondering,
)
from .signing import Signer, Verifier, configured_signer, configured_verifier
from .transport import Endpoint, TransportError, post


class MagdaException(Exception):
    """MAGDA answered, with one or more errors (Uitzonderingen of type FOUT) instead of data."""

    def __init__(self, exceptions: list[Uitzondering]) -> None:
        super().__init__(", ".join(e.code for e in exceptions))
        self.exceptions = exceptions

    @property
    def code(self) -> str:
        return self.exceptions[0].code if self.exceptions else ""


@dataclass(frozen=True)
class MagdaClient:
    endpoint: Endpoint
    signer: Signer | None = None
    verifier: Verifier | None = None  # raises signing.SignatureError for an answer not signed right

    def _call(self, spec: ServiceSpec, context: RequestContext, envelope: bytes) -> Reply:
        if self.signer is not None:
            envelope = self.signer(envelope)
        root = post(self.endpoint, spec.path, envelope, check=self.verifier)
        try:
            reply = messages.parse_reply(root)
        except MessageError as error:
            raise TransportError(str(error)) from None
        if reply.errors:
            raise MagdaException(reply.errors)
        if reply.reference and reply.reference != context.reference:
            raise TransportError("answer carries another reference")
        if reply.content is None:
            raise TransportError("answer without content")
        return reply

    def geef_persoon(self, context: RequestContext, *, insz: str) -> PersonAnswer:
        envelope = messages.build_geef_persoon(context, insz=insz)
        reply = self._call(messages.GEEF_PERSOON, context, envelope)
        try:
            answer = messages.parse_person(reply)
        except MessageError as error:
            raise TransportError(str(error)) from None
        if answer.insz != insz:
            raise TransportError("answer about another INSZ")
        return answer

    def registreer_inschrijving(
        self, context: RequestContext, *, insz: str, period_start: dt.date, period_end: dt.date
    ) -> RegistrationAnswer:
        envelope = messages.build_registreer_inschrijving(
            context, insz=insz, period_start=period_start, period_end=period_end
        )
        answer = messages.parse_registration(self._call(messages.REGISTREER_INSCHRIJVING, context, envelope))
        if not answer.succeeded:
            raise TransportError("registration not confirmed")
        return answer

    def geef_onderneming(self, context: RequestContext, *, enterprise_number: str) -> EnterpriseAnswer:
        envelope = messages.build_geef_onderneming(context, enterprise_number=enterprise_number)
        reply = self._call(messages.GEEF_ONDERNEMING, context, envelope)
        try:
            answer = messages.parse_enterprise(reply)
        except MessageError as error:
            raise TransportError(str(error)) from None
        if answer.enterprise_number != enterprise_number:
            raise TransportError("answer about another enterprise")
        return answer


def magda_enabled() -> bool:
    """False when BALIE_MAGDA_URL is "off": Balie is not connected to MAGDA (no fetching)."""
    return str(settings.BALIE_MAGDA_URL).strip().lower() != "off"


def client_from_settings() -> MagdaClient:
    """MAGDA at BALIE_MAGDA_URL with the configured certificates, signing with BALIE_MAGDA_SIGNER or
    BALIE_MAGDA_SIGN_KEY/_CERT and checking answers against BALIE_MAGDA_SERVER_CERT (each when set);
    the demo service on loopback (started in this process when needed) when no URL is set.
    Raises signing.SigningConfigurationError when a key or certificate cannot be read."""
    url: str = settings.BALIE_MAGDA_URL
    if not url:
        from .demo import ensure_demo_service

        url = ensure_demo_service().url
    endpoint = Endpoint(
        base_url=url,
        timeout=settings.BALIE_MAGDA_TIMEOUT,
        cert_file=settings.BALIE_MAGDA_CERT,
        key_file=settings.BALIE_MAGDA_KEY,
        ca_file=settings.BALIE_MAGDA_CA,
    )
    return MagdaClient(endpoint=endpoint, signer=configured_signer(), verifier=configured_verifier())
