"""Every change to a signing request: asking, approving, refusing, signing, withdrawing, and what
the external signing platform reports back.

Each is one transaction with an event in the request's history and a change record; a refused
action raises ValidationError with a Dutch message and changes nothing. Signing works on the PDF
before its transaction opens (pyHanko needs a moment, and on SQLite an open write transaction
holds the whole database): the signed file is written to storage first, inside
`discard_new_files_on_failure()`, then the transaction locks the request, checks again that it
is still this signer's turn and that the document did not change meanwhile, and stores the file
as the document's new version (documents.actions.create_version).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Role, User
from balie.accounts.permissions import acts_for_municipality, is_employee
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.outbox import write_message

from ..actions import check_file, create_version, discard_new_files_on_failure, write_file
from ..files import document_storage
from ..models import (
    OPEN_STATES,
    CertificateKind,
    Document,
    DocumentVersion,
    SigningEvent,
    SigningEventKind,
    SigningMethod,
    SigningProcedure,
    SigningRequest,
    SigningState,
    SigningStep,
    StepKind,
    StepState,
)
from ..queries import documents_for
from .credentials import credentials_for, municipality_configured
from .pades import PDF_TYPE, SignatureBlock, SignatureReport, read_pdf, sign_pdf, timestamper, validate_pdf
from .registries import tell_outcome
from .rules import Turn, approval_turn, signature_turn

logger = logging.getLogger("balie.signing")

REQUEST_FIELDS = ["document", "version", "procedure", "method", "state", "requested_by", "department"]
PLATFORM_SENDER = "documents.signing_platform"


# --- helpers -------------------------------------------------------------------------------------


def read_version(version: DocumentVersion) -> bytes:
    if not version.file.name:
        raise ValidationError(_("Het bestand van dit document kan niet gelezen worden."))
    try:
        with document_storage().open(version.file.name, "rb") as handle:
            return bytes(handle.read())
    except OSError:
        raise ValidationError(_("Het bestand van dit document kan niet gelezen worden.")) from None


def _visible(user: Any, document_id: int) -> bool:
    return documents_for(user).filter(pk=document_id).exists()


def _lock(request: SigningRequest, by: Any) -> SigningRequest:
    """The request under its row lock, if `by` may see it (else the same 'not found' as a read)."""
    locked = (
        SigningRequest.objects.select_for_update().select_related("document", "procedure").get(pk=request.pk)
    )
    if by is not None and not _visible(by, locked.document_id):
        raise ValidationError(_("Deze aanvraag bestaat niet of u mag ze niet zien."))
    return locked


def _event(
    request: SigningRequest,
    kind: str,
    *,
    by: User | None,
    text: str = "",
    on_behalf_of: User | None = None,
    function_name: str = "",
    version: DocumentVersion | None = None,
) -> SigningEvent:
    return SigningEvent.objects.create(
        request=request,
        kind=kind,
        by=by,
        on_behalf_of=on_behalf_of,
        function_name=function_name[:150],
        text=text[:1000],
        version=version,
    )


def _set_state(request: SigningRequest, state: str, *, by: User | None, reason: str = "") -> None:
    old = request.state
    request.state = state
    if state not in OPEN_STATES:
        request.finished_at = timezone.now()
    request.save()
    record_change(
        instance=request, action=ChangeAction.UPDATE, changes={"state": [old, state]}, by=by, reason=reason
    )
    if state not in OPEN_STATES:
        tell_outcome(request)


def _skip_waiting_steps(request: SigningRequest) -> None:
    SigningStep.objects.filter(request=request, state=StepState.WAITING).update(state=StepState.SKIPPED)


def _to_platform(request: SigningRequest) -> None:
    """Hand the request to the signing platform: a message in this transaction (the outbox sends
    it after commit, with retries). The caller moves the request to PLATFORM."""
    write_message(
        sender=PLATFORM_SENDER,
        destination=f"signing-platform:{request.uuid}",
        payload={"request": str(request.uuid), "action": "upload"},
    )


def _signer_person(step: SigningStep) -> User | None:
    return step.function.holder if step.function is not None else step.user


# --- asking ---------------------------------------------------------------------------------------


def _check_signers(
    procedure: SigningProcedure, document: Document, by: User, department_id: int | None
) -> list[str]:
    errors: list[str] = []
    signers = list(procedure.signers.select_related("user", "function__holder").order_by("position"))
    if not signers:
        errors.append(_("De procedure „%(name)s” heeft geen ondertekenaars.") % {"name": procedure.name})
    for signer in signers:
        person = signer.function.holder if signer.function is not None else signer.user
        if signer.function is not None and not signer.function.active:
            errors.append(
                _("De functie %(function)s is niet meer actief.") % {"function": signer.function.name}
            )
        elif person is None:
            errors.append(
                _("Niemand bekleedt de functie %(function)s: stel eerst in wie ze bekleedt.")
                % {"function": signer.function}
            )
        elif not is_employee(person):
            errors.append(_("%(name)s is geen actieve medewerker meer.") % {"name": person})
        elif document.confidential and person.department_id != document.department_id:
            errors.append(
                _(
                    "Dit document is vertrouwelijk voor %(department)s; %(name)s hoort niet bij die "
                    "dienst en kan het niet ondertekenen."
                )
                % {"department": document.department, "name": person}
            )
        if (
            procedure.method == SigningMethod.BALIE
            and signer.certificate == CertificateKind.MUNICIPALITY
            and not municipality_configured()
        ):
            errors.append(
                _(
                    "Er is geen certificaat van de gemeente ingesteld om mee te ondertekenen. Vraag de "
                    "ICT-dienst BALIE_SIGNING_PKCS12 in te stellen."
                )
            )
    if procedure.approval_required:
        if department_id is None:
            errors.append(_("Dit document hoort bij geen dienst: niemand kan het goedkeuren."))
        elif (
            not User.objects.filter(
                department_id=department_id, is_active=True, role_assignments__role=Role.TEAM_LEAD
            )
            .exclude(pk=by.pk)
            .exists()
        ):
            errors.append(_("Er is geen andere teamverantwoordelijke in deze dienst die kan goedkeuren."))
    return list(dict.fromkeys(errors))


def request_signing(
    *, document: Document, procedure: SigningProcedure, by: User, note: str = ""
) -> SigningRequest:
    """Send the document's current version (a PDF) for approval and signing by `procedure`."""
    if not acts_for_municipality(by):
        raise ValidationError(_("Alleen een medewerker kan om een handtekening vragen."))
    if not _visible(by, document.pk):
        raise ValidationError(_("Dit document bestaat niet of u mag het niet zien."))
    if not procedure.active:
        raise ValidationError({"procedure": _("Deze procedure is niet meer actief.")})
    document = Document.objects.select_related("current_version", "department").get(pk=document.pk)
    version = document.current_version
    if version is None or version.mime_type != PDF_TYPE:
        raise ValidationError(
            _("Alleen een PDF kan ondertekend worden. Bewaar eerst een PDF-versie van dit document.")
        )
    read_pdf(read_version(version))  # encrypted or broken: refused now, not at the last signer
    department_id = document.department_id or by.department_id
    errors = _check_signers(procedure, document, by, department_id)
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()[:500]
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.current_version_id != version.pk:
            raise ValidationError(_("Het document kreeg intussen een nieuwe versie; probeer opnieuw."))
        if SigningRequest.objects.filter(document=locked, state__in=OPEN_STATES).exists():
            raise ValidationError(_("Voor dit document loopt al een aanvraag tot ondertekening."))
        request = SigningRequest(
            document=locked,
            version=version,
            procedure=procedure,
            method=procedure.method,
            state=(
                SigningState.APPROVAL
                if procedure.approval_required
                else SigningState.PLATFORM
                if procedure.method == SigningMethod.PLATFORM
                else SigningState.SIGNING
            ),
            current_position=0 if procedure.approval_required else 1,
            requested_by=by,
            department_id=department_id,
            note=note,
        )
        request.full_clean(exclude=["document", "version", "procedure", "requested_by", "department"])
        request.save()
        steps = []
        if procedure.approval_required:
            steps.append(SigningStep(request=request, position=0, kind=StepKind.APPROVAL))
        for signer in procedure.signers.order_by("position"):
            steps.append(
                SigningStep(
                    request=request,
                    position=signer.position,
                    kind=StepKind.SIGNATURE,
                    user_id=signer.user_id,
                    function_id=signer.function_id,
                    certificate=signer.certificate,
                )
            )
        # The steps count from 1 after the approval, whatever gaps the procedure had.
        for position, step in enumerate([s for s in steps if s.kind == StepKind.SIGNATURE], start=1):
            step.position = position
        SigningStep.objects.bulk_create(steps)
        if request.state == SigningState.PLATFORM:
            _to_platform(request)
        _event(request, SigningEventKind.REQUESTED, by=by, text=note, version=version)
        record_creation(instance=request, fields=REQUEST_FIELDS, by=by)
    return request


