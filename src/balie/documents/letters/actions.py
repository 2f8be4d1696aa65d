"""Making a letter, and taking back its DOCX after an edit in Word.

Making a letter has a slow part without the database (merge, conversion to PDF) and a quick part
that stores it. `make_letter` does both. A caller that must give the letter a register number
in its own transaction (post registration) can prepare first and store inside its transaction,
wrapped, like every action here, in `discard_new_files_on_failure()`:

    prepared = prepare_letter(template=…, by=…, party=…, item={"register_number": "OUT-2026-000123"})
    with discard_new_files_on_failure(), transaction.atomic():
        letter = store_letter(prepared=prepared, by=…)
        … the post item, pointing at letter …

A letter is two documents of the store, its DOCX and its PDF (PDF/A-2b unless asked otherwise),
and a Letter row that ties them to the template version, the party and the QR code's payload.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import acts_for_municipality
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.parties.models import Party

from ..actions import create_document, create_version, discard_new_files_on_failure, write_file
from ..conversion import Converter
from ..files import clean_filename
from ..models import OPEN_STATES, Letter, LetterTemplate, LetterTemplateVersion, SigningRequest, SigningState
from .admin import DOCX, read_docx
from .context import build_context
from .qr import find_letter_codes, payload_for, stamp_qr
from .queries import letters_for, usable_templates
from .render import MergedLetter, Merger, letter_pdf

PDF = "application/pdf"
LETTER_FIELDS = ["template_version", "party", "register_number", "pdfa"]


@dataclass(frozen=True)
class PreparedLetter:
    """A merged and converted letter, not stored yet."""

    uuid: uuid.UUID
    version: LetterTemplateVersion
    party: Party | None
    register_number: str
    qr_payload: str
    merged: MergedLetter
    pdf: bytes
    pdfa: bool
    title: str


def template_version_for(template: LetterTemplate | LetterTemplateVersion, by: User) -> LetterTemplateVersion:
    if isinstance(template, LetterTemplateVersion):
        return template
    if not usable_templates(by).filter(pk=template.pk).exists() or template.current_version is None:
        raise ValidationError(_("Dit sjabloon bestaat niet, is niet actief of is niet voor uw dienst."))
    return template.current_version


def letter_title(version: LetterTemplateVersion, party: Party | None, register_number: str) -> str:
    parts = [register_number, version.template.name]
    title = " ".join(part for part in parts if part)
    if party is not None:
        title = f"{title} – {party.display_name}"
    return title[:200]


def prepare_letter(
    *,
    template: LetterTemplate | LetterTemplateVersion,
    by: User,
    party: Party | None = None,
    case: Mapping[str, Any] | None = None,
    item: Mapping[str, Any] | None = None,
    employee: User | None = None,
    pdfa: bool = True,
    letter_uuid: uuid.UUID | None = None,
    merger: Merger | None = None,
    converter: Converter | None = None,
) -> PreparedLetter:
    """Merge and convert a letter (nothing is stored). A template must be usable by `by` (active,
    their department's or everyone's); a version is taken as it is (a mailing pins one). The item's
    register number, when given, is the QR code's payload; else the letter's own id."""
    if not acts_for_municipality(by):
        raise ValidationError(_("Alleen een medewerker van de gemeente kan brieven maken."))
    version = template_version_for(template, by)
    register_number = str((item or {}).get("register_number") or "")
    letter_uuid = letter_uuid or uuid.uuid4()
    payload = payload_for(register_number=register_number, letter_uuid=letter_uuid)
    context = build_context(
        language=version.template.language,
        qr_payload=payload,
        party=party,
        case=case,
        employee=employee or by,
        item=item,
    )
    merged = (merger or Merger(version)).merge(context)
    pdf = letter_pdf(
        merged.docx, pdfa=pdfa, qr_payload=payload, qr_in_docx=merged.qr_in_docx, converter=converter
    )
    return PreparedLetter(
        uuid=letter_uuid,
        version=version,
        party=party,
        register_number=register_number,
        qr_payload=payload,
        merged=merged,
        pdf=pdf,
        pdfa=pdfa,
        title=letter_title(version, party, register_number),
    )


def store_letter(
    *, prepared: PreparedLetter, by: User, confidential: bool = False, department: Department | None = None
) -> Letter:
    """Store a prepared letter: its DOCX and PDF as documents, and the Letter row."""
    name = clean_filename(prepared.title, fallback="brief")
    with discard_new_files_on_failure():
        docx_file = write_file(ContentFile(prepared.merged.docx, name=f"{name}.docx"), mime_type=DOCX)
        pdf_file = write_file(ContentFile(prepared.pdf, name=f"{name}.pdf"), mime_type=PDF)
        with transaction.atomic():
            documents = [
                create_document(
                    stored=stored,
                    title=prepared.title,
                    by=by,
                    confidential=confidential,
                    department=department,
                )
                for stored in (docx_file, pdf_file)
            ]
            letter = Letter.objects.create(
                uuid=prepared.uuid,
                template_version=prepared.version,
                party=prepared.party,
                docx_document=documents[0],
                pdf_document=documents[1],
                register_number=prepared.register_number,
                qr_payload=prepared.qr_payload,
                qr_in_docx=prepared.merged.qr_in_docx,
                pdfa=prepared.pdfa,
                block_versions=prepared.merged.block_versions,
                empty_fields=prepared.merged.empty_fields,
                created_by=by,
            )
            record_creation(instance=letter, fields=LETTER_FIELDS, by=by)
    return letter


def make_letter(
    *,
    template: LetterTemplate | LetterTemplateVersion,
    by: User,
    party: Party | None = None,
    case: Mapping[str, Any] | None = None,
    item: Mapping[str, Any] | None = None,
    employee: User | None = None,
    pdfa: bool = True,
    confidential: bool = False,
    department: Department | None = None,
) -> Letter:
    """A letter from a template for one party: merged, converted and stored."""
    prepared = prepare_letter(
        template=template, by=by, party=party, case=case, item=item, employee=employee, pdfa=pdfa
    )
    return store_letter(prepared=prepared, by=by, confidential=confidential, department=department)


def replace_letter_docx(*, letter: Letter, file: Any, by: User, converter: Converter | None = None) -> Letter:
    """The letter's DOCX edited in Word (or LibreOffice) comes back: it becomes a new version of the
    letter's DOCX document, and its PDF a new version of the PDF document. The QR code is stamped
    on again when the edit removed it. Nothing is stored when the file or its conversion fails."""
    if not letters_for(by).filter(pk=letter.pk).exists():
        raise ValidationError(_("Deze brief bestaat niet of u mag hem niet zien."))
    _refuse_when_signing(letter)
    data = read_docx(file)
    pdf = letter_pdf(
        data, pdfa=letter.pdfa, qr_payload=letter.qr_payload, qr_in_docx=True, converter=converter
    )
    if not any(code.payload == letter.qr_payload for code in find_letter_codes(pdf)):
        pdf = stamp_qr(pdf, letter.qr_payload)
    name = clean_filename(letter.docx_document.title, fallback="brief")
    with discard_new_files_on_failure():
        docx_file = write_file(ContentFile(data, name=f"{name}.docx"), mime_type=DOCX)
        pdf_file = write_file(ContentFile(pdf, name=f"{name}.pdf"), mime_type=PDF)
        with transaction.atomic():
            _refuse_when_signing(letter)  # again, now that the transaction sees the latest requests
            docx_version = create_version(document=letter.docx_document, stored=docx_file, by=by)
            pdf_version = create_version(document=letter.pdf_document, stored=pdf_file, by=by)
            record_change(
                instance=letter,
                action=ChangeAction.UPDATE,
                changes={"docx_version": [docx_version.number - 1, docx_version.number]},
                by=by,
                reason=_("bewerkt in Word"),
            )
    letter.docx_document.current_version = docx_version
    letter.pdf_document.current_version = pdf_version
    return letter


def _refuse_when_signing(letter: Letter) -> None:
    """A letter that is signed, or on its way to be, is not edited: a new PDF version would be
    unsigned, and the signed one is what was approved. Withdraw the request, or make a new letter."""
    requests = SigningRequest.objects.filter(document=letter.pdf_document_id)
    if requests.filter(state=SigningState.SIGNED).exists():
        raise ValidationError(
            _("Deze brief is ondertekend en kan niet meer bewerkt worden. Maak een nieuwe brief.")
        )
    if requests.filter(state__in=OPEN_STATES).exists():
        raise ValidationError(
            _(
                "Deze brief wacht op goedkeuring of ondertekening. "
                "Trek die aanvraag eerst in om hem te bewerken."
            )
        )
