"""A letter whose conversion to PDF fails or takes too long is not made: a clear message, and no
letter, no document, no file. In a mass mailing it is that letter that fails, after one more try."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balie.documents.conversion import Converter
from balie.documents.letters.actions import prepare_letter
from balie.documents.letters.mailing import run_mailing_now, start_mailing
from balie.documents.models import Document, Letter, LetterBlock, MailingItem

from .samples import stored_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def impatient(tmp_path_factory):
    """A LibreOffice that gives every conversion a millisecond."""
    converter = Converter(root=tmp_path_factory.mktemp("libreoffice"), timeout=0.001)
    yield converter
    converter.close()


def test_a_conversion_that_takes_too_long_makes_no_letter(
    acknowledgement, an, handler, impatient, media_root
):
    with pytest.raises(ValidationError) as caught:
        prepare_letter(template=acknowledgement, by=handler, party=an, converter=impatient)

    assert caught.value.messages == [
        "De omzetting naar PDF duurde langer dan 0.001 seconden en is afgebroken."
    ]
    assert (Letter.objects.count(), Document.objects.count()) == (0, 0)
    templates = [
        acknowledgement.current_version,
        *(block.current_version for block in LetterBlock.objects.all()),
    ]
    # Only the template and its blocks are in storage: nothing of the letter.
    assert sorted(str(path.relative_to(media_root)) for path in stored_files(media_root)) == sorted(
        version.file.name for version in templates
    )


def test_libreoffice_that_cannot_start_makes_no_letter(acknowledgement, an, handler, tmp_path):
    broken = Converter(root=tmp_path, soffice="/usr/lib/libreoffice/program/geen-soffice")

    with pytest.raises(ValidationError) as caught:
        prepare_letter(template=acknowledgement, by=handler, party=an, converter=broken)

    assert caught.value.messages == ["LibreOffice kon niet gestart worden."]
    assert Letter.objects.count() == 0


def test_in_a_mailing_the_letter_fails_after_one_more_try(acknowledgement, an, handler, impatient):
    mailing = start_mailing(template=acknowledgement, parties=[an], by=handler)
    starts = impatient.starts

    assert run_mailing_now(mailing.pk, converter=impatient) == {"made": 0, "failed": 1}

    item = MailingItem.objects.get(mailing=mailing)
    assert (item.state, item.error) == (
        "failed",
        "De omzetting naar PDF duurde langer dan 0.001 seconden en is afgebroken.",
    )
    assert impatient.starts == starts + 2  # killed after each try, a fresh one for the next
    assert Letter.objects.count() == 0