# --- approving and refusing --------------------------------------------------------------------------


@transaction.atomic
def approve(*, request: SigningRequest, by: User, note: str = "") -> SigningRequest:
    """A team lead approves: the request moves on to its first signer (or to the platform)."""
    request = _lock(request, by)
    turn = approval_turn(request, by)
    _finish_step(turn, by=by, state=StepState.DONE, reason=note)
    request.current_position = turn.step.position + 1
    _event(request, SigningEventKind.APPROVED, by=by, text=note, function_name=turn.function_name)
    if request.method == SigningMethod.PLATFORM:
        _to_platform(request)
        _set_state(request, SigningState.PLATFORM, by=by)
    else:
        _set_state(request, SigningState.SIGNING, by=by)
    return request


@transaction.atomic
def refuse(*, request: SigningRequest, by: User, reason: str) -> SigningRequest:
    """The approver or the signer whose turn it is refuses, with a reason: the request goes back
    to its author, who may change the document and ask again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden: de aanvrager leest ze.")})
    request = _lock(request, by)
    turn = (
        approval_turn(request, by) if request.state == SigningState.APPROVAL else signature_turn(request, by)
    )
    _finish_step(turn, by=by, state=StepState.REFUSED, reason=reason)
    _skip_waiting_steps(request)
    _event(
        request,
        SigningEventKind.REFUSED,
        by=by,
        text=reason,
        on_behalf_of=turn.on_behalf_of,
        function_name=turn.function_name,
    )
    _set_state(request, SigningState.REFUSED, by=by, reason=reason)
    return request


def _finish_step(
    turn: Turn, *, by: User, state: str, reason: str = "", version: DocumentVersion | None = None
) -> None:
    step = turn.step
    step.state = state
    step.acted_by = by
    step.on_behalf_of = turn.on_behalf_of
    step.function_name = (turn.function_name or "")[:150]
    step.acted_at = timezone.now()
    step.reason = (reason or "")[:500]
    step.produced_version = version
    step.save()


@transaction.atomic
def withdraw(*, request: SigningRequest, by: User, reason: str = "") -> SigningRequest:
    """The author withdraws an open request (e.g. to change the document). A request on the
    signing platform is cancelled there too."""
    request = _lock(request, by)
    if not request.is_open:
        raise ValidationError(
            _("Deze aanvraag is niet meer open (ze is %(state)s).") % {"state": request.get_state_display()}
        )
    if request.requested_by_id != by.pk:
        raise ValidationError(_("Alleen wie de aanvraag deed, kan ze intrekken."))
    if request.state == SigningState.PLATFORM:
        write_message(
            sender=PLATFORM_SENDER,
            destination=f"signing-platform:{request.uuid}",
            payload={"request": str(request.uuid), "action": "cancel"},
        )
    _skip_waiting_steps(request)
    _event(request, SigningEventKind.WITHDRAWN, by=by, text=reason)
    _set_state(request, SigningState.WITHDRAWN, by=by, reason=reason)
    return request


# --- signing in Balie --------------------------------------------------------------------------------


def _source_version(request: SigningRequest) -> DocumentVersion:
    """What the next signer signs: the version the previous signer made, or the one asked for."""
    return request.signed_version or request.version


def _reports_ok(reports: Sequence[SignatureReport]) -> bool:
    return bool(reports) and all(report.ok for report in reports)


def sign(*, request: SigningRequest, by: User, password: str = "") -> SigningRequest:
    """The signer whose turn it is (or their substitute) signs the PDF: a PAdES signature with a
    visible block, stored as the document's new version. `password`: of a personal certificate."""
    if not _visible(by, request.document_id):
        raise ValidationError(_("Deze aanvraag bestaat niet of u mag ze niet zien."))
    request = SigningRequest.objects.select_related("document", "version", "signed_version").get(
        pk=request.pk
    )
    turn = signature_turn(request, by)
    source = _source_version(request)
    if request.document.current_version_id != source.pk:
        raise ValidationError(
            _(
                "Het document kreeg na de aanvraag een nieuwe versie. Trek de aanvraag in en vraag "
                "opnieuw om een handtekening voor de nieuwe versie."
            )
        )
    credentials = credentials_for(turn.step.certificate, user=by, password=password)
    from django.conf import settings

    block = SignatureBlock(
        name=by.get_full_name() or by.username,
        function=turn.function_name,
        on_behalf_of=(_("namens %(name)s") % {"name": turn.on_behalf_of}) if turn.on_behalf_of else "",
        location=settings.BALIE_MUNICIPALITY_NAME,
    )
    signed = sign_pdf(
        read_version(source),
        credentials=credentials,
        block=block,
        reason=str(_("Ondertekend in Balie")),
        time_stamper=timestamper(),
    )
    reports = validate_pdf(signed)
    if not _reports_ok(reports):  # never store a signature that does not validate
        logger.error("a signature made by balie does not validate", extra={"request": str(request.uuid)})
        raise ValidationError(
            _("De handtekening kon niet gecontroleerd worden; het document is niet gewijzigd.")
        )
    upload = ContentFile(signed, name=source.original_filename)
    check_file(upload)
    with discard_new_files_on_failure():
        stored = write_file(upload, mime_type=PDF_TYPE)
        with transaction.atomic():
            locked = _lock(request, by)
            turn = signature_turn(locked, by)  # still their turn, now under the lock
            document = Document.objects.select_for_update().get(pk=locked.document_id)
            if document.current_version_id != _source_version(locked).pk:
                raise ValidationError(
                    _("Het document kreeg intussen een nieuwe versie; er werd niets ondertekend.")
                )
            version = create_version(document=document, stored=stored, by=by)
            _finish_step(turn, by=by, state=StepState.DONE, version=version)
            locked.signed_version = version
            locked.current_position = turn.step.position + 1
            locked.validation = [report.as_dict() for report in reports]
            locked.validated_at = timezone.now()
            _event(
                locked,
                SigningEventKind.SIGNED,
                by=by,
                on_behalf_of=turn.on_behalf_of,
                function_name=turn.function_name,
                version=version,
            )
            more = SigningStep.objects.filter(request=locked, state=StepState.WAITING).exists()
            if more:
                locked.save()
                record_change(
                    instance=locked,
                    action=ChangeAction.UPDATE,
                    changes={"signatures": [turn.step.position - 1, turn.step.position]},
                    by=by,
                )
            else:
                _set_state(locked, SigningState.SIGNED, by=by)
    return locked


