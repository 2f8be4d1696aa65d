"""A document given at a contact (a form handed in at the counter) is stored with the contact: it
belongs to the contact's department and is confidential when the contact is. What a document
belongs to (cases, contacts, parties) is told to those who may see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.cases.actions import attach_document
from balie.contact_moments.actions import (
    attach_document_to_contact_moment,
    link_document_to_contact_moment,
    register_case_from_contact_moment,
    register_contact_moment,
)
from balie.contact_moments.models import ContactMomentDocument
from balie.contact_moments.queries import documents_of_contact_moment
from balie.documents.models import Document
from balie.documents.queries import links_of
from balie.documents.tests import samples
from balie.documents.tests.samples import stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_document_handed_in_at_the_counter_is_kept_with_the_contact(front_desk, jan):
    moment = register_contact_moment(by=front_desk, channel="counter", party=jan, summary="Formulier")

    link = attach_document_to_contact_moment(
        contact_moment=moment, by=front_desk, file=upload("formulier.pdf", samples.PDF), title="Formulier"
    )

    document = link.document
    assert (document.title, document.department, document.confidential) == (
        "Formulier",
        front_desk.department,
        False,
    )
    assert documents_of_contact_moment(front_desk, moment) == [link]
    [entry] = links_of(front_desk, [document])[document.pk]
    assert entry.kind == "contact_moment" and entry.uuid == moment.uuid
    assert entry.label.startswith("Contact balie van ")


def test_a_confidential_contact_keeps_its_documents_confidential(front_desk, handler, jan):
    moment = register_contact_moment(
        by=front_desk, channel="phone", party=jan, summary="Gevoelig", confidential=True
    )

    link = attach_document_to_contact_moment(
        contact_moment=moment, by=front_desk, file=upload("verslag.txt", b"Verslag"), title="Verslag"
    )

    assert link.document.confidential and link.document.department == front_desk.department
    assert documents_of_contact_moment(handler, moment) == []
    assert links_of(handler, [link.document]) == {link.document.pk: []}


def test_who_may_not_see_the_contact_stores_nothing_with_it(front_desk, handler, jan, media_root):
    moment = register_contact_moment(
        by=front_desk, channel="phone", party=jan, summary="Gevoelig", confidential=True
    )

    with pytest.raises(ValidationError):
        attach_document_to_contact_moment(
            contact_moment=moment, by=handler, file=upload("x.pdf", samples.PDF), title="X"
        )

    assert not Document.objects.exists() and stored_files(media_root) == []


def test_a_bad_file_leaves_nothing_behind(front_desk, jan, media_root):
    moment = register_contact_moment(by=front_desk, channel="counter", party=jan, summary="Formulier")

    with pytest.raises(ValidationError) as refused:
        attach_document_to_contact_moment(
            contact_moment=moment, by=front_desk, file=upload("x.pdf", samples.EXE), title="X"
        )

    assert "file" in refused.value.message_dict
    assert not Document.objects.exists() and stored_files(media_root) == []
    assert not ContactMomentDocument.objects.exists()


def test_a_stored_document_is_linked_once(front_desk, jan):
    moment = register_contact_moment(by=front_desk, channel="counter", party=jan, summary="Formulier")
    other = register_contact_moment(by=front_desk, channel="phone", party=jan, summary="Nabellen")
    document = attach_document_to_contact_moment(
        contact_moment=moment, by=front_desk, file=upload("f.pdf", samples.PDF), title="Formulier"
    ).document

    first = link_document_to_contact_moment(contact_moment=other, document=document, by=front_desk)
    again = link_document_to_contact_moment(contact_moment=other, document=document, by=front_desk)

    assert first == again
    assert ContactMomentDocument.objects.filter(document=document).count() == 2


def test_the_links_name_the_case_too(front_desk, handler, jan, permit_type):
    moment = register_contact_moment(by=front_desk, channel="counter", party=jan, summary="Aanvraag")
    case = register_case_from_contact_moment(
        contact_moment=moment,
        case_type=permit_type,
        by=handler,
        subject="Terras",
        attributes={"soort": "bouwen"},
    )
    link = attach_document(case=case, by=handler, file=upload("plan.pdf", samples.PDF), title="Plan")
    link_document_to_contact_moment(contact_moment=moment, document=link.document, by=handler)

    kinds = [(entry.kind, entry.uuid) for entry in links_of(handler, [link.document])[link.document.pk]]

    assert kinds == [("case", case.uuid), ("contact_moment", moment.uuid)]
