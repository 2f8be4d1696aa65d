"""The one way Balie calls an authentic source: `consult`.

It refuses to call without an active legal purpose, and writes exactly one `Consultation` row per
call: before the request leaves (so a crash mid-call still leaves a trace) and completed with the
outcome: answered, a MAGDA exception, a time-out, a SOAP Fault or a connection error.

The row is written in a transaction of its own (`atomic(durable=True)`), never inside the caller's:
a business transaction that rolls back afterwards cannot take the log row with it, and a call
attempted inside a business transaction is refused before anything is sent (a MAGDA call waits
up to the time-out; a database transaction must not, and on SQLite it would hold the database).
So callers fetch first, then apply in their own transaction.

Logs (one line per call) carry the service, the reference, the outcome and the duration; never
the national number, the enterprise number or anything the source answered.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.audit.actions import Actor, access_log_cutoff
from balie.parties.models import Party

from .magda import messages
from .magda.client import MagdaClient, MagdaException, client_from_settings, magda_enabled
from .magda.messages import EnterpriseAnswer, PersonAnswer, RegistrationAnswer
from .magda.signing import WSS_FAULT_CODES, SignatureError, SigningConfigurationError
from .magda.transport import MagdaFault, MagdaTimeout, TransportError
from .models.consultations import Consultation, ConsultationOutcome, LegalPurpose, MagdaService

APPLICATION = "Balie"
CONSULTATION_RETENTION_YEARS = 10

logger = logging.getLogger("balie.magda")

Answer = TypeVar("Answer", PersonAnswer, EnterpriseAnswer, RegistrationAnswer)

PERSON_SERVICES = {MagdaService.GEEF_PERSOON, MagdaService.REGISTREER_INSCHRIJVING}

NOT_FOUND_CODES = {"30001", "30101"}
INVALID_NUMBER_CODES = {"20002"}
NOT_AUTHORISED_CODES = {"13001", "40006"}


class ConsultationError(Exception):
    """The source gave no data. `message` says why, in Dutch, for the employee; the consultation
    row records the outcome and code."""

    def __init__(
        self, message: str, *, outcome: str, code: str = "", reference: uuid.UUID | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.outcome = outcome
        self.code = code
        self.reference = reference


@dataclass(frozen=True)
class Consulted(Generic[Answer]):
    answer: Answer
    consultation: Consultation


def active_purposes() -> QuerySet[LegalPurpose]:
    return LegalPurpose.objects.filter(active=True).order_by("description", "id")


def check_purpose(purpose: LegalPurpose | None) -> LegalPurpose:
    if purpose is None:
        raise ValidationError({"purpose": _("Kies het doel van de raadpleging: zonder doel geen opvraging.")})
    if not purpose.active:
        raise ValidationError({"purpose": _("Dit doel is niet meer actief. Kies een ander doel.")})
    return purpose


def _subject_key(service: str, party: Party) -> str:
    if service in PERSON_SERVICES:
        if not party.is_person or not party.national_number:
            raise ValidationError(_("Deze klant heeft geen rijksregisternummer."))
        return party.national_number
    if party.is_person or not party.enterprise_number:
        raise ValidationError(_("Deze klant heeft geen ondernemingsnummer."))
    return party.enterprise_number


def explain_exception(service: str, error: MagdaException) -> str:
    """What a MAGDA exception means, for the employee."""
    code = error.code
    first = error.exceptions[0] if error.exceptions else None
    if code in INVALID_NUMBER_CODES:
        return _(
            "Het Rijksregister weigert dit rijksregisternummer: het is ongeldig (code %(code)s). "
            "Controleer het nummer bij de klant."
        ) % {"code": code}
    if code in NOT_FOUND_CODES:
        if service == MagdaService.GEEF_ONDERNEMING:
            return _("De KBO kent geen onderneming met dit ondernemingsnummer (code %(code)s).") % {
                "code": code
            }
        return _("Het Rijksregister kent geen persoon met dit rijksregisternummer (code %(code)s).") % {
            "code": code
        }
    if code in NOT_AUTHORISED_CODES:
        return _(
            "Balie heeft geen machtiging voor deze gegevens in deze hoedanigheid (code %(code)s). "
            "Kies een ander doel of vraag het na bij de informatieveiligheidsconsulent."
        ) % {"code": code}
    return _("MAGDA antwoordde met een fout (code %(code)s: %(diagnosis)s).") % {
        "code": code,
        "diagnosis": (first.diagnosis if first else "")[:200] or _("geen omschrijving"),
    }


def consult(
    *,
    service: str,
    party: Party,
    purpose: LegalPurpose | None,
    by: Actor | None,
    client: MagdaClient | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> Consulted[Any]:
    """Call MAGDA's `service` about `party` for `purpose`, logging the call.

    Returns the answer with its consultation row; raises ValidationError when it may not call
    (no or an inactive purpose, no number) and ConsultationError when the source gave no data.
    Must not be called inside a transaction (RuntimeError, before anything is sent).
    """
    purpose = check_purpose(purpose)
    if not magda_enabled():
        raise ValidationError(_("Balie is niet aangesloten op MAGDA (BALIE_MAGDA_URL=off)."))
    spec = messages.SERVICES[service]
    key = _subject_key(service, party)
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.create(
            application=APPLICATION,
            service=spec.name,
            service_version=spec.version,
            actor_uuid=by.uuid if by else None,
            actor_label=by.audit_label() if by else "systeem",
            subject_uuid=party.uuid,
            subject_type=party.kind,
            purpose_code=purpose.capacity_code,
            purpose_label=purpose.description,
        )
    context = messages.RequestContext(
        sender_id=settings.BALIE_MAGDA_SENDER_ID,
        reference=str(consultation.reference),
        capacity_code=purpose.capacity_code,
        user=str(by.uuid) if by else "",
    )
    started = time.monotonic()
    outcome, code = ConsultationOutcome.ERROR, ""
    failure: ConsultationError | None = None
    try:
        client = client or client_from_settings()
        answer: Any
        if service == MagdaService.GEEF_PERSOON:
            answer = client.geef_persoon(context, insz=key)
        elif service == MagdaService.REGISTREER_INSCHRIJVING:
            start, end = period or (timezone.localdate(), timezone.localdate() + dt.timedelta(days=365))
            answer = client.registreer_inschrijving(context, insz=key, period_start=start, period_end=end)
        else:
            answer = client.geef_onderneming(context, enterprise_number=key)
        outcome = ConsultationOutcome.OK
        code = answer.warnings[0].code if answer.warnings else ""
    except MagdaException as error:
        outcome, code = ConsultationOutcome.EXCEPTION, error.code
        failure = ConsultationError(explain_exception(service, error), outcome=outcome, code=code)
    except SignatureError:  # the answer's WS-Security signature: missing, wrong, untrusted, expired
        outcome, code = ConsultationOutcome.FAULT, "signature"
        failure = ConsultationError(
            _(
                "Het antwoord van MAGDA draagt geen geldige handtekening. Balie heeft het niet gebruikt "
                "en niets aan de klant gewijzigd. Probeer het later opnieuw; blijft het, meld het dan "
                "aan de beheerder."
            ),
            outcome=outcome,
            code=code,
        )
    except SigningConfigurationError:
        outcome, code = ConsultationOutcome.ERROR, "signing"
        failure = ConsultationError(
            _(
                "Balie kan het bericht aan MAGDA niet ondertekenen of het antwoord niet controleren: een "
                "sleutel of certificaat ontbreekt, is onleesbaar of hoort niet bij het andere. Meld dit "
                "aan de beheerder."
            ),
            outcome=outcome,
            code=code,
        )
    except MagdaTimeout:
        outcome = ConsultationOutcome.TIMEOUT
        failure = ConsultationError(
            _("MAGDA antwoordde niet binnen %(seconds)s seconden. Probeer het later opnieuw.")
            % {"seconds": f"{settings.BALIE_MAGDA_TIMEOUT:g}"},
            outcome=outcome,
        )
    except MagdaFault as error:
        outcome, code = ConsultationOutcome.FAULT, error.fault.code[:16]
        security_code = error.fault.code.rsplit(":", 1)[-1]
        if security_code in WSS_FAULT_CODES:  # MAGDA refused Balie's signature
            code = security_code[:16]
            failure = ConsultationError(
                _(
                    "MAGDA weigert het bericht van Balie: de handtekening ontbreekt, klopt niet of is "
                    "verlopen (code %(code)s). Meld dit aan de beheerder (ondertekeningssleutel en "
                    "-certificaat, klok van de server)."
                )
                % {"code": security_code},
                outcome=outcome,
                code=code,
            )
        else:
            failure = ConsultationError(
                _("MAGDA meldt een technische fout (SOAP-fout). Probeer het later opnieuw."), outcome=outcome
            )
    except TransportError:
        failure = ConsultationError(
            _("MAGDA is niet bereikbaar of gaf een onleesbaar antwoord. Probeer het later opnieuw."),
            outcome=outcome,
        )
    finally:
        elapsed = round((time.monotonic() - started) * 1000)
        with transaction.atomic(durable=True):
            Consultation.objects.filter(pk=consultation.pk).update(
                outcome=outcome, exception_code=code, duration_ms=elapsed
            )
        consultation.outcome, consultation.exception_code, consultation.duration_ms = outcome, code, elapsed
        logger.info(
            "magda call",
            extra={
                "service": spec.label,
                "reference": str(consultation.reference),
                "consultation": consultation.pk,
                "outcome": outcome,
                "code": code,
                "ms": elapsed,
            },
        )
    if failure is not None:
        failure.reference = consultation.reference
        raise failure
    return Consulted(answer=answer, consultation=consultation)


# -- reading and keeping the log -------------------------------------------------------------------


def search_consultations(
    *,
    subject_uuid: uuid.UUID | None = None,
    actor_uuid: uuid.UUID | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    service: str = "",
    purpose_code: str = "",
) -> QuerySet[Consultation]:
    """The consultation log filtered, newest first. Visibility is the caller's job (privacy officer)."""
    rows = Consultation.objects.all()
    if subject_uuid:
        rows = rows.filter(subject_uuid=subject_uuid)
    if actor_uuid:
        rows = rows.filter(actor_uuid=actor_uuid)
    if since:
        rows = rows.filter(at__gte=since)
    if until:
        rows = rows.filter(at__lt=until)
    if service:
        rows = rows.filter(service=service)
    if purpose_code:
        rows = rows.filter(purpose_code=purpose_code)
    return rows.order_by("-at", "-id")


def purge_expired_consultations(*, now: dt.datetime | None = None, batch_size: int = 5000) -> int:
    """Delete consultations older than ten years, in batches; returns how many."""
    cutoff = access_log_cutoff(now)  # the same ten years as the personal-data access log
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                Consultation.objects.filter(at__lt=cutoff)
                .order_by("id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                return total
            deleted, _counts = Consultation.objects.filter(id__in=ids).delete()
            total += deleted
