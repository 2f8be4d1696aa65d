"""Documents: searching them, one document with its versions and the state of their text, and
downloading a version. The files are never served from a public location: every download passes
here, which checks that the employee may see the document (404 otherwise)."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.cases.queries import persons_concerned_by
from balie.correspondence.queries import persons_concerned_by as correspondents_of
from balie.documents.actions import retry_text_extraction
from balie.documents.downloads import file_response
from balie.documents.models import Document, TextState
from balie.documents.queries import (
    get_document_for,
    get_version_for,
    links_of,
    persons_linked_to,
    versions_of,
)
from balie.documents.registries import DocumentLink
from balie.documents.search import MAX_PAGES, search_documents
from balie.parties.models import PartyKind

from ..access import EmployeeRequest, employee_required


@require_GET
@employee_required
def document_download(request: EmployeeRequest, uuid: uuid.UUID, number: int) -> FileResponse:
    """The file as an attachment, with the type read from its content when it was stored and the
    name cleaned then; browsers are told not to guess another type or run anything in it. A
    document of a case with persons in it, linked to a person, or the scan of a person's letter, is
    about them: the download is in the access log."""
    version = get_version_for(request.user, uuid, number)
    response = file_response(version)
    log_personal_data_accesses(
        by=request.user,
        subject_uuids=list(
            dict.fromkeys(
                persons_concerned_by(version.document)
                + persons_linked_to(version.document)
                + correspondents_of(version.document)
            )
        ),
        subject_type=PartyKind.PERSON,
        channel=AccessChannel.PAGE,
        location=request.path,
    )
    return response


MAX_QUERY_LENGTH = 200
PER_PAGE = 20
# Where a link of each kind leads in the back-office (a kind without a page is shown as text).
LINK_PAGES = {
    "party": "backoffice:party",
    "case": "backoffice:case",
    "contact_moment": "backoffice:contact_moment",
    "post_item": "backoffice:post_item",
}


def link_rows(links: list[DocumentLink]) -> list[dict[str, Any]]:
    rows = []
    for link in links:
        url = ""
        with contextlib.suppress(NoReverseMatch):  # a kind without a page of its own
            url = reverse(LINK_PAGES.get(link.kind, f"backoffice:{link.kind}"), args=[link.uuid])
        rows.append({"kind": link.kind, "label": link.label, "url": url})
    return rows


def _page_number(value: str) -> int:
    try:
        return min(max(int(value), 1), MAX_PAGES)
    except ValueError:
        return 1


@require_GET
@employee_required
def document_search(request: EmployeeRequest) -> HttpResponse:
    """Search the title and text of documents; the best first, a page of 20, ten pages at most."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page = _page_number(request.GET.get("pagina", "1"))
    results = search_documents(request.user, query, page=page, per_page=PER_PAGE) if query else None
    rows = []
    if results is not None:
        links = links_of(request.user, [hit.document for hit in results.hits])
        rows = [{"hit": hit, "links": link_rows(links[hit.document.pk])} for hit in results.hits]
    context = {
        "query": query,
        "searched": results is not None,
        "words": results.words if results else [],
        "rows": rows,
        "page": page,
        "has_next": bool(results and results.has_more),
        "first_rank": (page - 1) * PER_PAGE + 1,
        "last_rank": (page - 1) * PER_PAGE + len(rows),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "backoffice/documents/_results.html", context)
    return render(request, "backoffice/documents/search.html", context)


def document_context(request: EmployeeRequest, document: Document) -> dict[str, Any]:
    versions = versions_of(document)
    return {
        "document": document,
        "versions": versions,
        "current": versions[0] if versions else None,
        "links": link_rows(links_of(request.user, [document])[document.pk]),
        "failed": TextState.FAILED,
        "waiting": TextState.WAITING,
        "done": TextState.DONE,
    }


@require_GET
@employee_required
def document_detail(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    document = get_document_for(request.user, uuid)
    return render(request, "backoffice/documents/detail.html", document_context(request, document))


@require_POST
@employee_required
def document_text_retry(request: EmployeeRequest, uuid: uuid.UUID, number: int) -> HttpResponse:
    version = get_version_for(request.user, uuid, number)
    try:
        retry_text_extraction(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("De tekst van versie %(number)d wordt opnieuw gelezen.") % {"number": version.number}
        )
    return redirect("backoffice:document", uuid=version.document.uuid)
