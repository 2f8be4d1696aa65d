"""Documents on a case: a file is stored as a document of the case, filed under one of the case
type's document types; confidentiality follows the case and the type; the case's timeline and
webhooks hear of it. A refused attachment changes nothing: no link, no document, no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from balie.cases import catalogue
from balie.cases.actions import (
    add_document_version,
    attach_document,
    close_case,
    complete_case_task,
    register_case,
    set_status,
)
from balie.cases.models import CaseDocument, CaseEvent, CaseTypeVersion, DocumentType
from balie.cases.queries import case_documents, persons_concerned_by
from balie.core.events import event_subscribers
from balie.documents.actions import store_document
from balie.documents.models import Document, DocumentVersion
from balie.documents.tests import samples
from balie.documents.tests.samples import stored_files, upload

from .conftest import build_case_type


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def document_version(admin, permit_version) -> CaseTypeVersion:
    """The permit case type's second version, with document types (the first has none)."""
    draft = catalogue.start_draft(case_type=permit_version.case_type, by=admin)
    catalogue.add_document_type(version=draft, by=admin, name="Aanvraagformulier", direction="incoming")
    catalogue.add_document_type(
        version=draft, by=admin, name="Advies brandweer", direction="internal", confidential=True
    )
    return catalogue.publish_version(version=draft, by=admin)


def document_type(version: CaseTypeVersion, name: str) -> DocumentType:
    return version.document_types.get(name=name)


@pytest.fixture
def permit_case(document_version, handler, applicant):
    return register_case(
        case_type=document_version.case_type,
        by=handler,
        subject="Verbouwing keuken",
        parties=[(applicant, "initiator")],
        attributes={"soort": "verbouwen"},
        handler=handler,
    )


@pytest.fixture
def published(monkeypatch):
    """The domain events published, as a webhook subscriber would receive them."""
    seen: list = []
    monkeypatch.setattr(event_subscribers, "_items", {**event_subscribers._items, "test": seen.append})
    return seen


def test_attaching_stores_the_document_and_files_it_under_its_type(
    permit_case, document_version, handler, media_root
):
    form = document_type(document_version, "Aanvraagformulier")

    link = attach_document(
        case=permit_case,
        by=handler,
        file=upload("aanvraag.pdf", samples.PDF, "application/pdf"),
        title="Aanvraag",
        document_type=form,
    )

    assert link.case == permit_case and link.document_type == form and link.added_by == handler
    document = link.document
    assert document.title == "Aanvraag" and not document.confidential
    assert document.department == permit_case.department
    assert document.current_version.mime_type == "application/pdf"
    assert len(stored_files(media_root)) == 1
    event = CaseEvent.objects.filter(case=permit_case).order_by("-id").first()
    assert event.kind == "document" and event.text == "Aanvraag" and event.by == handler
    assert event.data == {"document": str(document.uuid), "version": 1, "document_type": "Aanvraagformulier"}
    assert [row.document for row in case_documents(permit_case, user=handler)] == [document]


def test_the_event_is_published_in_the_transaction(permit_case, handler, media_root, published):
    attach_document(case=permit_case, by=handler, file=upload("plan.pdf", samples.PDF), title="Plan")

    [event] = [e for e in published if e.type == "be.balie.case.document"]
    assert event.subject == str(permit_case.uuid) and event.data["version"] == 1
    assert "Plan" not in str(event.data)  # a title can name a person; webhooks get the id


def test_a_confidential_document_type_makes_the_document_confidential(
    permit_case, document_version, handler, front_desk, media_root
):
    link = attach_document(
        case=permit_case,
        by=handler,
        file=upload("advies.pdf", samples.PDF),
        title="Advies over brandveiligheid",
        document_type=document_type(document_version, "Advies brandweer"),
    )

    assert link.document.confidential and link.document.department == permit_case.department
    # another department sees the case but not this document, and the timeline does not name it
    assert case_documents(permit_case, user=front_desk) == []
    event = CaseEvent.objects.filter(case=permit_case, kind="document").get()
    assert event.text == "vertrouwelijk document"


def test_a_document_of_a_confidential_case_is_confidential(document_version, handler, media_root):
    secret = register_case(
        case_type=document_version.case_type,
        by=handler,
        subject="Klacht over een collega",
        attributes={"soort": "bouwen"},
        confidential=True,
    )

    link = attach_document(case=secret, by=handler, file=upload("klacht.pdf", samples.PDF), title="Klacht")

    assert link.document.confidential and link.document.department == secret.department


