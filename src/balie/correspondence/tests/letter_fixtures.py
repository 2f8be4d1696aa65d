"""Letters in the post flow: the letters' fixtures (an administrator, the blocks, the
acknowledgement template, a customer with an address), an incoming item of that customer, a
LibreOffice that gives every conversion a millisecond, and a picture of everything a failed letter
could have left behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from balie.core.models import Counter
from balie.correspondence.actions import register_incoming
from balie.correspondence.models import PostItem, PostItemDocument, PostItemEvent
from balie.documents.conversion import Converter
from balie.documents.models import Document, Letter, SigningRequest
from balie.documents.tests.conftest import acknowledgement, an, blocks, letter_admin  # noqa: F401

from .samples import stored_files


@pytest.fixture
def incoming(post_room, omgeving, handler, an) -> PostItem:  # noqa: F811
    return register_incoming(
        by=post_room,
        channel="paper",
        department=omgeving,
        subject="Vraag over de parkeerkaart",
        party=an,
        handler=handler,
    )


@pytest.fixture(scope="module")
def impatient(tmp_path_factory):
    """A LibreOffice that gives every conversion a millisecond."""
    converter = Converter(root=tmp_path_factory.mktemp("libreoffice"), timeout=0.001)
    yield converter
    converter.close()


def everything(media_root: Path) -> tuple[Any, ...]:
    """Items (with status), their documents and history, documents, letters, signing requests,
    the register counters and the stored files."""
    return (
        list(PostItem.objects.order_by("pk").values_list("pk", "number", "status")),
        list(PostItemDocument.objects.order_by("pk").values_list("pk", flat=True)),
        list(PostItemEvent.objects.order_by("pk").values_list("pk", flat=True)),
        list(Document.objects.order_by("pk").values_list("pk", flat=True)),
        Letter.objects.count(),
        SigningRequest.objects.count(),
        list(Counter.objects.order_by("register", "year").values_list("register", "year", "value")),
        stored_files(media_root),
    )
