"""Reads of templates, letters and mass mailings, each with who may see them.

Templates and blocks are managed by the functional administrator; an employee uses the active
templates of their own department and those of every department. A letter is seen by whoever
sees its documents (documents.queries: a confidential letter only by its department); so is a
mass mailing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from balie.accounts.permissions import acts_for_municipality, can_manage_catalogue

from ..models import (
    Letter,
    LetterBlock,
    LetterTemplate,
    LetterTemplateVersion,
    Mailing,
    MailingItem,
    MailingItemState,
)
from ..queries import visible_documents


def _get(queryset: QuerySet[Any], public_id: uuid.UUID | str) -> Any:
    try:
        return queryset.get(uuid=public_id)
    except (queryset.model.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


# -- the administrator's --------------------------------------------------------------------------


def templates_to_manage(user: Any) -> QuerySet[LetterTemplate]:
    if not can_manage_catalogue(user):
        return LetterTemplate.objects.none()
    return LetterTemplate.objects.select_related("current_version", "department").order_by("name", "language")


def get_template_to_manage(user: Any, public_id: uuid.UUID | str) -> LetterTemplate:
    return _get(templates_to_manage(user), public_id)


def get_template_version_to_manage(user: Any, public_id: uuid.UUID | str) -> LetterTemplateVersion:
    if not can_manage_catalogue(user):
        raise Http404
    return _get(LetterTemplateVersion.objects.select_related("template", "created_by"), public_id)


def versions_of_template(template: LetterTemplate) -> list[LetterTemplateVersion]:
    return list(template.versions.select_related("created_by").order_by("-number"))


def blocks_to_manage(user: Any) -> QuerySet[LetterBlock]:
    if not can_manage_catalogue(user):
        return LetterBlock.objects.none()
    return LetterBlock.objects.select_related("current_version").order_by("name")


def get_block_to_manage(user: Any, public_id: uuid.UUID | str) -> LetterBlock:
    return _get(blocks_to_manage(user), public_id)


def templates_using_block(code: str) -> list[LetterTemplate]:
    """The templates whose current version inserts the block (what a change to it changes)."""
    return [
        template
        for template in LetterTemplate.objects.select_related("current_version").filter(active=True)
        if template.current_version is not None and code in template.current_version.blocks
    ]


# -- an employee's ---------------------------------------------------------------------------------


def usable_templates(user: Any) -> QuerySet[LetterTemplate]:
    """The templates an employee may write a letter with: active, with a file, and of their
    department or of every department."""
    if not acts_for_municipality(user):
        return LetterTemplate.objects.none()
    rule = Q(department__isnull=True)
    if user.department_id is not None:
        rule |= Q(department_id=user.department_id)
    return (
        LetterTemplate.objects.filter(rule, active=True, current_version__isnull=False)
        .select_related("current_version")
        .order_by("name", "language")
    )


def letters_for(user: Any) -> QuerySet[Letter]:
    rule = visible_documents(user, prefix="docx_document__")
    if rule is None:
        return Letter.objects.none()
    return Letter.objects.filter(rule)


def get_letter_for(user: Any, public_id: uuid.UUID | str) -> Letter:
    return _get(
        letters_for(user).select_related(
            "template_version__template",
            "party",
            "created_by",
            "docx_document__current_version",
            "pdf_document__current_version",
        ),
        public_id,
    )


def mailings_for(user: Any) -> QuerySet[Mailing]:
    """Who acts for the municipality sees the mailings that are not confidential; a confidential
    one only its department."""
    if not acts_for_municipality(user):
        return Mailing.objects.none()
    rule = Q(confidential=False)
    if user.department_id is not None:
        rule |= Q(department_id=user.department_id)
    return Mailing.objects.filter(rule).select_related(
        "template_version__template", "created_by", "department"
    )


def get_mailing_for(user: Any, public_id: uuid.UUID | str) -> Mailing:
    return _get(mailings_for(user), public_id)


def mailing_items(mailing: Mailing, *, state: str, limit: int = 50) -> list[MailingItem]:
    """A mailing's items in one state, in order (the first `limit`)."""
    return list(
        MailingItem.objects.filter(mailing=mailing, state=state)
        .select_related(
            "party", "letter__pdf_document__current_version", "letter__docx_document__current_version"
        )
        .order_by("position")[:limit]
    )


def failed_items(mailing: Mailing, limit: int = 200) -> list[MailingItem]:
    return mailing_items(mailing, state=MailingItemState.FAILED, limit=limit)
