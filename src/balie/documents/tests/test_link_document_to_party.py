"""A document is linked to the parties it is about or came from; the party's 360° view lists the
documents the employee may see; a merge moves the links to the survivor."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.audit.models import ChangeRecord
from balie.documents.actions import link_document_to_party, store_document
from balie.documents.models import PartyDocument
from balie.documents.queries import documents_of_party, links_of
from balie.documents.registries import DocumentLink
from balie.parties.actions import merge_parties, register_party

from . import samples
from .samples import upload


@pytest.fixture
def an(db):
    party, _ = register_party(kind="person", given_name="An", family_name="Peeters", by=None)
    return party


def test_a_document_is_stored_for_a_party_in_one_go(handler, an):
    document = store_document(file=upload("plan.pdf", samples.PDF), title="Bouwplan", by=handler, party=an)

    assert documents_of_party(handler, an) == [document]
    assert links_of(handler, [document]) == {
        document.pk: [DocumentLink(kind="party", uuid=an.uuid, label="Peeters An")]
    }
    change = ChangeRecord.objects.get(model="documents.document", action="update")
    assert change.changes == {"party": [None, str(an.uuid)]}


def test_linking_twice_keeps_one_link(handler, an):
    document = store_document(file=upload("plan.pdf", samples.PDF), title="Bouwplan", by=handler)

    first = link_document_to_party(document=document, party=an, by=handler)
    second = link_document_to_party(document=document, party=an, by=handler)

    assert first == second and PartyDocument.objects.count() == 1
    assert ChangeRecord.objects.filter(model="documents.document", action="update").count() == 1


def test_the_party_page_lists_only_what_the_employee_may_see(handler, front_desk, citizen, an):
    public = store_document(file=upload("a.pdf", samples.PDF), title="Openbaar", by=handler, party=an)
    store_document(file=upload("b.pdf", samples.PDF), title="Tucht", by=handler, party=an, confidential=True)

    assert [d.title for d in documents_of_party(handler, an)] == ["Tucht", "Openbaar"]
    assert documents_of_party(front_desk, an) == [public]
    assert documents_of_party(citizen, an) == []


def test_who_may_not_see_the_document_cannot_link_it(handler, front_desk, an):
    document = store_document(file=upload("b.pdf", samples.PDF), title="Tucht", by=handler, confidential=True)

    with pytest.raises(ValidationError):
        link_document_to_party(document=document, party=an, by=front_desk)

    assert not PartyDocument.objects.exists()


def test_merging_parties_moves_their_documents(handler, front_desk, an):
    duplicate, _ = register_party(kind="person", given_name="An", family_name="Peeters", by=None)
    both = store_document(file=upload("a.pdf", samples.PDF), title="Beide", by=handler, party=an)
    link_document_to_party(document=both, party=duplicate, by=handler)
    only = store_document(file=upload("b.pdf", samples.PDF), title="Dubbel", by=handler, party=duplicate)

    merge_parties(survivor=an, duplicate=duplicate, by=front_desk)

    assert set(PartyDocument.objects.values_list("party_id", "document_id")) == {
        (an.pk, both.pk),
        (an.pk, only.pk),
    }
