"""Register numbers stay gap-free: a registration that is rolled back after taking its number
gives it back, each direction has its own register, and the year is the year of registration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from balie.core.models import Counter
from balie.correspondence.actions import assign, register_incoming, register_outgoing
from balie.correspondence.models import PostItem
from balie.documents.models import Document

from .samples import scanned_letter, stored_files, upload

pytestmark = pytest.mark.django_db


def test_a_registration_rolled_back_after_its_number_gives_the_number_back(
    post_room, omgeving, sender, outsider, media_root
):
    year = timezone.localdate().year
    # One step of a larger whole (register, then route): the routing is refused, so all of it is.
    with pytest.raises(ValidationError), transaction.atomic():
        item = register_incoming(
            by=post_room,
            channel="paper",
            department=omgeving,
            subject="Vraag",
            party=sender,
            scan=upload("scan.pdf", scanned_letter()),
        )
        assert item.number == f"IN-{year}-000001"
        assign(item=item, by=post_room, handler=outsider)  # not of Omgeving: refused

    assert PostItem.objects.count() == 0
    assert Document.objects.count() == 0
    assert Counter.objects.filter(register="IN").count() == 0
    again = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )
    assert again.number == f"IN-{year}-000001"


def test_incoming_and_outgoing_post_are_numbered_apart(post_room, omgeving, sender):
    year = timezone.localdate().year

    incoming = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=sender
    )
    outgoing = register_outgoing(by=post_room, channel="paper", subject="Antwoord", party=sender)
    second = register_incoming(
        by=post_room, channel="email", department=omgeving, subject="Nog", party=sender
    )

    assert (incoming.number, outgoing.number, second.number) == (
        f"IN-{year}-000001",
        f"OUT-{year}-000001",
        f"IN-{year}-000002",
    )


def test_the_year_of_the_number_is_the_year_of_registration(post_room, omgeving, sender):
    last_year = timezone.localdate().year - 1
    at = timezone.make_aware(dt.datetime(last_year, 12, 31, 16, 0))

    item = register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Vraag",
        party=sender,
        received_on=dt.date(last_year, 12, 30),
        registered_at=at,
    )

    assert item.number == f"IN-{last_year}-000001"
    assert Counter.objects.get(register="IN", year=last_year).value == 1


def test_a_refused_file_leaves_no_file_behind_even_after_other_files_were_written(
    post_room, omgeving, sender, media_root
):
    # The first attachment is fine and checked; the second is refused before any is written.
    with pytest.raises(ValidationError):
        register_incoming(
            by=post_room,
            channel="email",
            department=omgeving,
            subject="Bouwplan",
            party=sender,
            attachments=[upload("a.pdf", scanned_letter()), upload("b.exe", b"MZ" + b"\x00" * 300)],
        )

    assert stored_files(media_root) == []
    assert PostItem.objects.count() == 0
