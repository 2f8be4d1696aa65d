"""Downloading a document version. The files are never served from a public location: every
download passes here, which checks that the employee may see the document (404 otherwise)."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.cases.queries import persons_concerned_by
from balie.documents.files import document_storage
from balie.documents.queries import get_version_for
from balie.parties.models import PartyKind

from ..access import EmployeeRequest, employee_required


@require_GET
@employee_required
def document_download(request: EmployeeRequest, uuid: uuid.UUID, number: int) -> FileResponse:
    """The file as an attachment, with the type read from its content when it was stored and the
    name cleaned then; browsers are told not to guess another type or run anything in it. A
    document of a case with persons in it is about them: the download is in the access log."""
    version = get_version_for(request.user, uuid, number)
    if not version.file.name:
        raise Http404
    try:
        handle = document_storage().open(version.file.name, "rb")
    except OSError:
        raise Http404 from None
    log_personal_data_accesses(
        by=request.user,
        subject_uuids=persons_concerned_by(version.document),
        subject_type=PartyKind.PERSON,
        channel=AccessChannel.PAGE,
        location=request.path,
    )
    response = FileResponse(
        handle, as_attachment=True, filename=version.download_name, content_type=version.mime_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
