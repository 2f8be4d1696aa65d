"""A template's preview: merged with the catalogue's examples (fields.py) and converted, as the
administrator sees it before publishing it and the letter writer before choosing it."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from ..conversion import Converter
from ..models import LetterBlockVersion, LetterTemplateVersion
from .context import sample_context
from .qr import PDFTOPPM, payload_for
from .render import Merger, letter_pdf, municipality_logo, read_file, render_docx

SAMPLE_REGISTER_NUMBER = "OUT-2026-000123"
MAX_PREVIEW_PAGES = 10


def preview_pdf(
    version: LetterTemplateVersion, *, converter: Converter | None = None, timeout: float | None = None
) -> bytes:
    """The version merged with the example values, as a PDF. ValidationError when it fails."""
    payload = payload_for(register_number=SAMPLE_REGISTER_NUMBER)
    context = sample_context(language=version.template.language, qr_payload=payload)
    merged = Merger(version).merge(context)
    return letter_pdf(
        merged.docx,
        pdfa=False,
        qr_payload=payload,
        qr_in_docx=merged.qr_in_docx,
        converter=converter,
        timeout=timeout,
    )


def preview_block_pdf(
    version: LetterBlockVersion, *, converter: Converter | None = None, timeout: float | None = None
) -> bytes:
    """A block on its own, merged with the example values, as a PDF."""
    payload = payload_for(register_number=SAMPLE_REGISTER_NUMBER)
    context = sample_context(language="nl", qr_payload=payload)
    docx = render_docx(
        read_file(version.file.name), context, blocks=None, uses=version.fields, logo=municipality_logo()
    )
    return letter_pdf(
        docx, pdfa=False, qr_payload=payload, qr_in_docx=True, converter=converter, timeout=timeout
    )


def page_images(pdf: bytes, *, dpi: int = 70, pages: int = MAX_PREVIEW_PAGES) -> list[bytes]:
    """The first pages of a PDF as PNG images (poppler's pdftoppm), for a page that shows them."""
    with tempfile.TemporaryDirectory(prefix="balie-preview-") as folder:
        source = Path(folder) / "preview.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - poppler, fixed arguments
            [
                PDFTOPPM,
                "-r",
                str(dpi),
                "-f",
                "1",
                "-l",
                str(pages),
                "-png",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return [path.read_bytes() for path in sorted(Path(folder).glob("page*.png"))]
