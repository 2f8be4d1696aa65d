"""Logging that someone saw many persons at once (an API or list page)."""

from __future__ import annotations

import uuid

from balie.accounts.models import User
from balie.audit.actions import log_personal_data_accesses
from balie.audit.models import AccessChannel, PersonalDataAccess


def test_it_logs_one_row_per_person_seen(front_desk: User) -> None:
    # given
    first, second = uuid.uuid4(), uuid.uuid4()
    # when
    log_personal_data_accesses(
        by=front_desk,
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
        (first, front_desk.uuid, "Olga Onthaal (onthaal)", "api", "/api/v1/parties", "Website"),
        (second, front_desk.uuid, "Olga Onthaal (onthaal)", "api", "/api/v1/parties", "Website"),
    ]


def test_it_writes_nothing_for_an_empty_page(front_desk: User) -> None:
    # when
    rows = log_personal_data_accesses(
        by=front_desk, subject_uuids=[], subject_type="person", channel=AccessChannel.API, location="/x"
    )
    # then
    assert rows == []
    assert PersonalDataAccess.objects.count() == 0
