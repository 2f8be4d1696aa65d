"""Reads of documents, with the visibility rule in one place: whoever acts for the municipality
(an employee, a department's system account) sees documents that are not confidential; a
confidential document only its own department. Citizens and anonymous users see nothing here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from balie.accounts.permissions import acts_for_municipality

from .models import Document, DocumentVersion, PartyDocument
from .registries import DocumentLink, document_link_providers


def visible_documents(user: Any, prefix: str = "") -> Q | None:
    """The filter for what `user` may see, on Document (or through `prefix`, e.g. "document__");
    None when they see nothing."""
    if not acts_for_municipality(user):
        return None
    rule = Q(**{f"{prefix}confidential": False})
    if user.department_id is not None:
        rule |= Q(**{f"{prefix}department_id": user.department_id})
    return rule


def documents_for(user: Any) -> QuerySet[Document]:
    rule = visible_documents(user)
    if rule is None:
        return Document.objects.none()
    return Document.objects.filter(rule)


def get_document_for(user: Any, document_id: uuid.UUID | str) -> Document:
    """The document by public id, or 404 when it does not exist or the user may not see it."""
    try:
        return (
            documents_for(user)
            .select_related("current_version", "department", "created_by")
            .get(uuid=document_id)
        )
    except (Document.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def get_version_for(user: Any, document_id: uuid.UUID | str, number: int) -> DocumentVersion:
    """One version of a document the user may see, or 404."""
    document = get_document_for(user, document_id)
    try:
        return DocumentVersion.objects.select_related("document").get(document=document, number=number)
    except DocumentVersion.DoesNotExist:
        raise Http404 from None


def versions_of(document: Document) -> list[DocumentVersion]:
    """Newest first."""
    return list(document.versions.select_related("created_by").order_by("-number"))


def party_links(user: Any, document_ids: Sequence[int]) -> dict[int, list[DocumentLink]]:
    """The parties each document is linked to (the store's own link provider)."""
    links: dict[int, list[DocumentLink]] = {}
    rows = (
        PartyDocument.objects.filter(document_id__in=list(document_ids), party__merged_into__isnull=True)
        .select_related("party")
        .order_by("added_at", "id")
    )
    for row in rows:
        links.setdefault(row.document_id, []).append(
            DocumentLink(kind="party", uuid=row.party.uuid, label=row.party.display_name)
        )
    return links


def links_of(user: Any, documents: Sequence[Document]) -> dict[int, list[DocumentLink]]:
    """What each document belongs to, as far as `user` may see it, from every app's provider."""
    ids = [document.pk for document in documents]
    found: dict[int, list[DocumentLink]] = {pk: [] for pk in ids}
    if not ids:
        return found
    for _name, provider in document_link_providers:
        for pk, links in provider(user, ids).items():
            if pk in found:
                found[pk].extend(links)
    return found


PARTY_DOCUMENTS_ON_PAGE = 10


def documents_of_party(user: Any, party: Any, *, limit: int = PARTY_DOCUMENTS_ON_PAGE) -> list[Document]:
    """The documents linked to a party that `user` may see, newest link first."""
    rule = visible_documents(user)
    if rule is None:
        return []
    return list(
        documents_for(user)
        .filter(party_links__party=party)
        .select_related("current_version")
        .defer("current_version__text", "search_vector")
        .order_by("-party_links__added_at", "-id")[:limit]
    )


def persons_linked_to(document: Document) -> list[uuid.UUID]:
    """The persons a document is linked to: reading it reads about them (the access log)."""
    return list(
        PartyDocument.objects.filter(document=document, party__kind="person")
        .values_list("party__uuid", flat=True)
        .distinct()
    )
