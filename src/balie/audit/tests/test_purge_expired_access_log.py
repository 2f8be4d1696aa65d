"""The personal-data access log is kept ten years; older rows are deleted by a daily job."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from balie.audit.models import AccessChannel, PersonalDataAccess
from balie.audit.tasks import purge_expired_access_log


def _access_at(at: dt.datetime) -> PersonalDataAccess:
    row = PersonalDataAccess.objects.create(
        actor_uuid=uuid.uuid4(),
        actor_label="Olga Onthaal (onthaal)",
        subject_uuid=uuid.uuid4(),
        subject_type="person",
        channel=AccessChannel.PAGE,
        location="/klanten/",
    )
    PersonalDataAccess.objects.filter(pk=row.pk).update(at=at)
    return row


@pytest.mark.django_db
def test_it_deletes_access_log_rows_older_than_ten_years_and_keeps_the_rest() -> None:
    now = timezone.now()
    expired = _access_at(now.replace(year=now.year - 10) - dt.timedelta(days=1))
    kept_old = _access_at(now.replace(year=now.year - 10) + dt.timedelta(days=1))
    kept_recent = _access_at(now - dt.timedelta(days=3))

    deleted = purge_expired_access_log.call()

    assert deleted == 1
    assert not PersonalDataAccess.objects.filter(pk=expired.pk).exists()
    assert set(PersonalDataAccess.objects.values_list("pk", flat=True)) == {kept_old.pk, kept_recent.pk}


@pytest.mark.django_db
def test_it_deletes_nothing_when_nothing_has_expired() -> None:
    row = _access_at(timezone.now() - dt.timedelta(days=365 * 9))

    deleted = purge_expired_access_log.call()

    assert deleted == 0
    assert list(PersonalDataAccess.objects.values_list("pk", flat=True)) == [row.pk]
