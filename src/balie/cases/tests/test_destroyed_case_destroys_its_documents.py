"""A case destroyed after the archivist's review takes its documents with it: rows and files. A
document that another case still holds stays. The change log keeps that they existed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.audit.models import ChangeAction, ChangeRecord
from balie.cases.actions import attach_document, close_case, complete_case_task, register_case, set_status
from balie.cases.models import Case, CaseDocument, RetentionReview
from balie.cases.registries import case_destruction_handlers
from balie.cases.retention import approve_destruction, destroy_cases, list_cases_due_for_review
from balie.documents.models import Document, DocumentVersion
from balie.documents.tests import samples
from balie.documents.tests.samples import stored_files, upload

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else TODAY

    monkeypatch.setattr("balie.cases.retention.timezone.localdate", localdate)


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def archivist(burgerzaken):
    return create_employee(
        username="archief",
        first_name="Greet",
        last_name="Hermans",
        email="archief@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.ARCHIVIST],
        by=None,
    )


def close_and_list(case, handler) -> RetentionReview:
    complete_case_task(task=case.tasks.get(), by=handler)
    case = set_status(case=case, status_type=case.version.status_types.get(name="In behandeling"), by=handler)
    case = close_case(case=case, result_type=case.version.result_types.get(name="Geweigerd"), by=handler)
    Case.objects.filter(pk=case.pk).update(archive_action_date=dt.date(2026, 11, 1))
    list_cases_due_for_review()
    return RetentionReview.objects.get(case=case)


def test_the_documents_of_a_destroyed_case_are_destroyed_with_their_files(
    permit_type, handler, archivist, media_root, django_capture_on_commit_callbacks
):
    case = register_case(
        case_type=permit_type, by=handler, subject="Verbouwing", attributes={"soort": "bouwen"}
    )
    other = register_case(case_type=permit_type, by=handler, subject="Ander", attributes={"soort": "bouwen"})
    mine = attach_document(case=case, by=handler, file=upload("plan.pdf", samples.PDF), title="Plan").document
    kept = attach_document(
        case=other, by=handler, file=upload("ander.pdf", samples.PDF), title="Ander"
    ).document
    shared = attach_document(case=case, by=handler, file=upload("gedeeld.pdf", samples.PDF), title="Gedeeld")
    CaseDocument.objects.create(
        case=other, document=shared.document, added_by=handler, added_at=timezone.now()
    )
    review = close_and_list(case, handler)
    approve_destruction(reviews=[review], by=archivist)
    assert len(stored_files(media_root)) == 3

    with django_capture_on_commit_callbacks(execute=True):
        destroy_cases(reviews=[RetentionReview.objects.get(pk=review.pk)], by=archivist)

    assert not Document.objects.filter(pk=mine.pk).exists()
    assert not DocumentVersion.objects.filter(document_id=mine.pk).exists()
    assert Document.objects.filter(pk__in=[kept.pk, shared.document.pk]).count() == 2
    assert list(CaseDocument.objects.values_list("case_id", flat=True)) == [other.pk, other.pk]
    assert len(stored_files(media_root)) == 2
    record = ChangeRecord.objects.get(object_uuid=mine.uuid, action=ChangeAction.DELETE)
    assert record.actor_uuid == archivist.uuid and case.number in record.reason
    assert "Plan" not in str(record.changes)
    # the history keeps that the document and its version were made, not their title or name
    made = ChangeRecord.objects.filter(
        object_uuid__in=[mine.uuid, mine.current_version.uuid], action=ChangeAction.CREATE
    )
    assert made.count() == 2
    assert "Plan" not in str(list(made.values_list("changes", flat=True)))
    assert "plan.pdf" not in str(list(made.values_list("changes", flat=True)))
    kept_record = ChangeRecord.objects.get(object_uuid=kept.uuid, action=ChangeAction.CREATE)
    assert kept_record.changes["title"] == [None, "Ander"]


def test_the_handler_is_registered():
    assert "documents" in dict(case_destruction_handlers)