@transaction.atomic
def revalidate(*, request: SigningRequest, by: User) -> list[SignatureReport]:
    """Validate the signatures of the request's signed version again (trust roots may have
    changed) and keep the result."""
    request = _lock(request, by)
    if request.signed_version is None:
        raise ValidationError(_("Er is nog geen ondertekende versie om te valideren."))
    reports = validate_pdf(read_version(request.signed_version))
    request.validation = [report.as_dict() for report in reports]
    request.validated_at = timezone.now()
    request.save(update_fields=["validation", "validated_at", "updated_at"])
    from .pades import describe

    _event(request, SigningEventKind.VALIDATED, by=by, text=describe(reports), version=request.signed_version)
    return reports


# --- the signing platform ----------------------------------------------------------------------------


@transaction.atomic
def record_sent_to_platform(*, request: SigningRequest, reference: str) -> None:
    """The platform took the document (called by the outbox sender)."""
    request = SigningRequest.objects.select_for_update().get(pk=request.pk)
    if request.platform_reference == reference:
        return
    request.platform_reference = reference[:200]
    request.save(update_fields=["platform_reference", "updated_at"])
    _event(
        request,
        SigningEventKind.SENT_TO_PLATFORM,
        by=None,
        text=_("Referentie op het platform: %(reference)s") % {"reference": reference},
    )


