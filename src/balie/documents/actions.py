"""Storing documents and new versions of them.

A file is checked before anything is written (its size, and its type as read from the content:
the client's name and content type are never believed), then streamed into storage a chunk at a
time while it is hashed, then described by a row in the same breath. Whatever fails on the way
(too large after all, the database refusing the row, the commit) leaves nothing behind: the file
is deleted again.

The file is written before the transaction commits, and a transaction cannot be told to call back
when it rolls back. So the files stored inside `discard_new_files_on_failure()` are deleted when
that block ends with an exception; every action here runs in one, and an action of a higher app
that stores documents and may still refuse afterwards wraps its whole transaction in one too
(see cases.actions.attach_document). Nested blocks hand their files to the enclosing one.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import acts_for_municipality
from balie.audit.actions import erase_recorded_values, record_change, record_creation
from balie.audit.models import ChangeAction
from balie.parties.models import Party

from .files import (
    HEAD_BYTES,
    HashingReader,
    TooLarge,
    allowed_types,
    clean_filename,
    document_storage,
    max_bytes,
    pdf_problem,
    sniff_mime_type,
    title_from_filename,
    type_label,
)
from .models import Document, DocumentVersion, PartyDocument, TextState
from .queries import documents_for
from .search import index_document, remove_from_index
from .tasks import queue_text_extraction

logger = logging.getLogger(__name__)

DOCUMENT_FIELDS = ["title", "confidential", "department"]
VERSION_FIELDS = ["document", "number", "original_filename", "size", "sha256", "mime_type"]
ZIP_TYPE = "application/zip"
PDF_TYPE = "application/pdf"
# Zip-based office formats recognised by their parts when libmagic only says "zip" (a writer
# that does not put [Content_Types].xml first): (part that must exist, type).
ZIP_PARTS = [
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
]

_new_files: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "balie_documents_new_files", default=None
)


@dataclass(frozen=True)
class StoredFile:
    name: str  # in the storage
    original_filename: str
    size: int
    sha256: str
    mime_type: str


# --- leaving nothing behind --------------------------------------------------------------------


def _discard(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # the original failure is what the caller must see
        logger.exception("could not delete document file %s after a failure", name)


@contextlib.contextmanager
def discard_new_files_on_failure() -> Iterator[None]:
    """Files stored inside this block are deleted again if it ends with an exception.

    Put it outside the transaction (`with discard_new_files_on_failure(): with atomic(): …`), so
    that a failing commit counts too."""
    outer = _new_files.get()
    names: list[str] = []
    token = _new_files.set(names)
    try:
        yield
    except BaseException:
        storage = document_storage()
        for name in names:
            _discard(storage, name)
        raise
    finally:
        _new_files.reset(token)
    if outer is not None:
        outer.extend(names)


# --- checking and writing a file ---------------------------------------------------------------


def _size_text(size: int) -> str:
    return str(filesizeformat(size)).replace("\xa0", " ")


def _too_large() -> ValidationError:
    return ValidationError(
        {
            "file": _("Het bestand is te groot: het mag hoogstens %(max)s zijn.")
            % {"max": _size_text(max_bytes())}
        }
    )


def _zip_office_type(file: Any) -> str:
    """DOCX or XLSX from the parts a zip holds (its table of contents, nothing unpacked)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ZIP_TYPE
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return ZIP_TYPE
    for part, mime_type in ZIP_PARTS:
        if part in names:
            return mime_type
    return ZIP_TYPE


def check_file(file: Any) -> str:
    """Refuse a file before anything is stored: empty, too large, or a type that is not allowed
    (read from the content). Returns the type."""
    if file is None:
        raise ValidationError({"file": _("Kies een bestand.")})
    try:
        size = int(file.size)
    except (AttributeError, TypeError, ValueError, OSError):
        raise ValidationError({"file": _("Dit bestand kan niet gelezen worden.")}) from None
    if size <= 0:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    if size > max_bytes():
        raise _too_large()
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    mime_type = sniff_mime_type(head)
    if mime_type == ZIP_TYPE:
        mime_type = _zip_office_type(file)
    allowed = allowed_types()
    if mime_type not in allowed:
        raise ValidationError(
            {
                "file": _(
                    "Dit soort bestand kan niet bewaard worden (het is %(type)s). Toegestaan: %(allowed)s."
                )
                % {
                    "type": type_label(mime_type),
                    "allowed": ", ".join(dict.fromkeys(type_label(t) for t in allowed)),
                }
            },
            code="file_type",
        )
    if mime_type == PDF_TYPE:
        problem = pdf_problem(file)
        if problem:
            raise ValidationError({"file": problem}, code="pdf")
    return mime_type


