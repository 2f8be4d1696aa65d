"""The post room's print batch: the waiting letters on paper in one print-ready PDF (a cover sheet
with the counts and the registered letters apart, each letter from a new sheet, the address in
the envelope's window, checked by rendering), marked in the items' history; confirming that the
batch was posted sends every dispatch in it, and its item."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from balie.correspondence.dispatch import dispatch_item
from balie.correspondence.dispatch_queries import get_print_batch_for, waiting_for_print
from balie.correspondence.models import DispatchState, EventKind, PostStatus
from balie.correspondence.models_dispatch import Envelope, PrintBatch, PrintBatchState
from balie.correspondence.print_batches import (
    confirm_posted,
    make_print_batch,
    print_batch_letters,
    print_batch_pdf,
)
from balie.correspondence.printing import WINDOW, address_overlay

from ..samples import letter_pdf, upload
from .helpers import outgoing_letter

pytestmark = pytest.mark.django_db

MM = 72 / 25.4


def _words(pdf: bytes, page: int) -> list[tuple[str, float, float, float, float]]:
    """The words on one page with their boxes in points from the top-left corner (poppler)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "batch.pdf"
        source.write_bytes(pdf)
        html = subprocess.run(  # noqa: S603
            ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(source), "-"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
    )
    return [(text, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, text in found]


def _window_pixels(pdf: bytes, page: int) -> bytes:
    """The window area of a page, rendered by poppler at 100 dpi in greyscale."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.pdf"
        source.write_bytes(pdf)
        x, y = round(WINDOW.left / 25.4 * 100), round(WINDOW.top / 25.4 * 100)
        width, height = round(WINDOW.width / 25.4 * 100), round(WINDOW.height / 25.4 * 100)
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "pdftoppm",
                "-r",
                "100",
                "-gray",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                "-x",
                str(x),
                "-y",
                str(y),
                "-W",
                str(width),
                "-H",
                str(height),
                str(source),
                str(Path(tmp) / "w"),
            ],
            check=True,
        )
        with Image.open(Path(tmp) / "w.pgm") as image:
            pixels = image.tobytes()
    assert any(value < 128 for value in pixels)  # there is text in it
    return pixels


def _in_window(word: tuple[str, float, float, float, float]) -> bool:
    _text, x0, y0, x1, y1 = word
    left, top = WINDOW.left * MM, WINDOW.top * MM
    right, bottom = left + WINDOW.width * MM, top + WINDOW.height * MM
    return left <= x0 and x1 <= right and top <= y0 and y1 <= bottom


@pytest.fixture
def three_letters(handler, citizen_party, company):
    """A one-page letter, a registered letter of three pages (two documents), and one by e-mail."""
    first = outgoing_letter(handler, citizen_party, subject="Beslissing")
    second = outgoing_letter(handler, company, subject="Aanmaning")
    from balie.correspondence.actions import add_document

    add_document(
        item=second,
        file=upload("bijlage.pdf", letter_pdf("Bijlage", "Plan", pages=2)),
        role="attachment",
        by=handler,
    )
    by_mail = outgoing_letter(handler, citizen_party, subject="Per mail")
    dispatch_item(item=first, channel="paper", by=handler)
    dispatch_item(item=second, channel="paper", by=handler, registered_mail=True)
    dispatch_item(item=by_mail, channel="email", by=handler)
    return first, second, by_mail


def test_the_batch_holds_the_waiting_paper_letters_and_marks_them(three_letters, post_room, settings):
    settings.BALIE_PRINT_DUPLEX = True
    first, second, _by_mail = three_letters

    batch = make_print_batch(by=post_room)

    assert batch.number.startswith("PB-") and batch.number.endswith("-000001")
    assert (batch.state, batch.letters, batch.registered_letters, batch.pages, batch.sheets) == (
        PrintBatchState.MADE,
        2,
        1,
        4,
        3,  # 1 page on 1 sheet, 3 pages on 2 sheets
    )
    positions = list(
        Envelope.objects.filter(print_batch=batch)
        .order_by("batch_position")
        .values_list("dispatch__item", "batch_position")
    )
    assert positions == [(first.pk, 1), (second.pk, 2)]
    line = first.history.filter(kind=EventKind.DISPATCH).order_by("-sequence").first()
    assert (line.reason, line.data["print_batch"]) == (f"In printbatch {batch.number}.", batch.number)
    assert list(waiting_for_print(post_room)) == []
    with pytest.raises(ValidationError, match="Er wachten geen brieven op papier om te printen"):
        make_print_batch(by=post_room)


def test_each_letter_starts_on_an_odd_page_with_its_address_in_the_window(three_letters, post_room, settings):
    settings.BALIE_PRINT_DUPLEX = True
    batch = make_print_batch(by=post_room)

    pdf = print_batch_pdf(batch)

    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 2 + 2 + 4  # cover (+ blank back), 1 page + blank back, 3 pages + blank
    cover = " ".join(word[0] for word in _words(pdf, 1))
    assert f"Printbatch {batch.number}" in cover
    assert "Aangetekend (1)" in cover and "Gewone post (1)" in cover
    assert cover.index("Aangetekend (1)") < cover.index("Bakkerij") < cover.index("Gewone post (1)")

    first_letter = " ".join(word[0] for word in _words(pdf, 3) if _in_window(word))
    assert "Marc Claes Kerkstraat 12 bus 3 2645 Zonnedaal" in first_letter
    assert "AANGETEKEND" not in first_letter
    second_letter = " ".join(word[0] for word in _words(pdf, 5) if _in_window(word))  # 4: a blank back
    assert second_letter.startswith(
        "AANGETEKEND Gemeente Zonnedaal Bakkerij De Gouden Aar Markt 3 2645 Zonnedaal"
    )
    # What shows through the window is the address block only: the letter's own text under it
    # ("Betreft: …") is covered. The window, rendered, is the same as the address block alone.
    letters = print_batch_letters(batch)
    for page, letter in ((3, letters[0]), (5, letters[1])):
        alone = address_overlay(letter, sender="Gemeente Zonnedaal")
        assert _window_pixels(pdf, page) == _window_pixels(alone, 1)
    assert _words(pdf, 4) == []
    assert [w[0] for w in _words(pdf, 6) if w[0].startswith("PB-")] == [f"{batch.number}"]


def test_single_sided_batches_have_no_blank_backs(three_letters, post_room, settings):
    settings.BALIE_PRINT_DUPLEX = False

    batch = make_print_batch(by=post_room)

    assert (batch.pages, batch.sheets) == (4, 4)
    with pikepdf.open(io.BytesIO(print_batch_pdf(batch))) as document:
        assert len(document.pages) == 1 + 4


def test_confirming_the_batch_sends_its_letters(three_letters, post_room):
    first, second, by_mail = three_letters
    batch = make_print_batch(by=post_room)

    confirm_posted(batch=batch, by=post_room)

    batch.refresh_from_db()
    assert (batch.state, batch.posted_by) == (PrintBatchState.POSTED, post_room)
    for item in (first, second):
        item.refresh_from_db()
        dispatch = item.dispatches.get()
        assert (item.status, dispatch.state, dispatch.sent_at) == (
            PostStatus.SENT,
            DispatchState.SENT,
            batch.posted_at,
        )
        assert dispatch.detail == f"Op de post in printbatch {batch.number}."
    by_mail.refresh_from_db()
    assert by_mail.status == PostStatus.REGISTERED
    with pytest.raises(ValidationError, match="al als verstuurd bevestigd"):
        confirm_posted(batch=batch, by=post_room)


def test_another_department_neither_sees_nor_confirms_the_batch(three_letters, post_room, outsider):
    batch = make_print_batch(by=post_room)

    from django.http import Http404

    with pytest.raises(Http404):
        get_print_batch_for(outsider, batch.uuid)
    with pytest.raises(ValidationError, match="Alleen de dienst die de printbatch maakte"):
        confirm_posted(batch=batch, by=outsider)
    batch.refresh_from_db()
    assert batch.state == PrintBatchState.MADE


def test_confidential_letters_of_another_department_stay_out_of_the_post_room_s_batch(
    handler, citizen_party, post_room
):
    secret = outgoing_letter(handler, citizen_party, subject="Vertrouwelijk", confidential=True)
    dispatch_item(item=secret, channel="paper", by=handler)

    with pytest.raises(ValidationError, match="Er wachten geen brieven"):
        make_print_batch(by=post_room)

    own = make_print_batch(by=handler)  # the department prints its own
    assert own.letters == 1
    assert PrintBatch.objects.count() == 1
