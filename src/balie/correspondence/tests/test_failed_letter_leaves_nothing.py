"""A letter whose conversion fails (LibreOffice gives up after its timeout, or cannot start) is
not made, in any of the three ways to make one: no outgoing item, no OUT number (the counter rolls
back), no document, no file, no history line, and the incoming item is not answered."""

# ruff: noqa: F811 (the fixtures imported from letter_fixtures are named as arguments)
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.correspondence.actions import (
    acknowledge_with_letter,
    answer_with_letter,
    register_outgoing,
    write_letter,
)
from balie.correspondence.models import PostStatus
from balie.documents.conversion import Converter

from .letter_fixtures import (  # noqa: F401
    acknowledgement,
    an,
    blocks,
    everything,
    impatient,
    incoming,
    letter_admin,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TOO_LONG = "De omzetting naar PDF duurde langer dan 0.001 seconden en is afgebroken."


def test_an_answer_whose_conversion_takes_too_long_leaves_nothing(
    incoming,
    handler,
    acknowledgement,
    impatient,
    media_root,
):
    before = everything(media_root)

    with pytest.raises(ValidationError) as caught:
        answer_with_letter(item=incoming, template=acknowledgement, by=handler, converter=impatient)

    assert caught.value.messages == [TOO_LONG]
    assert everything(media_root) == before
    incoming.refresh_from_db()
    assert incoming.status == PostStatus.ASSIGNED


def test_an_acknowledgement_whose_conversion_takes_too_long_leaves_nothing(
    incoming,
    handler,
    acknowledgement,
    impatient,
    media_root,
):
    before = everything(media_root)

    with pytest.raises(ValidationError) as caught:
        acknowledge_with_letter(item=incoming, template=acknowledgement, by=handler, converter=impatient)

    assert caught.value.messages == [TOO_LONG]
    assert everything(media_root) == before


def test_the_timeout_setting_is_what_the_converter_keeps_to(
    settings,
    incoming,
    handler,
    acknowledgement,
    media_root,
    tmp_path,
):
    settings.BALIE_LIBREOFFICE_TIMEOUT = 0.001
    converter = Converter(root=tmp_path / "libreoffice")
    before = everything(media_root)
    try:
        with pytest.raises(ValidationError) as caught:
            acknowledge_with_letter(item=incoming, template=acknowledgement, by=handler, converter=converter)
    finally:
        converter.close()

    assert caught.value.messages == [TOO_LONG]
    assert everything(media_root) == before


def test_a_letter_libreoffice_cannot_make_leaves_the_outgoing_item_without_one(
    handler,
    omgeving,
    an,
    acknowledgement,
    media_root,
    tmp_path,
):
    outgoing = register_outgoing(
        by=handler, channel="paper", subject="Uw parkeerkaart", department=omgeving, party=an
    )
    broken = Converter(root=tmp_path, soffice="/usr/lib/libreoffice/program/geen-soffice")
    before = everything(media_root)

    with pytest.raises(ValidationError) as caught:
        write_letter(item=outgoing, template=acknowledgement, by=handler, converter=broken)

    assert caught.value.messages == ["LibreOffice kon niet gestart worden."]
    assert everything(media_root) == before
