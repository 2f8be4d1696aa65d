"""Reads of API applications."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiApplication
from .tokens import hash_token, looks_like_token


def api_applications() -> QuerySet[ApiApplication]:
    return ApiApplication.objects.select_related("department", "user").order_by("name")


def find_application_for_token(token: str) -> ApiApplication | None:
    """The active application holding `token`, with its system account and department, or None."""
    if not looks_like_token(token):
        return None
    return (
        ApiApplication.objects.select_related("user__department", "department")
        .filter(token_hash=hash_token(token), active=True, user__is_active=True)
        .first()
    )
