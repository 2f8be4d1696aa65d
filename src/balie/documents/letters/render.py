"""Merging a template version with a letter's values (docxtpl), and its PDF.

Blocks are DOCX files of their own that may use fields too (a signature block names the
employee): each is merged with the same values and inserted where the template says
{{ blok.<code> }} (a docxtpl sub-document, so its styles, numbering and images come along). A
`Merger` serves one template version many times (a mass mailing): it reads the files once and
merges a block once per distinct set of the values it uses.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx.shared import Mm
from docxtpl import InlineImage
from jinja2 import TemplateError
from jinja2.sandbox import SecurityError

from ..conversion import ConversionError, Converter, get_converter
from ..files import document_storage
from ..models import LetterBlock, LetterBlockVersion, LetterTemplateVersion
from . import fields as catalogue
from .checks import letter_environment
from .compose import LetterDocx, ParsedBlock
from .context import LetterContext
from .qr import qr_png, stamp_qr

logger = logging.getLogger("balie.documents.letters")

QR_WIDTH = Mm(25)
LOGO_WIDTH = Mm(30)
BLOCK_CACHE_SIZE = 256


@dataclass(frozen=True)
class MergedLetter:
    docx: bytes
    empty_fields: list[str]
    block_versions: list[int]
    qr_in_docx: bool


def read_file(name: str | None) -> bytes:
    if not name:
        raise ValidationError(_("Het bestand van dit sjabloon ontbreekt."))
    with document_storage().open(name, "rb") as handle:
        return bytes(handle.read())


def municipality_logo() -> bytes | None:
    path = settings.BALIE_MUNICIPALITY_LOGO
    if not path:
        return None
    try:
        return Path(path).read_bytes()
    except OSError:
        logger.warning("municipality logo %s cannot be read", path)
        return None


class Merger:
    def __init__(self, version: LetterTemplateVersion) -> None:
        self.version = version
        self.template_bytes = read_file(version.file.name)
        self.blocks: dict[str, LetterBlockVersion] = {}
        self.block_bytes: dict[str, bytes] = {}
        if version.blocks:
            for block in LetterBlock.objects.filter(code__in=version.blocks).select_related(
                "current_version"
            ):
                if block.current_version is not None:
                    self.blocks[block.code] = block.current_version
                    self.block_bytes[block.code] = read_file(block.current_version.file.name)
        missing = sorted(set(version.blocks) - set(self.blocks))
        if missing:
            raise ValidationError(
                _("Het sjabloon gebruikt een blok dat er niet (meer) is: %(blocks)s.")
                % {"blocks": ", ".join(missing)}
            )
        self.logo = municipality_logo()
        self._rendered_blocks: dict[tuple[Any, ...], ParsedBlock] = {}
        self.uses_qr = version.uses_qr or any(block.uses_qr for block in self.blocks.values())

    def merge(self, context: LetterContext) -> MergedLetter:
        """The letter's DOCX. ValidationError when the template fails on these values."""
        blocks = {code: self._block(code, context) for code in self.blocks}
        used = list(self.version.fields)
        for block in self.blocks.values():
            used += [name for name in block.fields if name not in used]
        return MergedLetter(
            docx=self._render(self.template_bytes, context, blocks=blocks, uses=self.version.fields),
            empty_fields=context.empty_fields(used),
            block_versions=sorted(block.pk for block in self.blocks.values()),
            qr_in_docx=self.uses_qr,
        )

    def _block(self, code: str, context: LetterContext) -> ParsedBlock:
        """The block merged with what it uses of these values, read once per distinct set."""
        block = self.blocks[code]
        key = (block.pk, *(repr(context.value(name)) for name in block.fields))
        if block.uses_qr:
            key += (context.qr_payload,)
        parsed = self._rendered_blocks.get(key)
        if parsed is None:
            parsed = ParsedBlock(
                self._render(self.block_bytes[code], context, blocks=None, uses=block.fields)
            )
            if len(self._rendered_blocks) >= BLOCK_CACHE_SIZE:
                self._rendered_blocks.clear()
            self._rendered_blocks[key] = parsed
        return parsed

    def _render(
        self, source: bytes, context: LetterContext, *, blocks: dict[str, ParsedBlock] | None, uses: list[str]
    ) -> bytes:
        return render_docx(source, context, blocks=blocks, uses=uses, logo=self.logo)


def render_docx(
    source: bytes,
    context: LetterContext,
    *,
    blocks: dict[str, ParsedBlock] | None,
    uses: list[str],
    logo: bytes | None,
) -> bytes:
    """One DOCX (a template or a block) merged with the values; the blocks already merged."""
    template = LetterDocx(io.BytesIO(source))
    values: dict[str, Any] = {name: dict(group) for name, group in context.values.items()}
    if catalogue.QR in uses:
        values[catalogue.QR] = InlineImage(template, io.BytesIO(qr_png(context.qr_payload)), width=QR_WIDTH)
    if "gemeente.logo" in uses:
        values[catalogue.MUNICIPALITY]["logo"] = (
            InlineImage(template, io.BytesIO(logo), width=LOGO_WIDTH) if logo else ""
        )
    if blocks:
        values[catalogue.BLOCK] = {code: parsed.markup(template) for code, parsed in blocks.items()}
    try:
        template.render(values, jinja_env=letter_environment(), autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError) as error:
        logger.warning("a template failed to merge: %s", error)
        raise ValidationError(
            _("Het sjabloon kon niet samengevoegd worden: %(error)s") % {"error": error}, code="merge"
        ) from error
    return out.getvalue()


def letter_pdf(
    docx: bytes,
    *,
    pdfa: bool,
    qr_payload: str,
    qr_in_docx: bool,
    converter: Converter | None = None,
    timeout: float | None = None,
) -> bytes:
    """The letter's PDF (PDF/A-2b with `pdfa`), with the QR code stamped on its first page when
    the DOCX does not hold it. ValidationError with the converter's message when it fails."""
    try:
        pdf = (converter or get_converter()).convert(docx, pdfa=pdfa, timeout=timeout)
    except ConversionError as error:
        if error.detail:
            logger.warning("conversion failed: %s", error.detail)
        raise ValidationError(error.message, code="timeout" if error.timed_out else "conversion") from error
    if not qr_in_docx:
        pdf = stamp_qr(pdf, qr_payload)
    return pdf
