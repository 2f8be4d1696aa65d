"""The answer to a download of a version, the same for every face (back-office page, API): the
file as an attachment, with the type read from its content when it was stored and the name
cleaned then; browsers are told not to guess another type or run anything in it, and no cache
keeps a copy."""

from __future__ import annotations

from django.http import FileResponse, Http404

from .files import document_storage
from .models import DocumentVersion


def file_response(version: DocumentVersion) -> FileResponse:
    """Raises Http404 when the file is not (or no longer) in the storage."""
    if not version.file.name:
        raise Http404
    try:
        handle = document_storage().open(version.file.name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=version.download_name, content_type=version.mime_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
