"""Every API response that shows a person is written to the personal-data access log."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel
from balie.parties.models import Party, PartyKind

from .auth import caller_of

SUBJECT_TYPE = "person"


def log_persons_shown(request: HttpRequest, parties: Iterable[Party | None]) -> None:
    """Log each person among `parties` once, as seen by the caller at this endpoint (path only: the
    query string may hold a national number)."""
    persons = [party.uuid for party in parties if party is not None and party.kind == PartyKind.PERSON]
    if not persons:
        return
    caller = caller_of(request)
    log_personal_data_accesses(
        by=caller.user,
        subject_uuids=persons,
        subject_type=SUBJECT_TYPE,
        channel=AccessChannel.API,
        location=request.path,
        purpose=caller.purpose,
        application=caller.application_name,
    )
