"""Reads of signing requests and procedures. A request is seen by whoever may see its document
(documents.queries: a confidential document only by its department); what a user may not see is
"not found"."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from balie.accounts.permissions import acts_for_municipality

from ..models import (
    Document,
    ProcedureSigner,
    SigningEvent,
    SigningFunction,
    SigningProcedure,
    SigningRequest,
    SigningState,
    SigningStep,
    Substitution,
)
from ..queries import visible_documents
from .rules import waiting_for

RECENT_DAYS = 30


def signing_requests_for(user: Any) -> QuerySet[SigningRequest]:
    rule = visible_documents(user, prefix="document__")
    if rule is None:
        return SigningRequest.objects.none()
    return SigningRequest.objects.filter(rule)


def _with_details(rows: QuerySet[SigningRequest]) -> QuerySet[SigningRequest]:
    return rows.select_related(
        "document", "version", "procedure", "requested_by", "department", "signed_version"
    ).prefetch_related(
        Prefetch(
            "steps",
            queryset=SigningStep.objects.select_related(
                "user", "function__holder", "acted_by", "on_behalf_of", "produced_version"
            ).order_by("position"),
        )
    )


def get_signing_request_for(user: Any, request_id: uuid.UUID | str) -> SigningRequest:
    try:
        return _with_details(signing_requests_for(user)).get(uuid=request_id)
    except (SigningRequest.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def requests_of_document(user: Any, document: Document) -> list[SigningRequest]:
    """The document's requests, newest first (the open one, if any, is the first)."""
    return list(
        _with_details(signing_requests_for(user).filter(document=document)).order_by("-created_at", "-id")
    )


def events_of(request: SigningRequest) -> list[SigningEvent]:
    return list(request.events.select_related("by", "on_behalf_of", "version").order_by("id"))


def waiting_for_me(user: Any, *, on: dt.date | None = None) -> list[SigningRequest]:
    """What waits for `user` to approve or sign, oldest first (those wait longest)."""
    rows = signing_requests_for(user).filter(waiting_for(user, on=on)).distinct()
    return list(_with_details(rows).order_by("created_at", "id")[:200])


def my_requests(user: Any, *, now: dt.datetime | None = None) -> list[SigningRequest]:
    """What `user` asked: the open ones, and what finished in the last month (a refusal comes
    back to its author here)."""
    since = (now or timezone.now()) - dt.timedelta(days=RECENT_DAYS)
    rows = (
        signing_requests_for(user)
        .filter(requested_by=user)
        .filter(
            Q(state__in=[SigningState.APPROVAL, SigningState.SIGNING, SigningState.PLATFORM])
            | Q(finished_at__gte=since)
        )
    )
    return list(_with_details(rows).order_by("-created_at", "-id")[:100])


# --- procedures (Beheer, and choosing one when asking for signatures) ------------------------------


def procedures(*, active_only: bool = False) -> QuerySet[SigningProcedure]:
    rows = SigningProcedure.objects.prefetch_related(
        Prefetch(
            "signers",
            queryset=ProcedureSigner.objects.select_related("user", "function__holder").order_by("position"),
        )
    ).order_by("name")
    return rows.filter(active=True) if active_only else rows


def get_procedure(procedure_id: uuid.UUID | str) -> SigningProcedure:
    try:
        return procedures().get(uuid=procedure_id)
    except (SigningProcedure.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def get_signer(procedure: SigningProcedure, signer_id: int) -> ProcedureSigner:
    try:
        return ProcedureSigner.objects.get(procedure=procedure, pk=signer_id)
    except ProcedureSigner.DoesNotExist:
        raise Http404 from None


def signing_functions() -> QuerySet[SigningFunction]:
    return SigningFunction.objects.select_related("holder").order_by("name")


def get_signing_function(function_id: uuid.UUID | str) -> SigningFunction:
    try:
        return signing_functions().get(uuid=function_id)
    except (SigningFunction.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def substitutions(*, current_on: dt.date | None = None) -> QuerySet[Substitution]:
    """Substitutions that have not ended before `current_on` (today): current and coming."""
    on = current_on or timezone.localdate()
    return (
        Substitution.objects.filter(valid_until__gte=on)
        .select_related("for_user", "for_function__holder", "substitute")
        .order_by("valid_from", "id")
    )


def get_substitution(substitution_id: uuid.UUID | str) -> Substitution:
    try:
        return Substitution.objects.get(uuid=substitution_id)
    except (Substitution.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def can_request_signing(user: Any) -> bool:
    return acts_for_municipality(user)