def write_file(file: Any, *, mime_type: str) -> StoredFile:
    """Stream a checked file into the document storage, hashing it on the way. The name in the
    storage is new and says nothing about the content."""
    storage = document_storage()
    name = f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    reader = HashingReader(file, limit=max_bytes(), size=int(file.size))
    pending = _new_files.get()
    try:
        name = storage.save(name, File(cast(IO[bytes], reader), name=name))
        if pending is not None:
            pending.append(name)
        if reader.count == 0 or storage.size(name) != reader.count:
            raise ValidationError({"file": _("Het bestand kon niet volledig bewaard worden.")})
    except TooLarge:
        _discard(storage, name)
        raise _too_large() from None
    except BaseException:
        _discard(storage, name)
        raise
    return StoredFile(
        name=name,
        original_filename=clean_filename(getattr(file, "name", "") or ""),
        size=reader.count,
        sha256=reader.sha256.hexdigest(),
        mime_type=mime_type,
    )


# --- documents and versions --------------------------------------------------------------------
#
# `store_document` and `add_version` do it all: check, write, describe. An action of a higher app
# that must hold its own lock while the document is described uses the steps instead, so that
# the file is written before its transaction opens (on SQLite, an open write transaction holds
# the whole database while a large file streams in):
#
#     title, mime_type = check_new_document(file=file, title=title)
#     with discard_new_files_on_failure():
#         stored = write_file(file, mime_type=mime_type)
#         with transaction.atomic():
#             ... lock, check again ...
#             document = create_document(stored=stored, title=title, by=by, ...)


def _require_municipality(by: User) -> None:
    if not acts_for_municipality(by):
        raise ValidationError(_("Alleen een medewerker van de gemeente kan documenten bewaren."))


def check_new_document(*, file: Any, title: str) -> tuple[str, str]:
    """Check a file and the title it is to be stored under (all errors at once). Returns the
    title (the file's name when none was given) and the file's type."""
    original = clean_filename(getattr(file, "name", "") or "") if file is not None else ""
    title = (title or "").strip() or title_from_filename(original)
    errors: dict[str, list[str]] = {}
    mime_type = ""
    try:
        mime_type = check_file(file)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        Document(title=title).clean_fields(
            exclude=["department", "created_by", "current_version", "confidential"]
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return title, mime_type


def _new_version(document: Document, stored: StoredFile, *, number: int, by: User) -> DocumentVersion:
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        file=stored.name,
        original_filename=stored.original_filename,
        size=stored.size,
        sha256=stored.sha256,
        mime_type=stored.mime_type,
        created_by=by,
        text_queued_at=timezone.now(),
    )
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    record_creation(instance=version, fields=VERSION_FIELDS, by=by)
    # The new version's text is not read yet: the index holds the title until it is.
    index_document(document.pk, title=document.title, text=version.text or "")
    queue_text_extraction(version)
    return version


@transaction.atomic
def create_document(
    *,
    stored: StoredFile,
    title: str,
    by: User,
    confidential: bool = False,
    department: Department | None = None,
    party: Party | None = None,
) -> Document:
    """The rows of a new document whose first version is the file just written (linked to
    `party` when given)."""
    _require_municipality(by)
    department = department or by.department
    if confidential and department is None:
        raise ValidationError({"confidential": _("Een vertrouwelijk document hoort bij een dienst.")})
    document = Document(
        title=title.strip() or title_from_filename(stored.original_filename),
        confidential=confidential,
        department=department,
        created_by=by,
    )
    document.full_clean(exclude=["department", "created_by", "current_version"], validate_unique=False)
    document.save()
    record_creation(instance=document, fields=DOCUMENT_FIELDS, by=by)
    _new_version(document, stored, number=1, by=by)
    if party is not None:
        link_document_to_party(document=document, party=party, by=by)
    return document


