"""A post item linked to a case shows on the case's timeline (as far as the reader may see it), and
to the contact moment it came with (by its public id: the two apps sit side by side). A destroyed
case lets go of its items; a merged party's items follow the survivor."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.audit.models import ChangeRecord
from balie.cases.actions import close_case, complete_case_task, register_case, set_status
from balie.cases.models import Case, CaseEvent, RetentionReview, StatusType
from balie.cases.queries import case_timeline
from balie.cases.retention import approve_destruction, destroy_cases, list_cases_due_for_review
from balie.core.timeline import TimelineEntry
from balie.correspondence.actions import link_case, link_contact_moment, register_incoming
from balie.correspondence.models import EventKind, PostItem
from balie.parties.actions import merge_parties, register_party

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(permit_type, handler):
    return register_case(
        case_type=permit_type, by=handler, subject="Verbouwing", attributes={"soort": "verbouwen"}
    )


def test_a_linked_item_is_on_the_cases_timeline(case, post_room, omgeving, handler, sender):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Plannen", party=sender
    )

    link_case(item=item, case=case, by=handler)

    timeline = case_timeline(handler, case)
    entries = [row for row in timeline if isinstance(row, TimelineEntry)]
    assert [(e.kind, e.uuid, e.summary) for e in entries] == [("post_item", item.uuid, "Plannen")]
    assert entries[0].url == f"/post/{item.uuid}"
    assert any(isinstance(row, CaseEvent) for row in timeline)
    assert item.history.get(kind=EventKind.CASE).data == {"case": str(case.uuid)}


def test_a_confidential_item_is_not_on_the_timeline_for_another_department(
    case, post_room, omgeving, sender, outsider
):
    item = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Geheim",
        party=sender,
        case=case,
        confidential=True,
    )

    assert [e.uuid for e in case_timeline(outsider, case) if isinstance(e, TimelineEntry)] == []
    assert item.case == case


def test_an_item_on_a_confidential_case_is_confidential(permit_type, handler, post_room, omgeving, sender):
    case = register_case(
        case_type=permit_type, by=handler, subject="Geheim", attributes={"soort": "bouwen"}, confidential=True
    )

    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Plan", party=sender, case=case
    )

    assert item.confidential is True


def test_only_its_department_links_an_item(case, post_room, omgeving, sender, outsider):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Plannen", party=sender
    )

    with pytest.raises(ValidationError):
        link_case(item=item, case=case, by=outsider)

    item.refresh_from_db()
    assert item.case_id is None and item.history_count == 1


def test_the_contact_moment_is_named_by_its_public_id(post_room, omgeving, sender, handler):
    item = register_incoming(
        by=post_room, channel="counter", department=omgeving, subject="Brief", party=sender
    )
    moment = uuid.uuid4()

    link_contact_moment(item=item, contact_moment_ref=moment, by=handler)

    item.refresh_from_db()
    assert item.contact_moment_ref == moment
    assert item.history.get(kind=EventKind.CONTACT).data == {"contact_moment": str(moment)}


def test_a_merged_partys_post_follows_the_survivor(post_room, omgeving, sender):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )
    survivor, _ = register_party(kind="person", by=None, given_name="Marc", family_name="Claes-Peeters")

    merge_parties(survivor=survivor, duplicate=sender, by=post_room)

    item.refresh_from_db()
    assert item.party == survivor


def test_a_destroyed_case_lets_go_of_its_post(case, post_room, omgeving, handler, sender, burgerzaken):
    archivist = create_employee(
        username="archief",
        first_name="Greet",
        last_name="Hermans",
        email="greet@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.ARCHIVIST],
        by=None,
    )
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Plannen", party=sender, case=case
    )
    complete_case_task(task=case.tasks.get(), by=handler)
    case = set_status(
        case=case, status_type=StatusType.objects.get(version=case.version, name="In behandeling"), by=handler
    )
    case = close_case(case=case, result_type=case.version.result_types.get(name="Geweigerd"), by=handler)
    Case.objects.filter(pk=case.pk).update(archive_action_date=dt.date(2020, 1, 1))
    list_cases_due_for_review()
    approve_destruction(reviews=[RetentionReview.objects.get(case=case)], by=archivist)

    destroy_cases(reviews=[RetentionReview.objects.get(case=case)], by=archivist)

    item = PostItem.objects.get(pk=item.pk)
    assert item.case_id is None and item.subject == "Plannen"
    assert item.history.filter(kind=EventKind.CASE).get().reason == "Zaak vernietigd na archiefbeoordeling."
    assert ChangeRecord.objects.filter(object_uuid=item.uuid, changes__case=[case.number, None]).count() == 1


def test_a_scan_tells_the_document_store_which_item_it_belongs_to(
    post_room, omgeving, sender, handler, outsider
):
    from balie.correspondence.tests.samples import scanned_letter, upload
    from balie.documents.queries import links_of

    item = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Plannen",
        party=sender,
        confidential=True,
        scan=upload("scan.pdf", scanned_letter()),
    )
    document = item.documents.get().document

    assert [(link.kind, link.uuid, link.label) for link in links_of(handler, [document])[document.pk]] == [
        ("post_item", item.uuid, f"{item.number} Plannen")
    ]
    assert links_of(outsider, [document]) == {document.pk: []}
