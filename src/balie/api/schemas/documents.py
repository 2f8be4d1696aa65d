"""Documents: metadata, versions with the state of their text, search hits."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from balie.documents.models import Document, DocumentVersion, TextMethod, TextState

from .common import DepartmentRefOut, UserRefOut


class TextOut(Schema):
    state: TextState = Field(
        description="waiting: nog niet gelezen; done: gelezen; failed: mislukt (zie error, opnieuw te"
        " proberen); not_applicable: Balie leest geen tekst uit dit soort bestand."
    )
    method: TextMethod = Field(
        description="text_layer: de tekstlaag van de PDF; ocr: tekstherkenning (Tesseract);"
        " text_layer_ocr: beide; file: de tekst van het bestand zelf (Word, ODT, tekst, e-mail)."
    )
    pages: int | None
    error: str = Field(description="Waarom het lezen mislukte, in het Nederlands.")
    done_at: dt.datetime | None


class VersionOut(Schema):
    uuid: UUID
    number: int = Field(description="1, 2, … per document.")
    original_filename: str = Field(description="De naam van het opgeladen bestand, opgeschoond.")
    size: int = Field(description="In bytes.")
    sha256: str
    mime_type: str = Field(description="Gelezen uit de inhoud, niet uit de naam of wat de client zei.")
    created_at: dt.datetime
    created_by: UserRefOut
    text: TextOut
    download: str = Field(description="De URL die het bestand geeft.")

    @staticmethod
    def resolve_text(obj: DocumentVersion) -> dict[str, Any]:
        return {
            "state": obj.text_state,
            "method": obj.text_method,
            "pages": obj.text_pages,
            "error": obj.text_error,
            "done_at": obj.text_done_at,
        }

    @staticmethod
    def resolve_download(obj: DocumentVersion) -> str:
        return reverse(
            "api-v1:download_version",
            kwargs={"document_uuid": obj.document.uuid, "number": obj.number},
        )


class LinkOut(Schema):
    kind: str = Field(description="party, case, contact_moment, post_item …")
    uuid: UUID
    label: str


class DocumentOut(Schema):
    uuid: UUID
    title: str
    confidential: bool
    department: DepartmentRefOut | None
    created_at: dt.datetime
    created_by: UserRefOut
    current_version: VersionOut | None
    links: list[LinkOut] = Field(
        description="Waar het document bij hoort, voor zover de toepassing dat ziet."
    )

    @staticmethod
    def resolve_links(obj: Document) -> list[Any]:
        return list(getattr(obj, "links", []))


class VersionList(Schema):
    results: list[VersionOut]


class TextContentOut(Schema):
    number: int
    text: TextOut
    content: str = Field(description="De gelezen tekst (leeg zolang ze niet gelezen is).")


class HitOut(Schema):
    document: DocumentOut
    rank: float = Field(description="Hoe beter het document past, hoe hoger.")
    snippet: str = Field(
        description="Een stukje tekst rond de gevonden woorden, als HTML: de woorden in <mark>, de rest"
        " ge-escapet."
    )


class SearchPage(Schema):
    results: list[HitOut]
    next: str | None = Field(description="De volgende pagina (tot pagina 10), of null.")
