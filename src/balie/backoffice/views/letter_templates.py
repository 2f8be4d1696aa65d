"""Beheer › Briefsjablonen: the functional administrator uploads Word templates and reusable
blocks, sees which merge fields each uses, previews them with example data and uploads new
versions. Every change is one action of balie.documents.letters.admin; an upload it refuses shows
why, next to the file, and stores nothing."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.accounts.permissions import can_manage_catalogue
from balie.documents.files import document_storage
from balie.documents.letters import fields as catalogue
from balie.documents.letters.admin import (
    add_block_version,
    add_template_version,
    create_block,
    create_template,
    update_block,
    update_template,
)
from balie.documents.letters.checks import describe
from balie.documents.letters.preview import page_images, preview_block_pdf, preview_pdf
from balie.documents.letters.queries import (
    blocks_to_manage,
    get_block_to_manage,
    get_template_to_manage,
    get_template_version_to_manage,
    mailings_for,
    templates_to_manage,
    templates_using_block,
    versions_of_template,
)
from balie.documents.models import LetterBlock, LetterBlockVersion, LetterTemplate

from ..access import EmployeeRequest, permission_required
from ..forms.common import add_domain_errors
from ..forms.letters import EditBlockForm, EditTemplateForm, NewBlockForm, NewTemplateForm, NewVersionForm

admin_required = permission_required(can_manage_catalogue)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PREVIEW_TIMEOUT = 30.0


SYNTAX = {
    "field": "{{ klant.naam }}",
    "open_if": "{% if zaak %}",
    "close_if": "{% endif %}",
    "open_for": "{% for … %}",
    "close_for": "{% endfor %}",
    "paragraph_if": "{%p if … %}",
    "block": "{{ blok.briefhoofd }}",
}


def _catalogue() -> dict[str, Any]:
    return {"groups": catalogue.GROUPS, "qr_field": catalogue.QR_FIELD, "syntax": SYNTAX}


def _file(name: str | None, filename: str) -> FileResponse:
    if not name:
        raise Http404
    try:
        handle = document_storage().open(name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=DOCX)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _preview(request: EmployeeRequest, make: Any, context: dict[str, Any]) -> HttpResponse:
    """The preview's pages as images on a page (a PDF viewer is not on every phone)."""
    pages: list[str] = []
    error = ""
    try:
        pages = [base64.b64encode(image).decode() for image in page_images(make())]
    except ValidationError as problem:
        error = " ".join(problem.messages)
    return render(
        request, "backoffice/manage/letters/preview.html", {**context, "pages": pages, "error": error}
    )


# -- templates ------------------------------------------------------------------------------------


@require_GET
@admin_required
def template_list(request: EmployeeRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/manage/letters/list.html",
        {
            "templates": templates_to_manage(request.user),
            "blocks": blocks_to_manage(request.user),
            "mailings": mailings_for(request.user).order_by("-created_at")[:5],
        },
    )


@require_GET
@admin_required
def field_catalogue(request: EmployeeRequest) -> HttpResponse:
    return render(request, "backoffice/manage/letters/fields.html", _catalogue())


@admin_required
def template_create(request: EmployeeRequest) -> HttpResponse:
    form = NewTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = create_template(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request, _("Het sjabloon is opgeladen. Bekijk het voorbeeld voor u het gebruikt.")
            )
            return redirect("backoffice:manage_letter_template", uuid=template.uuid)
    return render(request, "backoffice/manage/letters/new.html", {"form": form, **_catalogue()})


def _template_page(
    request: EmployeeRequest,
    template: LetterTemplate,
    *,
    edit_form: EditTemplateForm | None = None,
    version_form: NewVersionForm | None = None,
) -> HttpResponse:
    version = template.current_version
    return render(
        request,
        "backoffice/manage/letters/detail.html",
        {
            "template": template,
            "versions": versions_of_template(template),
            "fields": describe(version.fields) if version else [],
            "edit_form": edit_form
            or EditTemplateForm(
                initial={
                    "name": template.name,
                    "description": template.description,
                    "language": template.language,
                    "department": template.department_id,
                    "active": template.active,
                    "signing_procedure": template.signing_procedure_id,
                }
            ),
            "version_form": version_form or NewVersionForm(),
            "letters": version.letters.count() if version else 0,
        },
    )


@require_GET
@admin_required
def template_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _template_page(request, get_template_to_manage(request.user, uuid))