@transaction.atomic
def record_platform_outcome(
    *, request: SigningRequest, reference: str, signed: bool, reason: str = ""
) -> SigningRequest:
    """What the platform's callback says. Idempotent: a callback repeated (or about a request
    that was withdrawn meanwhile) changes nothing. A signed package is fetched by the outbox."""
    request = SigningRequest.objects.select_for_update().get(pk=request.pk)
    if request.platform_reference and reference != request.platform_reference:
        raise ValidationError(_("Dit pakket hoort niet bij deze aanvraag."))
    if request.state != SigningState.PLATFORM:
        return request
    if signed:
        if request.events.filter(kind=SigningEventKind.PLATFORM_SIGNED).exists():
            return request
        _event(request, SigningEventKind.PLATFORM_SIGNED, by=None)
        write_message(
            sender=PLATFORM_SENDER,
            destination=f"signing-platform:{request.uuid}",
            payload={"request": str(request.uuid), "action": "download", "reference": reference},
        )
        return request
    reason = (reason or "").strip()[:500] or str(_("Geweigerd op het ondertekenplatform."))
    SigningStep.objects.filter(request=request, state=StepState.WAITING).update(
        state=StepState.REFUSED, reason=reason, acted_at=timezone.now()
    )
    _event(request, SigningEventKind.PLATFORM_REFUSED, by=None, text=reason)
    _set_state(request, SigningState.REFUSED, by=None, reason=reason)
    return request


