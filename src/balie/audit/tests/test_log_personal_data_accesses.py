"""Logging that someone saw many persons at once (an API or list page)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel, PersonalDataAccess


@dataclass
class Reader:
    """Any actor: audit knows no accounts (it sits below them)."""

    uuid: uuid.UUID = field(default_factory=uuid.uuid4)

    def audit_label(self) -> str:
        return "Website (api-website)"


def test_it_logs_one_row_per_person_seen(db: None) -> None:
    # given
    reader, first, second = Reader(), uuid.uuid4(), uuid.uuid4()
    # when
    log_personal_data_accesses(
        by=reader,
        subject_uuids=[first, second, first],
        subject_type="person",
        channel=AccessChannel.API,
        location="/api/v1/parties",
        application="Website",
    )
    # then
    rows = PersonalDataAccess.objects.order_by("id")
    seen = [(r.subject_uuid, r.actor_uuid, r.actor_label, r.channel, r.location, r.application) for r in rows]
    assert seen == [
        (first, reader.uuid, "Website (api-website)", "api", "/api/v1/parties", "Website"),
        (second, reader.uuid, "Website (api-website)", "api", "/api/v1/parties", "Website"),
    ]


def test_it_writes_nothing_for_an_empty_page(db: None) -> None:
    # when
    rows = log_personal_data_accesses(
        by=Reader(), subject_uuids=[], subject_type="person", channel=AccessChannel.API, location="/x"
    )
    # then
    assert rows == []
    assert PersonalDataAccess.objects.count() == 0
