"""Documents: upload (a new document, or a new version of one), read, list versions, download a
version, read its text, search. Every read goes through the document store's visibility: a
confidential document of another department is "not found", and never a search hit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from balie.accounts.models import User
from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.cases.queries import persons_concerned_by
from balie.documents import actions
from balie.documents.downloads import file_response
from balie.documents.models import Document, DocumentVersion
from balie.documents.queries import (
    get_document_for,
    get_version_for,
    links_of,
    persons_linked_to,
    versions_of,
)
from balie.documents.search import MAX_PAGES, search_documents

from ..access_log import SUBJECT_TYPE
from ..auth import caller_of, requires
from ..lookups import Lookup
from ..models import Scope
from ..schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from ..schemas.documents import DocumentOut, SearchPage, TextContentOut, VersionList, VersionOut

router = Router(tags=["documenten"])
MAX_SEARCH_PAGE_SIZE = 50


def _described(user: User, document: Document) -> Document:
    """The document with what it belongs to (as far as `user` may see), for DocumentOut."""
    document.links = links_of(user, [document])[document.pk]  # type: ignore[attr-defined]
    return document


def _version(version: DocumentVersion) -> DocumentVersion:
    return DocumentVersion.objects.select_related("document", "created_by").get(pk=version.pk)


# --- reading -----------------------------------------------------------------------------------


class SearchFilters(Schema):
    q: str = Field(
        min_length=1, max_length=200, description="De woorden om te zoeken (alle moeten voorkomen)."
    )
    page: int = Field(1, ge=1, le=MAX_PAGES, description="Pagina 1 tot 10; verfijn de zoekvraag voor meer.")
    page_size: int = Field(20, ge=1, le=MAX_SEARCH_PAGE_SIZE)


@router.get(
    "/search",
    response={200: SearchPage, **LIST_ERRORS},
    summary="Documenten doorzoeken",
    description="Zoekt in de titel en de gelezen tekst (ook OCR) van de huidige versie. Alle woorden"
    " moeten voorkomen, in enkelvoud of meervoud; de beste eerst, met een fragment. Vertrouwelijke"
    " documenten van een andere dienst zijn nooit een resultaat.",
    **requires(Scope.DOCUMENTS_READ),
)
def search(request: HttpRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    user = caller_of(request).user
    results = search_documents(user, filters.q, page=filters.page, per_page=filters.page_size)
    documents = [hit.document for hit in results.hits]
    links = links_of(user, documents)
    for document in documents:
        document.links = links[document.pk]  # type: ignore[attr-defined]
    next_url = None
    if results.has_more:
        query = request.GET.copy()
        query["page"] = str(filters.page + 1)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "results": [
            {"document": hit.document, "rank": hit.rank, "snippet": str(hit.snippet)} for hit in results.hits
        ],
        "next": next_url,
    }


@router.get(
    "/{document_uuid}",
    response={200: DocumentOut, **READ_ERRORS},
    summary="Een document lezen",
    description="Titel, vertrouwelijkheid, dienst, de huidige versie en waar het document bij hoort."
    " Een vertrouwelijk document van een andere dienst geeft 404.",
    **requires(Scope.DOCUMENTS_READ),
)
def get_document(request: HttpRequest, document_uuid: UUID) -> Document:
    user = caller_of(request).user
    return _described(user, get_document_for(user, document_uuid))


@router.get(
    "/{document_uuid}/versions",
    response={200: VersionList, **READ_ERRORS},
    summary="De versies van een document",
    description="Alle versies, nieuwste eerst, elk met grootte, SHA-256, type en de stand van de tekst.",
    **requires(Scope.DOCUMENTS_READ),
)
def list_versions(request: HttpRequest, document_uuid: UUID) -> dict[str, Any]:
    document = get_document_for(caller_of(request).user, document_uuid)
    versions = versions_of(document)
    for version in versions:
        version.document = document
    return {"results": versions}


def _download_options() -> dict[str, Any]:
    """The scope's options, with the file described as the 200 answer."""
    options = requires(Scope.DOCUMENTS_READ)
    options["openapi_extra"] = {
        **options["openapi_extra"],
        "responses": {
            "200": {
                "description": "Het bestand.",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    }
    return options


@router.get(
    "/{document_uuid}/versions/{number}/file",
    response=READ_ERRORS,
    summary="Een versie downloaden",
    description="Het bestand als bijlage (Content-Disposition: attachment), met het type uit de inhoud,"
    " X-Content-Type-Options: nosniff en Cache-Control: private, no-store. Een document van een zaak"
    " met personen, of van een persoon, staat bij elke download in het inzagelogboek.",
    url_name="download_version",
    **_download_options(),
)
def download_version(request: HttpRequest, document_uuid: UUID, number: int) -> FileResponse:
    caller = caller_of(request)
    version = get_version_for(caller.user, document_uuid, number)
    response = file_response(version)
    persons = list(
        dict.fromkeys(persons_concerned_by(version.document) + persons_linked_to(version.document))
    )
    log_personal_data_accesses(
        by=caller.user,
        subject_uuids=persons,
        subject_type=SUBJECT_TYPE,
        channel=AccessChannel.API,
        location=request.path,
        purpose=caller.purpose,
        application=caller.application_name,
    )
    return response


@router.get(
    "/{document_uuid}/versions/{number}/text",
    response={200: TextContentOut, **READ_ERRORS},
    summary="De gelezen tekst van een versie",
    description="De tekst die Balie uit de versie las (tekstlaag, OCR of het bestand zelf) en hoe.",
    **requires(Scope.DOCUMENTS_READ),
)
def get_version_text(request: HttpRequest, document_uuid: UUID, number: int) -> dict[str, Any]:
    version = get_version_for(caller_of(request).user, document_uuid, number)
    return {"number": version.number, "text": VersionOut.resolve_text(version), "content": version.text}


# --- uploading ---------------------------------------------------------------------------------


@router.post(
    "",
    response={201: DocumentOut, **WRITE_ERRORS},
    summary="Een document opladen",
    description="Multipart/form-data: `file` (het bestand), `title` (leeg: de bestandsnaam),"
    " `confidential` (alleen de eigen dienst ziet het) en `party` (uuid van een klant om het aan te"
    " koppelen). Het type wordt uit de inhoud gelezen; een bestand dat te groot is, een soort die"
    " niet mag, of een PDF die versleuteld, onvolledig of beschadigd is, geeft 422 en er wordt niets"
    " bewaard. De tekst wordt daarna op de achtergrond gelezen (ook OCR).",
    **requires(Scope.DOCUMENTS_WRITE),
)
def upload_document(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    confidential: Form[bool] = False,
    party: Form[UUID | None] = None,
) -> Status[Document]:
    user = caller_of(request).user
    lookup = Lookup(user)
    linked = lookup.party("party", party)
    lookup.raise_errors()
    document = actions.store_document(
        file=file, title=title, by=user, confidential=confidential, party=linked
    )
    return Status(201, _described(user, get_document_for(user, document.uuid)))


@router.post(
    "/{document_uuid}/versions",
    response={201: VersionOut, **WRITE_ERRORS},
    summary="Een nieuwe versie opladen",
    description="Multipart/form-data met `file`. De nieuwe versie wordt de huidige; dezelfde controles"
    " als bij een nieuw document.",
    **requires(Scope.DOCUMENTS_WRITE),
)
def upload_version(
    request: HttpRequest, document_uuid: UUID, file: File[UploadedFile]
) -> Status[DocumentVersion]:
    user = caller_of(request).user
    document = get_document_for(user, document_uuid)
    version = actions.add_version(document=document, file=file, by=user)
    return Status(201, _version(version))


@router.post(
    "/{document_uuid}/versions/{number}/text/retry",
    response={200: VersionOut, **WRITE_ERRORS},
    summary="De tekst opnieuw laten lezen",
    description="Voor een versie waarvan het lezen mislukte (state failed); anders 422.",
    **requires(Scope.DOCUMENTS_WRITE),
)
def retry_text(request: HttpRequest, document_uuid: UUID, number: int) -> DocumentVersion:
    user = caller_of(request).user
    version = get_version_for(user, document_uuid, number)
    try:
        actions.retry_text_extraction(version=version, by=user)
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from None
    return _version(version)
