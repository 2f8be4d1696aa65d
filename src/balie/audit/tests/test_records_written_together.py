"""Change records written together at the end of a block: one INSERT, the same rows as one by
one, without those of a savepoint that was rolled back, and none when the block fails."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from balie.audit.actions import record_change, records_written_together
from balie.audit.models import ChangeAction, ChangeRecord

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_records_of_a_block_are_one_insert_and_rolled_back_work_is_left_out(omgeving):
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), records_written_together():
        record_change(instance=omgeving, action=ChangeAction.UPDATE, changes={"a": [1, 2]}, by=None)
        try:
            with transaction.atomic():
                record_change(instance=omgeving, action=ChangeAction.UPDATE, changes={"b": [1, 2]}, by=None)
                raise Boom
        except Boom:
            pass
        with transaction.atomic():
            record_change(instance=omgeving, action=ChangeAction.UPDATE, changes={"c": [1, 2]}, by=None)
        assert not ChangeRecord.objects.filter(
            object_uuid=omgeving.uuid, action=ChangeAction.UPDATE
        ).exists()  # not yet written

    inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "audit_changerecord"')]
    assert len(inserts) == 1
    written = ChangeRecord.objects.filter(object_uuid=omgeving.uuid, action=ChangeAction.UPDATE).order_by(
        "pk"
    )
    assert [list(r.changes) for r in written] == [["a"], ["c"]]
    assert {r.actor_label for r in written} == {"systeem"}


def test_a_failing_block_writes_none_and_outside_a_block_records_are_written_at_once(omgeving):
    with pytest.raises(Boom), transaction.atomic(), records_written_together():
        record_change(instance=omgeving, action=ChangeAction.UPDATE, changes={"a": [1, 2]}, by=None)
        raise Boom
    assert not ChangeRecord.objects.filter(object_uuid=omgeving.uuid, action=ChangeAction.UPDATE).exists()

    with transaction.atomic():
        record_change(instance=omgeving, action=ChangeAction.UPDATE, changes={"d": [1, 2]}, by=None)
        assert ChangeRecord.objects.filter(object_uuid=omgeving.uuid, action=ChangeAction.UPDATE).count() == 1
