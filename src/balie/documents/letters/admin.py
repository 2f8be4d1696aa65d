"""The functional administrator's changes to letter templates and blocks.

An upload is checked completely before anything is written: it must be a DOCX (read from the
content), python-docx must read it, and every field and block it uses must exist (checks.py).
Then the file goes into storage and the rows are made in one transaction; a failure on the way
deletes the file again. A new upload is a new version that becomes the current one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import can_manage_catalogue
from balie.audit.actions import diff, record_change, record_creation, snapshot
from balie.audit.models import ChangeAction

from ..actions import check_file, discard_new_files_on_failure, write_file
from ..files import clean_filename, type_label
from ..models import LetterBlock, LetterBlockVersion, LetterTemplate, LetterTemplateVersion
from .checks import TemplateCheck, check_template

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEMPLATE_FIELDS = ["name", "description", "language", "department", "active", "signing_procedure"]
BLOCK_FIELDS = ["code", "name", "description"]
VERSION_FIELDS = ["number", "original_filename", "sha256", "fields", "note"]


def _require_admin(by: User) -> None:
    if not can_manage_catalogue(by):
        raise ValidationError(_("Alleen een functioneel beheerder kan briefsjablonen beheren."))


def read_docx(file: Any) -> bytes:
    """The bytes of an uploaded Word document; refused when it is anything else."""
    mime_type = check_file(file)
    if mime_type != DOCX:
        raise ValidationError(
            {
                "file": _("Dit is geen Word-document (.docx) maar %(type)s. Sla het in Word op als .docx.")
                % {"type": type_label(mime_type)}
            },
            code="file_type",
        )
    file.seek(0)
    data = bytes(file.read())
    file.seek(0)
    return data


def block_codes() -> set[str]:
    """The blocks a template may insert: those that have a file."""
    return set(LetterBlock.objects.filter(current_version__isnull=False).values_list("code", flat=True))


def _errors(*checks: Any) -> None:
    """Run each check, gathering every ValidationError into one."""
    errors: dict[str, list[str]] = {}
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _version_values(check: TemplateCheck, data: bytes, file: Any, note: str) -> dict[str, Any]:
    return {
        "original_filename": clean_filename(getattr(file, "name", "") or "", fallback="sjabloon.docx"),
        "fields": check.fields,
        "uses_qr": check.uses_qr,
        "note": (note or "").strip(),
    }


def _write(data: bytes, name: str) -> Any:
    return write_file(ContentFile(data, name=name), mime_type=DOCX)


# -- templates -----------------------------------------------------------------------------------


def create_template(
    *,
    name: str,
    file: Any,
    by: User,
    description: str = "",
    language: str = "nl",
    department: Department | None = None,
    note: str = "",
) -> LetterTemplate:
    """A new template with the uploaded file as its first version."""
    _require_admin(by)
    template = LetterTemplate(
        name=(name or "").strip(),
        description=(description or "").strip(),
        language=language,
        department=department,
    )
    found: dict[str, Any] = {}

    def check_row() -> None:
        template.full_clean(exclude=["created_by", "current_version", "department"], validate_unique=False)
        if LetterTemplate.objects.filter(name__iexact=template.name, language=language).exists():
            raise ValidationError({"name": _("Er bestaat al een sjabloon met deze naam in deze taal.")})

    def check_upload() -> None:
        found["data"] = read_docx(file)
        found["check"] = check_template(found["data"], block_codes=block_codes())

    _errors(check_row, check_upload)
    data, check = found["data"], found["check"]
    values = _version_values(check, data, file, note)
    with discard_new_files_on_failure():
        stored = _write(data, values["original_filename"])
        with transaction.atomic():
            template.created_by = by
            template.save()
            record_creation(instance=template, fields=TEMPLATE_FIELDS, by=by)
            _new_template_version(template, stored, values, check, number=1, by=by)
    return template


def _new_template_version(
    template: LetterTemplate,
    stored: Any,
    values: dict[str, Any],
    check: TemplateCheck,
    *,
    number: int,
    by: User,
) -> LetterTemplateVersion:
    version = LetterTemplateVersion.objects.create(
        template=template,
        number=number,
        file=stored.name,
        size=stored.size,
        sha256=stored.sha256,
        blocks=check.blocks,
        created_by=by,
        **values,
    )
    template.current_version = version
    template.save(update_fields=["current_version", "updated_at"])
    record_creation(instance=version, fields=VERSION_FIELDS, by=by)
    return version


def add_template_version(
    *, template: LetterTemplate, file: Any, by: User, note: str = ""
) -> LetterTemplateVersion:
    """A new version of a template; it becomes the current one. Letters made before keep theirs."""
    _require_admin(by)
    data = read_docx(file)
    check = check_template(data, block_codes=block_codes())
    values = _version_values(check, data, file, note)
    with discard_new_files_on_failure():
        stored = _write(data, values["original_filename"])
        with transaction.atomic():
            locked = LetterTemplate.objects.select_for_update().get(pk=template.pk)
            last = locked.versions.aggregate(last=Max("number"))["last"] or 0
            version = _new_template_version(locked, stored, values, check, number=last + 1, by=by)
    template.current_version = version
    return version


@transaction.atomic
def update_template(*, template: LetterTemplate, by: User, **data: Any) -> LetterTemplate:
    """Name, description, language, department, active."""
    _require_admin(by)
    unknown = set(data) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    locked = LetterTemplate.objects.select_for_update().get(pk=template.pk)
    before = snapshot(locked, TEMPLATE_FIELDS)
    for key, value in data.items():
        setattr(locked, key, value.strip() if isinstance(value, str) and key != "language" else value)
    locked.full_clean(
        exclude=["created_by", "current_version", "department", "signing_procedure"], validate_unique=False
    )
    clash = LetterTemplate.objects.filter(name__iexact=locked.name, language=locked.language).exclude(
        pk=locked.pk
    )
    if clash.exists():
        raise ValidationError({"name": _("Er bestaat al een sjabloon met deze naam in deze taal.")})
    locked.save()
    record_change(
        instance=locked,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(locked, TEMPLATE_FIELDS)),
        by=by,
    )
    return locked


# -- blocks --------------------------------------------------------------------------------------


def create_block(
    *, code: str, name: str, file: Any, by: User, description: str = "", note: str = ""
) -> LetterBlock:
    """A new reusable block with the uploaded file as its first version. It may use fields, but no
    other block."""
    _require_admin(by)
    block = LetterBlock(
        code=(code or "").strip(), name=(name or "").strip(), description=(description or "").strip()
    )
    found: dict[str, Any] = {}

    def check_row() -> None:
        block.full_clean(exclude=["created_by", "current_version"], validate_unique=False)
        if LetterBlock.objects.filter(code=block.code).exists():
            raise ValidationError({"code": _("Er bestaat al een blok met deze code.")})

    def check_upload() -> None:
        found["data"] = read_docx(file)
        found["check"] = check_template(found["data"], block_codes=None)

    _errors(check_row, check_upload)
    data, check = found["data"], found["check"]
    values = _version_values(check, data, file, note)
    with discard_new_files_on_failure():
        stored = _write(data, values["original_filename"])
        with transaction.atomic():
            block.created_by = by
            block.save()
            record_creation(instance=block, fields=BLOCK_FIELDS, by=by)
            _new_block_version(block, stored, values, number=1, by=by)
    return block


def _new_block_version(
    block: LetterBlock, stored: Any, values: dict[str, Any], *, number: int, by: User
) -> LetterBlockVersion:
    version = LetterBlockVersion.objects.create(
        block=block,
        number=number,
        file=stored.name,
        size=stored.size,
        sha256=stored.sha256,
        created_by=by,
        **values,
    )
    block.current_version = version
    block.save(update_fields=["current_version", "updated_at"])
    record_creation(instance=version, fields=VERSION_FIELDS, by=by)
    return version


def add_block_version(*, block: LetterBlock, file: Any, by: User, note: str = "") -> LetterBlockVersion:
    """A new version of a block: every letter merged from now on, from any template, has it."""
    _require_admin(by)
    data = read_docx(file)
    check = check_template(data, block_codes=None)
    values = _version_values(check, data, file, note)
    with discard_new_files_on_failure():
        stored = _write(data, values["original_filename"])
        with transaction.atomic():
            locked = LetterBlock.objects.select_for_update().get(pk=block.pk)
            last = locked.versions.aggregate(last=Max("number"))["last"] or 0
            version = _new_block_version(locked, stored, values, number=last + 1, by=by)
    block.current_version = version
    return version


@transaction.atomic
def update_block(*, block: LetterBlock, name: str, description: str, by: User) -> LetterBlock:
    _require_admin(by)
    locked = LetterBlock.objects.select_for_update().get(pk=block.pk)
    before = snapshot(locked, BLOCK_FIELDS)
    locked.name, locked.description = (name or "").strip(), (description or "").strip()
    locked.full_clean(exclude=["created_by", "current_version"], validate_unique=False)
    locked.save()
    record_change(
        instance=locked,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(locked, BLOCK_FIELDS)),
        by=by,
    )
    return locked
