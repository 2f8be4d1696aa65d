"""Reading text from pictures of pages: Tesseract (the `tesseract` program) on pages rendered by
poppler's `pdftoppm`, or on the frames of an image. Every program runs with a time limit, without
a shell, in a directory of its own; its failure becomes an ExtractionFailed with a Dutch reason.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .text_errors import ExtractionFailed

Progress = Callable[[], None]


def languages() -> str:
    return str(settings.BALIE_OCR_LANGUAGES)


def dpi() -> int:
    return int(settings.BALIE_OCR_DPI)


def page_timeout() -> float:
    return float(settings.BALIE_OCR_PAGE_TIMEOUT)


def tesseract_environment() -> dict[str, str]:
    """Tesseract's own threads: one by default, so that each worker process takes one core and two
    workers OCR two documents at once rather than fighting over both cores for one."""
    environment = dict(os.environ)
    environment["OMP_THREAD_LIMIT"] = str(settings.BALIE_OCR_THREADS)
    return environment


def run(command: list[str], *, timeout: float, what: str) -> bytes:
    """Run a program; its standard output, or ExtractionFailed saying what went wrong."""
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program with our own arguments, no shell
            command,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=tesseract_environment(),
        )
    except subprocess.TimeoutExpired:
        raise ExtractionFailed(
            _("%(what)s duurde langer dan %(seconds)d seconden.") % {"what": what, "seconds": int(timeout)}
        ) from None
    except OSError as error:
        raise ExtractionFailed(
            _("%(what)s kon niet starten (%(error)s).") % {"what": what, "error": error.strerror or error}
        ) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionFailed(
            _("%(what)s gaf een fout: %(detail)s")
            % {"what": what, "detail": (detail[-1] if detail else str(done.returncode))[:200]}
        )
    return done.stdout


def tesseract(image: Path, *, image_dpi: int | None = None) -> str:
    """The text Tesseract reads on one picture of a page."""
    command = ["tesseract", str(image), "stdout", "-l", languages()]
    if image_dpi:
        command += ["--dpi", str(image_dpi)]
    output = run(command, timeout=page_timeout(), what=_("De tekstherkenning (Tesseract)"))
    return output.decode("utf-8", "replace")


def render_pdf_page(pdf: Path, page: int, workdir: Path) -> Path:
    """Page `page` (from 1) of a PDF as a grey picture at the OCR resolution."""
    prefix = workdir / f"page-{page}"
    run(
        [
            "pdftoppm",
            "-r",
            str(dpi()),
            "-gray",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        timeout=page_timeout(),
        what=_("Het omzetten van pagina %(page)d naar een afbeelding") % {"page": page},
    )
    image = prefix.with_suffix(".pgm")
    if not image.exists():
        raise ExtractionFailed(_("Pagina %(page)d kon niet als afbeelding gelezen worden.") % {"page": page})
    return image


def ocr_pdf_page(pdf: Path, page: int, workdir: Path) -> str:
    image = render_pdf_page(pdf, page, workdir)
    try:
        return tesseract(image, image_dpi=dpi())
    finally:
        image.unlink(missing_ok=True)


def ocr_image(path: Path, workdir: Path, *, progress: Progress) -> list[str]:
    """The text of every frame of an image (a multi-page TIFF has one per page)."""
    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            if frames == 1 and image.format in ("PNG", "JPEG"):
                found = image.info.get("dpi")
                texts = [tesseract(path, image_dpi=_usable_dpi(found))]
                progress()
                return texts
            texts = []
            for index in range(frames):
                image.seek(index)
                found = image.info.get("dpi")
                page = workdir / f"frame-{index + 1}.png"
                frame = image.convert("L")
                frame.save(page, format="PNG", compress_level=1)
                try:
                    texts.append(tesseract(page, image_dpi=_usable_dpi(found)))
                finally:
                    page.unlink(missing_ok=True)
                progress()
            return texts
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ExtractionFailed(
            _("De afbeelding kon niet gelezen worden (%(error)s).") % {"error": str(error)[:200]}
        ) from None


def _usable_dpi(found: object) -> int | None:
    """The resolution an image says it has, when it is believable (many say 72 or nothing)."""
    try:
        value = round(float(found[0]))  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    return value if 100 <= value <= 1200 else None