@transaction.atomic
def create_version(*, document: Document, stored: StoredFile, by: User) -> DocumentVersion:
    """The row of a new version (the file just written); numbered under the document's lock."""
    _require_municipality(by)
    if not documents_for(by).filter(pk=document.pk).exists():
        raise ValidationError(_("Dit document bestaat niet of je mag het niet zien."))
    locked = Document.objects.select_for_update().get(pk=document.pk)
    last = DocumentVersion.objects.filter(document=locked).aggregate(last=Max("number"))["last"]
    version = _new_version(locked, stored, number=(last or 0) + 1, by=by)
    document.current_version = version
    return version


def store_document(
    *,
    file: Any,
    title: str,
    by: User,
    confidential: bool = False,
    department: Department | None = None,
    party: Party | None = None,
) -> Document:
    """A new document with `file` as its first version. It belongs to `department` (by default
    the employee's); a confidential document is seen only by that department. With `party`, it is
    linked to that party in the same transaction."""
    _require_municipality(by)
    if confidential and (department or by.department) is None:
        raise ValidationError({"confidential": _("Een vertrouwelijk document hoort bij een dienst.")})
    title, mime_type = check_new_document(file=file, title=title)
    with discard_new_files_on_failure():
        stored = write_file(file, mime_type=mime_type)
        return create_document(
            stored=stored, title=title, by=by, confidential=confidential, department=department, party=party
        )


def add_version(*, document: Document, file: Any, by: User) -> DocumentVersion:
    """A new version of a document the employee may see; it becomes the current one."""
    _require_municipality(by)
    if not documents_for(by).filter(pk=document.pk).exists():
        raise ValidationError(_("Dit document bestaat niet of je mag het niet zien."))
    mime_type = check_file(file)
    with discard_new_files_on_failure():
        stored = write_file(file, mime_type=mime_type)
        return create_version(document=document, stored=stored, by=by)


# --- destroying ---------------------------------------------------------------------------------