def test_a_document_type_of_another_case_type_is_refused_and_nothing_changes(
    permit_case, admin, omgeving, handler, media_root
):
    other_version = build_case_type(admin, omgeving, code="kapvergunning")
    draft = catalogue.start_draft(case_type=other_version.case_type, by=admin)
    foreign = catalogue.add_document_type(version=draft, by=admin, name="Foto boom", direction="incoming")
    catalogue.publish_version(version=draft, by=admin)
    events_before = CaseEvent.objects.filter(case=permit_case).count()

    with pytest.raises(ValidationError) as refused:
        attach_document(
            case=permit_case,
            by=handler,
            file=upload("boom.jpg", samples.JPEG),
            title="Boom",
            document_type=foreign,
        )

    assert refused.value.message_dict == {
        "document_type": ["Dit documenttype hoort niet bij het zaaktype van de zaak."]
    }
    assert not CaseDocument.objects.exists() and not Document.objects.exists()
    assert CaseEvent.objects.filter(case=permit_case).count() == events_before
    assert stored_files(media_root) == []


def test_a_document_type_of_another_version_of_the_same_case_type_is_refused(
    permit_case, document_version, admin, handler, media_root
):
    newer = catalogue.start_draft(case_type=document_version.case_type, by=admin)
    newer_type = newer.document_types.get(name="Aanvraagformulier")

    with pytest.raises(ValidationError):
        attach_document(
            case=permit_case,
            by=handler,
            file=upload("a.pdf", samples.PDF),
            title="A",
            document_type=newer_type,
        )

    assert not CaseDocument.objects.exists() and stored_files(media_root) == []


def test_a_file_that_is_not_allowed_is_refused_with_the_type_checked_too(
    permit_case, admin, omgeving, handler, media_root
):
    other = build_case_type(admin, omgeving, code="kapvergunning")
    draft = catalogue.start_draft(case_type=other.case_type, by=admin)
    foreign = catalogue.add_document_type(version=draft, by=admin, name="Foto", direction="incoming")

    with pytest.raises(ValidationError) as refused:
        attach_document(
            case=permit_case, by=handler, file=upload("x.pdf", samples.EXE), title="X", document_type=foreign
        )

    assert set(refused.value.message_dict) == {"file", "document_type"}
    assert stored_files(media_root) == [] and not Document.objects.exists()


def test_a_closed_case_takes_no_documents(permit_case, handler, media_root):
    complete_case_task(task=permit_case.tasks.get(), by=handler)
    case = set_status(
        case=permit_case, status_type=permit_case.version.status_types.get(name="In behandeling"), by=handler
    )
    case = close_case(case=case, result_type=case.version.result_types.get(name="Vergund"), by=handler)

    with pytest.raises(ValidationError) as refused:
        attach_document(case=case, by=handler, file=upload("laat.pdf", samples.PDF), title="Te laat")

    assert refused.value.messages == ["Deze zaak is afgesloten."]
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_a_citizen_cannot_attach(permit_case, citizen, media_root):
    with pytest.raises(ValidationError):
        attach_document(case=permit_case, by=citizen, file=upload("a.pdf", samples.PDF), title="A")

    assert stored_files(media_root) == []


def test_a_new_version_of_a_case_document(permit_case, handler, media_root):
    link = attach_document(
        case=permit_case, by=handler, file=upload("brief.docx", samples.docx()), title="Brief"
    )

    version = add_document_version(
        case=permit_case, document=link.document, file=upload("brief.pdf", samples.PDF), by=handler
    )

    assert version.number == 2 and version.mime_type == "application/pdf"
    link.document.refresh_from_db()
    assert link.document.current_version == version
    event = CaseEvent.objects.filter(case=permit_case, kind="document").order_by("-id").first()
    assert event.text == "Brief (versie 2)" and event.data["version"] == 2
    assert len(stored_files(media_root)) == 2


def test_a_version_of_a_document_that_is_not_on_the_case_is_refused(permit_case, handler, media_root):
    loose = store_document(file=upload("los.pdf", samples.PDF), title="Los", by=handler)

    with pytest.raises(ValidationError) as refused:
        add_document_version(
            case=permit_case, document=loose, file=upload("los2.pdf", samples.PDF), by=handler
        )

    assert refused.value.messages == ["Dit document hoort niet bij deze zaak."]
    assert DocumentVersion.objects.filter(document=loose).count() == 1
    assert len(stored_files(media_root)) == 1


def test_reading_a_case_document_concerns_the_persons_of_the_case(
    permit_case, handler, applicant, media_root
):
    link = attach_document(case=permit_case, by=handler, file=upload("a.pdf", samples.PDF), title="A")
    loose = store_document(file=upload("los.pdf", samples.PDF), title="Los", by=handler)

    assert persons_concerned_by(link.document) == [applicant.uuid]
    assert persons_concerned_by(loose) == []
