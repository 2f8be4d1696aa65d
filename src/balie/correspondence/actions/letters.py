"""Letters from templates in the post flow: the answer to an incoming item, its acknowledgement of
receipt, or the letter of an outgoing item that has none yet.

The outgoing item's `OUT` number is printed on the letter (and in its QR code), so it must exist
before the letter is merged. `answer_with_letter` and `acknowledge_with_letter` therefore take the
number, merge and convert the letter, store it, link it and start its signing request in ONE
transaction: a template or conversion that fails leaves no outgoing item, no number (the counter
rolls back) and no file. The price is that the `OUT` counter row stays locked while LibreOffice
converts this one letter (a fraction of a second with the converter kept running); mass mailings
number their letters apart (`documents.letters.mailing`). `write_letter` makes the letter of an
outgoing item registered earlier: there the number exists, so it merges and converts before its
transaction.

A template that names a signing procedure sends the letter's PDF into it at once; the dispatch
then waits until it is signed (`dispatch.check`: an open request is refused).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.documents.actions import discard_new_files_on_failure
from balie.documents.letters.actions import PreparedLetter, prepare_letter, store_letter, template_version_for
from balie.documents.models import Letter, LetterTemplate
from balie.documents.signing.actions import request_signing

from ..models import Direction, DocumentRole, PostChannel, PostItem, PostItemDocument, PostStatus
from .base import _lock, _require_worker
from .links import attach_letter, register_acknowledgement
from .routing import register_answer


def case_values(item: PostItem) -> dict[str, Any] | None:
    """The item's case as the letters' catalogue takes it (`documents` cannot import `cases`)."""
    case = item.case
    if case is None:
        return None
    return {
        "number": case.number,
        "type": case.case_type.name,
        "subject": case.subject,
        "registered_on": case.registered_at,
        "deadline": case.deadline,
        "department": case.department.name,
        "handler": case.handler.get_full_name() if case.handler is not None else "",
    }


def item_values(item: PostItem) -> dict[str, Any]:
    return {
        "register_number": item.number,
        "date": timezone.localtime(item.registered_at).date(),
        "subject": item.subject,
    }


def _check_outgoing(item: PostItem, by: User) -> None:
    _require_worker(item, by)
    if item.direction != Direction.OUTGOING:
        raise ValidationError(_("Alleen uitgaande post krijgt een brief."))
    if item.status != PostStatus.REGISTERED:
        raise ValidationError(_("Dit poststuk is al verstuurd of geklasseerd."))
    if PostItemDocument.objects.filter(item=item, role=DocumentRole.LETTER).exists():
        raise ValidationError(_("Dit poststuk heeft al een brief; maak een nieuwe versie van die brief."))


def _prepare(item: PostItem, template: LetterTemplate, by: User, converter: Any) -> PreparedLetter:
    return prepare_letter(
        template=template,
        by=by,
        party=item.party,
        case=case_values(item),
        item=item_values(item),
        employee=by,
        converter=converter,
    )


def _store(item: PostItem, prepared: PreparedLetter, template: LetterTemplate, by: User) -> Letter:
    """Inside the caller's transaction: the letter's two documents (of the item's department and
    confidentiality), its link as the item's letter, and the signing request."""
    letter = store_letter(
        prepared=prepared, by=by, confidential=item.confidential, department=item.department
    )
    attach_letter(item=item, document=letter.pdf_document, by=by)
    procedure = template.signing_procedure
    if procedure is not None:
        request_signing(document=letter.pdf_document, procedure=procedure, by=by)
    return letter


def _usable(template: LetterTemplate, by: User) -> None:
    """Refuse a template `by` may not use (inactive, another department's) before any number."""
    template_version_for(template, by)
    procedure = template.signing_procedure
    if procedure is not None and not procedure.active:
        raise ValidationError(
            {
                "template": _(
                    "De ondertekenprocedure van dit sjabloon is niet meer actief; vraag de beheerder."
                )
            }
        )


def write_letter(*, item: PostItem, template: LetterTemplate, by: User, converter: Any = None) -> Letter:
    """The letter of an outgoing item that has none yet, from a template: merged with the item's
    party, case, number and date and the employee, converted to PDF/A, stored, linked as the
    item's letter and, when the template names a procedure, sent for approval and signing."""
    item = PostItem.objects.select_related("party", "case", "department").get(pk=item.pk)
    _check_outgoing(item, by)
    _usable(template, by)
    prepared = _prepare(item, template, by, converter)
    with discard_new_files_on_failure(), transaction.atomic():
        locked = _lock(item)
        _check_outgoing(locked, by)
        return _store(locked, prepared, template, by)


def answer_with_letter(
    *,
    item: PostItem,
    template: LetterTemplate,
    by: User,
    channel: str = PostChannel.PAPER,
    subject: str = "",
    converter: Any = None,
) -> PostItem:
    """Answer an incoming item with a letter from a template: the outgoing item (its `OUT` number
    first), the letter with that number, the item answered, and the signing request, all or
    nothing. Returns the outgoing item."""
    _usable(template, by)
    with discard_new_files_on_failure(), transaction.atomic():
        reply = register_answer(
            item=item,
            by=by,
            channel=channel,
            subject=subject.strip() or _("Antwoord op %(number)s") % {"number": item.number},
        )
        reply = _lock(reply)
        _store(reply, _prepare(reply, template, by, converter), template, by)
    return reply


def acknowledge_with_letter(
    *,
    item: PostItem,
    template: LetterTemplate,
    by: User,
    channel: str = PostChannel.PAPER,
    converter: Any = None,
) -> PostItem:
    """The acknowledgement of receipt of an incoming item, as a letter from a template, all or
    nothing (see `register_acknowledgement`). Returns the outgoing item."""
    _usable(template, by)
    with discard_new_files_on_failure(), transaction.atomic():
        acknowledgement = _lock(register_acknowledgement(item=item, by=by, channel=channel))
        _store(acknowledgement, _prepare(acknowledgement, template, by, converter), template, by)
    return acknowledgement
