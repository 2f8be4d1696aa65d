"""Downloading a document version. The files are never served from a public location: every
download passes here, which checks that the employee may see the document (404 otherwise)."""

from __future__ import annotations

import uuid

from django.http import FileResponse
from django.views.decorators.http import require_GET

from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.cases.queries import persons_concerned_by
from balie.documents.downloads import file_response
from balie.documents.queries import get_version_for, persons_linked_to
from balie.parties.models import PartyKind

from ..access import EmployeeRequest, employee_required


@require_GET
@employee_required
def document_download(request: EmployeeRequest, uuid: uuid.UUID, number: int) -> FileResponse:
    """The file as an attachment, with the type read from its content when it was stored and the
    name cleaned then; browsers are told not to guess another type or run anything in it. A
    document of a case with persons in it, or linked to a person, is about them: the download is in
    the access log."""
    version = get_version_for(request.user, uuid, number)
    response = file_response(version)
    log_personal_data_accesses(
        by=request.user,
        subject_uuids=list(
            dict.fromkeys(persons_concerned_by(version.document) + persons_linked_to(version.document))
        ),
        subject_type=PartyKind.PERSON,
        channel=AccessChannel.PAGE,
        location=request.path,
    )
    return response
