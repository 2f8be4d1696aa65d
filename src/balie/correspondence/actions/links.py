"""An item's acknowledgement, letter, documents, case and contact moment."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from balie.accounts.models import User
from balie.audit.actions import record_change
from balie.audit.models import ChangeAction
from balie.cases.models import Case
from balie.documents.actions import (
    create_document,
    discard_new_files_on_failure,
    write_file,
)
from balie.documents.models import Document
from balie.documents.queries import documents_for

from ..models import (
    Direction,
    DocumentRole,
    EventKind,
    PostChannel,
    PostItem,
    PostItemDocument,
    PostStatus,
    ReplyKind,
)
from ..scans import check_incoming_file
from .base import (
    _document_title,
    _event,
    _link_document,
    _lock,
    _require_worker,
)
from .register import register_outgoing

# --- acknowledgement and letters (the seam for letters from templates) -----------------------


@transaction.atomic
def register_acknowledgement(*, item: PostItem, by: User, channel: str = PostChannel.PAPER) -> PostItem:
    """Register the outgoing acknowledgement of receipt of an incoming item (to its sender), so
    that its `OUT` number can be printed on the letter; the letter itself comes with
    `attach_letter` once it is made (e.g. from a template). Returns the outgoing item."""
    locked = _lock(item)
    _require_worker(locked, by)
    if not locked.is_incoming:
        raise ValidationError(_("Alleen van inkomende post wordt de ontvangst gemeld."))
    if locked.needs_details:
        raise ValidationError({"status": _("Vul eerst de afzender en het onderwerp aan.")})
    if PostItem.objects.filter(reply_to=locked, reply_kind=ReplyKind.ACKNOWLEDGEMENT).exists():
        raise ValidationError(_("De ontvangst van dit poststuk is al gemeld."))
    acknowledgement = register_outgoing(
        by=by,
        channel=channel,
        subject=_("Ontvangstmelding %(number)s: %(subject)s")
        % {"number": locked.number, "subject": locked.subject},
        department=locked.department,
        party=locked.party,
        correspondent_name=locked.correspondent_name,
        reference=locked.reference,
        confidential=locked.confidential,
        case=locked.case,
        reply_to=locked,
        reply_kind=ReplyKind.ACKNOWLEDGEMENT,
    )
    _event(
        locked,
        EventKind.ACKNOWLEDGED,
        by=by,
        data={"acknowledgement": str(acknowledgement.uuid), "acknowledgement_number": acknowledgement.number},
    )
    return acknowledgement


@transaction.atomic
def attach_letter(*, item: PostItem, document: Document, by: User) -> PostItemDocument:
    """The letter of an outgoing item (rendered from a template, or written by hand): a document
    already in the store, which `by` may see. One letter per item; a corrected letter is a new
    version of that document."""
    item = _lock(item)
    _require_worker(item, by)
    if item.direction != Direction.OUTGOING:
        raise ValidationError(_("Alleen uitgaande post krijgt een brief."))
    if item.status != PostStatus.REGISTERED:
        raise ValidationError(_("Dit poststuk is al verstuurd of geklasseerd."))
    if not documents_for(by).filter(pk=document.pk).exists():
        raise ValidationError({"document": _("Dit document bestaat niet of je mag het niet zien.")})
    existing = PostItemDocument.objects.filter(item=item, role=DocumentRole.LETTER).first()
    if existing is not None:
        if existing.document_id == document.pk:
            return existing
        raise ValidationError(
            {"document": _("Dit poststuk heeft al een brief; maak een nieuwe versie van die brief.")}
        )
    if PostItemDocument.objects.filter(item=item, document=document).exists():
        raise ValidationError({"document": _("Dit document hoort al bij het poststuk.")})
    return _link_document(item, document, role=DocumentRole.LETTER, by=by)


def add_document(*, item: PostItem, file: Any, role: str, by: User) -> PostItemDocument:
    """Add a file to an item after it was registered: a scan or an attachment, or the letter of
    an outgoing item that has none yet (written by hand; one from a template comes through
    `attach_letter`)."""
    _require_worker(item, by)
    errors: dict[str, list[str]] = {}
    if role not in DocumentRole.values:
        errors["role"] = [_("Kies scan, bijlage of brief.")]
    elif role == DocumentRole.LETTER:
        _check_letter_allowed(item, errors)
    try:
        mime_type = check_incoming_file(file, scan=role == DocumentRole.SCAN)
    except ValidationError as error:
        errors.setdefault("file", []).extend(error.message_dict.get("file", error.messages))
    if errors:
        raise ValidationError(errors)
    with discard_new_files_on_failure():
        stored = write_file(file, mime_type=mime_type)
        with transaction.atomic():
            locked = _lock(item)
            if role == DocumentRole.LETTER:
                _check_letter_allowed(locked, errors)
                if errors:
                    raise ValidationError(errors)
            count = PostItemDocument.objects.filter(item=locked, role=role).count()
            document = create_document(
                stored=stored,
                title=_document_title(locked, role, count + 1),
                by=by,
                confidential=locked.confidential,
                department=locked.department,
            )
            return _link_document(locked, document, role=role, by=by)


def _check_letter_allowed(item: PostItem, errors: dict[str, list[str]]) -> None:
    if item.direction != Direction.OUTGOING:
        errors.setdefault("role", []).append(_("Alleen uitgaande post krijgt een brief."))
    elif item.status != PostStatus.REGISTERED:
        errors.setdefault("role", []).append(_("Dit poststuk is al verstuurd of geklasseerd."))
    elif PostItemDocument.objects.filter(item=item, role=DocumentRole.LETTER).exists():
        errors.setdefault("role", []).append(
            _("Dit poststuk heeft al een brief; maak een nieuwe versie van die brief.")
        )


# --- links --------------------------------------------------------------------------------------


@transaction.atomic
def link_case(*, item: PostItem, case: Case | None, by: User) -> PostItem:
    """Link the item to a case (the caller found it as `by` may see it), or unlink it (None)."""
    item = _lock(item)
    _require_worker(item, by)
    if item.case_id == (case.pk if case else None):
        return item
    before = item.case.number if item.case else None
    item.case = case
    item.save(update_fields=["case", "updated_at"])
    record_change(
        instance=item,
        action=ChangeAction.UPDATE,
        changes={"case": [before, case.number if case else None]},
        by=by,
    )
    _event(item, EventKind.CASE, by=by, data={"case": str(case.uuid) if case else None})
    return item


@transaction.atomic
def link_contact_moment(*, item: PostItem, contact_moment_ref: uuid.UUID | None, by: User) -> PostItem:
    """Name the contact moment the item came with (its public id: the caller found it as `by` may
    see it; contact moments live beside this app, see models.py), or none."""
    item = _lock(item)
    _require_worker(item, by)
    if item.contact_moment_ref == contact_moment_ref:
        return item
    before = str(item.contact_moment_ref) if item.contact_moment_ref else None
    item.contact_moment_ref = contact_moment_ref
    item.save(update_fields=["contact_moment_ref", "updated_at"])
    after = str(contact_moment_ref) if contact_moment_ref else None
    record_change(
        instance=item, action=ChangeAction.UPDATE, changes={"contact_moment_ref": [before, after]}, by=by
    )
    _event(item, EventKind.CONTACT, by=by, data={"contact_moment": after})
    return item
