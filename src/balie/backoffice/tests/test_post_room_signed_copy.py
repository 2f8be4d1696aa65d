"""The post room registers a scan that is the signed copy of one of our letters: it goes to that
outgoing item, and the page says so, naming the item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balie.correspondence.actions import acknowledge_with_letter, register_incoming
from balie.correspondence.models import Direction, DocumentRole, PostItem
from balie.correspondence.tests.samples import scanned, upload
from balie.documents.tests.letter_samples import stored

from .conftest import client_for, html

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_post_room_attaches_the_signed_copy_and_names_the_item(
    post_room, omgeving, handler, an, acknowledgement
):
    incoming = register_incoming(
        by=post_room, channel="paper", department=omgeving, subject="Vraag", party=an, handler=handler
    )
    sent = acknowledge_with_letter(item=incoming, template=acknowledgement, by=handler)
    scan = scanned([stored(sent.documents.get(role=DocumentRole.LETTER).document.current_version)], dpi=200)
    room = client_for(post_room)

    response = room.post(
        reverse("backoffice:post_room"),
        {
            "channel": "paper",
            "received_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "correspondent_name": "Onbekend",
            "subject": "Teruggekomen brief",
            "department": str(omgeving.uuid),
            "scan": upload("scan.pdf", scan),
        },
        follow=True,
    )

    assert response.status_code == 200
    assert (
        f"Dit is het ondertekende exemplaar van onze brief {sent.number}: de scan is bij {sent.number} "
        "gevoegd, er is geen nieuw poststuk geregistreerd." in html(response)
    )
    assert PostItem.objects.filter(direction=Direction.INCOMING).count() == 1
    assert sent.documents.filter(role=DocumentRole.SIGNED_COPY).count() == 1
