"""Reads of documents, with the visibility rule in one place: whoever acts for the municipality
(an employee, a department's system account) sees documents that are not confidential; a
confidential document only its own department. Citizens and anonymous users see nothing here."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from balie.accounts.permissions import acts_for_municipality

from .models import Document, DocumentVersion


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