def destroy_documents(*, documents: Iterable[Document], by: User | None, reason: str) -> int:
    """Delete documents with every version (retention: what they belonged to is destroyed).
    The rows go in the caller's transaction, the files once it has committed; the change log
    keeps that they existed, not what they said. The caller decides who may do this."""
    ids = sorted({document.pk for document in documents})
    if not ids:
        return 0
    list(Document.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    rows = list(Document.objects.filter(pk__in=ids).order_by("pk"))
    versions = list(
        DocumentVersion.objects.filter(document_id__in=ids).values_list("document_id", "uuid", "file")
    )
    names = [name for _document, _uuid, name in versions if name]
    for document in rows:
        own = [version_uuid for document_id, version_uuid, _name in versions if document_id == document.pk]
        # The title, file names and hashes in the change history went with the document.
        for object_uuid in [document.uuid, *own]:
            erase_recorded_values(object_uuid=object_uuid)
        record_change(
            instance=document,
            action=ChangeAction.DELETE,
            changes={"versions": [len(own), None]},
            by=by,
            reason=reason,
        )
    Document.objects.filter(pk__in=ids).update(current_version=None)
    DocumentVersion.objects.filter(document_id__in=ids).delete()
    Document.objects.filter(pk__in=ids).delete()
    remove_from_index(ids)
    storage = document_storage()

    def delete_files() -> None:
        for name in names:
            _discard(storage, name)

    transaction.on_commit(delete_files)
    return len(rows)


# --- text ----------------------------------------------------------------------------------------


@transaction.atomic
def retry_text_extraction(*, version: DocumentVersion, by: User) -> DocumentVersion:
    """Read a version's text again, after it failed (or was interrupted too often)."""
    _require_municipality(by)
    if not documents_for(by).filter(pk=version.document_id).exists():
        raise ValidationError(_("Dit document bestaat niet of je mag het niet zien."))
    locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.text_state != TextState.FAILED:
        raise ValidationError(_("Alleen een mislukte tekstherkenning kan opnieuw."))
    before = {"text_state": locked.text_state, "text_error": locked.text_error}
    locked.text_state = TextState.WAITING
    locked.text_error = ""
    locked.text_attempts = 0
    locked.text_lease_until = None
    locked.text_done_at = None
    locked.text_queued_at = timezone.now()
    locked.save(
        update_fields=[
            "text_state",
            "text_error",
            "text_attempts",
            "text_lease_until",
            "text_done_at",
            "text_queued_at",
        ]
    )
    record_change(
        instance=locked,
        action=ChangeAction.UPDATE,
        changes={key: [value, getattr(locked, key)] for key, value in before.items()},
        by=by,
        reason=_("Tekstherkenning opnieuw gevraagd."),
    )
    queue_text_extraction(locked)
    return locked


# --- links to parties ----------------------------------------------------------------------------


@transaction.atomic
def link_document_to_party(*, document: Document, party: Party, by: User) -> PartyDocument:
    """Link a document the employee may see to a party (once: linking again returns the link)."""
    _require_municipality(by)
    if not documents_for(by).filter(pk=document.pk).exists():
        raise ValidationError(_("Dit document bestaat niet of je mag het niet zien."))
    if party.merged_into_id is not None:
        raise ValidationError({"party": _("Deze klant werd samengevoegd met een andere.")})
    link = PartyDocument.objects.filter(party=party, document=document).first()
    if link is not None:
        return link
    try:
        with transaction.atomic():
            return link_new_document_to_party(document=document, party=party, by=by)
    except IntegrityError:  # linked a moment ago by someone else: the unique constraint is the guard
        return PartyDocument.objects.get(party=party, document=document)


def link_new_document_to_party(*, document: Document, party: Party, by: User) -> PartyDocument:
    """Write the link and its change record, without the checks of `link_document_to_party`: for
    a caller that made the document in its own transaction and has checked the party itself (mail
    ingest)."""
    link = PartyDocument.objects.create(party=party, document=document, added_by=by, added_at=timezone.now())
    record_change(
        instance=document,
        action=ChangeAction.UPDATE,
        changes={"party": [None, str(party.uuid)]},
        by=by,
    )
    return link


def move_party_documents_to_survivor(survivor: Party, duplicate: Party) -> int:
    """Merge handler: the duplicate's documents become the survivor's."""
    moved = 0
    for link in PartyDocument.objects.filter(party=duplicate):
        if PartyDocument.objects.filter(party=survivor, document_id=link.document_id).exists():
            link.delete()
        else:
            link.party = survivor
            link.save(update_fields=["party"])
            moved += 1
    return moved


# --- who may see a document ---------------------------------------------------------------------


@transaction.atomic
def reclassify_document(
    *,
    document: Document,
    confidential: bool,
    department: Department | None,
    by: User | None,
    reason: str = "",
) -> Document:
    """Change who may see a document: confidential or not, and the department it belongs to (a
    post item that goes to another department takes its scan along). The caller decides who may;
    the change log keeps both sides."""
    if confidential and department is None:
        raise ValidationError({"confidential": _("Een vertrouwelijk document hoort bij een dienst.")})
    locked = Document.objects.select_for_update().get(pk=document.pk)
    before = {"confidential": locked.confidential, "department": locked.department_id}
    if before == {"confidential": confidential, "department": department.pk if department else None}:
        return locked
    changes: dict[str, list[Any]] = {}
    if locked.confidential != confidential:
        changes["confidential"] = [locked.confidential, confidential]
    if locked.department_id != (department.pk if department else None):
        changes["department"] = [
            str(locked.department.uuid) if locked.department else None,
            str(department.uuid) if department else None,
        ]
    locked.confidential = confidential
    locked.department = department
    locked.save(update_fields=["confidential", "department", "updated_at"])
    record_change(instance=locked, action=ChangeAction.UPDATE, changes=changes, by=by, reason=reason)
    return locked