def _check_platform_file(
    request: SigningRequest, data: bytes, steps: list[SigningStep]
) -> tuple[str, list[SignatureReport], int]:
    """(what is wrong or "", the signatures' reports, how many signatures the sent PDF had)."""
    original = read_version(request.version)
    try:
        reports = validate_pdf(data)
    except ValidationError as error:
        return " ".join(error.messages), [], 0
    before = len(validate_pdf(original))
    if not data.startswith(original):
        return str(_("Het ondertekende bestand is niet het document dat verstuurd werd.")), reports, before
    if len(reports) - before < len(steps):
        return (
            str(
                _(
                    "Het ondertekende bestand heeft %(found)s nieuwe handtekening(en); er werden er "
                    "%(needed)s verwacht."
                )
                % {"found": len(reports) - before, "needed": len(steps)}
            ),
            reports,
            before,
        )
    if not _reports_ok(reports):
        return str(_("Een handtekening in het ondertekende bestand is ongeldig.")), reports, before
    if request.document.current_version_id != request.version_id:
        return (
            str(
                _("Het document kreeg intussen een nieuwe versie; de ondertekende versie werd niet bewaard.")
            ),
            reports,
            before,
        )
    return "", reports, before


@transaction.atomic
def _fail_platform_request(
    request: SigningRequest, problem: str, reports: list[SignatureReport]
) -> SigningRequest:
    locked = SigningRequest.objects.select_for_update().get(pk=request.pk)
    if locked.state != SigningState.PLATFORM:
        return locked
    locked.validation = [report.as_dict() for report in reports]
    locked.validated_at = timezone.now()
    _skip_waiting_steps(locked)
    _event(locked, SigningEventKind.FAILED, by=None, text=problem)
    _set_state(locked, SigningState.FAILED, by=None, reason=problem)
    return locked


def store_platform_document(*, request: SigningRequest, data: bytes) -> SigningRequest:
    """The signed file downloaded from the platform: checked (it must be the PDF that was sent,
    with signatures appended that all validate, at least one per signer), then stored as the
    document's new version. A file that fails the check ends the request as failed; the document
    keeps its version. Called by the outbox sender: what raises is tried again later."""
    request = SigningRequest.objects.select_related("document", "version", "requested_by").get(pk=request.pk)
    if request.state != SigningState.PLATFORM:
        return request
    steps = list(
        request.steps.select_related("function")
        .filter(kind=StepKind.SIGNATURE, state=StepState.WAITING)
        .order_by("position")
    )
    problem, reports, before = _check_platform_file(request, data, steps)
    if problem:
        return _fail_platform_request(request, problem, reports)
    upload = ContentFile(data, name=request.version.original_filename)
    check_file(upload)
    with discard_new_files_on_failure():
        stored = write_file(upload, mime_type=PDF_TYPE)
        with transaction.atomic():
            locked = SigningRequest.objects.select_for_update().get(pk=request.pk)
            document = Document.objects.select_for_update().get(pk=locked.document_id)
            if locked.state != SigningState.PLATFORM or document.current_version_id != locked.version_id:
                # Changed while the file was written: nothing is kept; the next attempt says why.
                raise ValidationError(_("De aanvraag of het document veranderde intussen."))
            version = create_version(document=document, stored=stored, by=request.requested_by)
            now = timezone.now()
            for step, report in zip(steps, reports[before:], strict=False):
                step.state = StepState.DONE
                step.acted_at = now
                step.function_name = (step.function.name if step.function is not None else "")[:150]
                step.reason = str(
                    _("Ondertekend op het platform als %(signer)s") % {"signer": report.signer}
                )[:500]
                step.produced_version = version
                step.save()
            locked.signed_version = version
            locked.current_position = steps[-1].position + 1 if steps else locked.current_position
            locked.validation = [report.as_dict() for report in reports]
            locked.validated_at = now
            _event(
                locked,
                SigningEventKind.SIGNED,
                by=None,
                version=version,
                text=str(_("Ondertekend op het ondertekenplatform")),
            )
            _set_state(locked, SigningState.SIGNED, by=None)
            return locked