@require_POST
@admin_required
def template_update(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    template = get_template_to_manage(request.user, uuid)
    form = EditTemplateForm(request.POST)
    if form.is_valid():
        try:
            update_template(template=template, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het sjabloon is bewaard."))
            return redirect("backoffice:manage_letter_template", uuid=template.uuid)
    return _template_page(request, template, edit_form=form)


@require_POST
@admin_required
def template_version_upload(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    template = get_template_to_manage(request.user, uuid)
    form = NewVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = add_template_version(
                template=template,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("Versie %(number)s is opgeladen; nieuwe brieven gebruiken ze vanaf nu.")
                % {"number": version.number},
            )
            return redirect("backoffice:manage_letter_template", uuid=template.uuid)
    return _template_page(request, template, version_form=form)


@require_GET
@admin_required
def template_preview(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_template_version_to_manage(request.user, uuid)
    return _preview(
        request,
        lambda: preview_pdf(version, timeout=PREVIEW_TIMEOUT),
        {"template": version.template, "version": version},
    )


@require_GET
@admin_required
def template_preview_pdf(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = get_template_version_to_manage(request.user, uuid)
    try:
        pdf = preview_pdf(version, timeout=PREVIEW_TIMEOUT)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("backoffice:manage_letter_template_preview", uuid=version.uuid)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="voorbeeld-{version.template.name[:60]}-v{version.number}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@admin_required
def template_version_file(request: EmployeeRequest, uuid: uuid.UUID) -> FileResponse:
    version = get_template_version_to_manage(request.user, uuid)
    return _file(version.file.name, version.original_filename)


# -- blocks ---------------------------------------------------------------------------------------


@admin_required
def block_create(request: EmployeeRequest) -> HttpResponse:
    form = NewBlockForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            block = create_block(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het blok is opgeladen."))
            return redirect("backoffice:manage_letter_block", uuid=block.uuid)
    return render(request, "backoffice/manage/letters/block_new.html", {"form": form, **_catalogue()})


def _block_page(
    request: EmployeeRequest,
    block: LetterBlock,
    *,
    edit_form: EditBlockForm | None = None,
    version_form: NewVersionForm | None = None,
) -> HttpResponse:
    version = block.current_version
    return render(
        request,
        "backoffice/manage/letters/block_detail.html",
        {
            "letter_block": block,  # not "block": Django's {% block %} takes that name
            "versions": list(block.versions.select_related("created_by").order_by("-number")),
            "fields": describe(version.fields) if version else [],
            "templates": templates_using_block(block.code),
            "edit_form": edit_form
            or EditBlockForm(initial={"name": block.name, "description": block.description}),
            "version_form": version_form or NewVersionForm(),
        },
    )


@require_GET
@admin_required
def block_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    return _block_page(request, get_block_to_manage(request.user, uuid))


@require_POST
@admin_required
def block_update(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    block = get_block_to_manage(request.user, uuid)
    form = EditBlockForm(request.POST)
    if form.is_valid():
        try:
            update_block(block=block, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het blok is bewaard."))
            return redirect("backoffice:manage_letter_block", uuid=block.uuid)
    return _block_page(request, block, edit_form=form)


@require_POST
@admin_required
def block_version_upload(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    block = get_block_to_manage(request.user, uuid)
    form = NewVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = add_block_version(
                block=block, file=form.cleaned_data["file"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("Versie %(number)s van het blok is opgeladen; elke nieuwe brief heeft ze.")
                % {"number": version.number},
            )
            return redirect("backoffice:manage_letter_block", uuid=block.uuid)
    return _block_page(request, block, version_form=form)


def _block_version(request: EmployeeRequest, uuid: uuid.UUID) -> LetterBlockVersion:
    if not can_manage_catalogue(request.user):
        raise Http404
    try:
        return LetterBlockVersion.objects.select_related("block").get(uuid=uuid)
    except (LetterBlockVersion.DoesNotExist, ValidationError):
        raise Http404 from None


@require_GET
@admin_required
def block_preview(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    version = _block_version(request, uuid)
    return _preview(
        request,
        lambda: preview_block_pdf(version, timeout=PREVIEW_TIMEOUT),
        {"letter_block": version.block, "version": version},
    )


@require_GET
@admin_required
def block_version_file(request: EmployeeRequest, uuid: uuid.UUID) -> FileResponse:
    version = _block_version(request, uuid)
    return _file(version.file.name, version.original_filename)
