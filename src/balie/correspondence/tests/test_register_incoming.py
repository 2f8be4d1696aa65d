"""Registering incoming post: a number from the IN register, the addressed department's queue, the
answer deadline in working days, the scan as a document, a history line; refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balie.audit.models import ChangeRecord
from balie.core.calendar import add_working_days
from balie.core.models import Counter
from balie.correspondence.actions import register_incoming
from balie.correspondence.models import DocumentRole, EventKind, PostItem, PostItemEvent, PostStatus
from balie.documents.models import Document
from balie.parties.actions import merge_parties, register_party

from .samples import scanned_letter, stored_files, tiff_scan, upload

pytestmark = pytest.mark.django_db


def test_a_paper_letter_gets_the_next_in_number_and_lands_in_the_department_queue(
    post_room, omgeving, sender, settings
):
    settings.BALIE_POST_ANSWER_WORKING_DAYS = 15
    received = timezone.localdate() - dt.timedelta(days=1)

    item = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Bezwaar tegen de bouwaanvraag",
        party=sender,
        reference="MC/2026/3",
        received_on=received,
    )

    year = timezone.localdate().year
    assert item.number == f"IN-{year}-000001"
    assert (item.direction, item.channel, item.status) == ("in", "paper", PostStatus.REGISTERED)
    assert item.department == omgeving and item.handler is None
    assert item.received_on == received
    assert item.deadline == add_working_days(received, 15)
    assert item.registered_by == post_room
    assert Counter.objects.get(register="IN", year=year).value == 1
    [event] = PostItemEvent.objects.filter(item=item)
    assert (event.sequence, event.kind, event.to_status, event.by) == (
        1,
        EventKind.REGISTERED,
        "registered",
        post_room,
    )
    assert ChangeRecord.objects.filter(object_uuid=item.uuid, action="create").count() == 1


def test_numbers_follow_each_other_and_outgoing_post_has_its_own_register(post_room, omgeving, sender):
    first = register_incoming(by=post_room, channel="email", department=omgeving, subject="A", party=sender)
    second = register_incoming(by=post_room, channel="web", department=omgeving, subject="B", party=sender)

    year = timezone.localdate().year
    assert [first.number, second.number] == [f"IN-{year}-000001", f"IN-{year}-000002"]


def test_a_scan_is_stored_as_a_document_of_the_item(post_room, omgeving, sender, media_root):
    item = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Bouwaanvraag",
        party=sender,
        scan=upload("scan0001.pdf", scanned_letter()),
    )

    [link] = item.documents.select_related("document__current_version")
    assert link.role == DocumentRole.SCAN and link.added_by == post_room
    assert link.document.title == f"Scan {item.number}"
    assert link.document.department == omgeving and link.document.confidential is False
    assert link.document.current_version.mime_type == "application/pdf"
    assert link.document.current_version.original_filename == "scan0001.pdf"
    assert len(stored_files(media_root)) == 1
    assert [e.kind for e in item.history.order_by("sequence")] == [EventKind.REGISTERED, EventKind.DOCUMENT]


def test_a_tiff_scan_is_accepted(post_room, omgeving, sender):
    item = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Bouwaanvraag",
        party=sender,
        scan=upload("scan.tif", tiff_scan(), "image/tiff"),
    )

    assert item.documents.get().document.current_version.mime_type == "image/tiff"


def test_a_confidential_letter_and_its_scan_belong_to_the_addressed_department(post_room, omgeving, sender):
    item = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Medisch attest",
        party=sender,
        confidential=True,
        scan=upload("scan.pdf", scanned_letter()),
    )

    document = item.documents.get().document
    assert item.confidential is True
    assert (document.confidential, document.department) == (True, omgeving)


def test_with_a_handler_the_item_is_assigned_at_once(post_room, omgeving, handler, sender):
    item = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender, handler=handler
    )

    assert (item.status, item.handler) == (PostStatus.ASSIGNED, handler)
    assert [(e.kind, e.from_status, e.to_status) for e in item.history.order_by("sequence")] == [
        (EventKind.REGISTERED, "", "registered"),
        (EventKind.STATUS, "registered", "assigned"),
    ]


def test_an_unknown_sender_is_named(post_room, omgeving):
    item = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Anonieme klacht",
        correspondent_name="Anoniem",
    )

    assert item.party is None and item.correspondent == "Anoniem"


def test_a_registration_with_problems_names_them_all_and_leaves_nothing(
    post_room, omgeving, handler, burgerzaken
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        register_incoming(
            by=post_room,
            channel="pigeon",
            department=burgerzaken,
            subject="",
            received_on=tomorrow,
            handler=handler,  # of Omgeving, not Burgerzaken
        )

    assert set(refused.value.message_dict) == {"channel", "subject", "party", "received_on", "handler"}
    assert PostItem.objects.count() == 0
    assert Counter.objects.filter(register="IN").count() == 0


def test_a_merged_sender_is_refused(post_room, omgeving, sender):
    survivor, _ = register_party(kind="person", by=None, given_name="Marc", family_name="Claes-Peeters")
    merge_parties(survivor=survivor, duplicate=sender, by=post_room)
    sender.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        register_incoming(by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender)

    assert "samengevoegd" in refused.value.message_dict["party"][0]
    assert PostItem.objects.count() == 0


def test_a_citizen_cannot_register_post(citizen, omgeving, sender, media_root):
    with pytest.raises(ValidationError):
        register_incoming(
            by=citizen,
            channel="paper",
            department=omgeving,
            subject="Vraag",
            party=sender,
            scan=upload("scan.pdf", scanned_letter()),
        )

    assert PostItem.objects.count() == 0
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []
