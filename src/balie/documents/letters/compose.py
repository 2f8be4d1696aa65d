"""Putting a block (its own DOCX) into a letter where the template says {{ blok.<code> }}.

docxtpl's sub-documents need docxcompose, which Balie does not install; a block needs far less:
its paragraphs and tables are copied into the letter's body in place of the paragraph that holds
the tag, with the pictures and links they point at and the styles they use that the letter lacks.
(List numbering is not copied: a numbered list in a block keeps its text, not its numbers.)

A block's tag is alone in its paragraph and replaces it; the administrator writes
{{ blok.briefhoofd }}, which `LetterDocx` reads as docxtpl's paragraph tag {{p blok.briefhoofd }}.
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup

# What docxtpl does first in patch_xml: Word splits "{{ blok.x }}" over runs; join it again.
_SPLIT_OPEN = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.DOTALL)
_TAG_CONTENT = re.compile(r"{%(?:(?!%}).)*|{#(?:(?!#}).)*|{{(?:(?!}}).)*", re.DOTALL)
_BLOCK_TAG = re.compile(r"\{\{\s*blok\s*\.")
BLOCK_ALONE = re.compile(r"^\s*\{\{p?\s*blok\s*\.\s*\w+\s*\}\}\s*$")


def _join_runs(match: re.Match[str]) -> str:
    return re.sub(r"</w:t>.*?(<w:t>|<w:t [^>]*>)", "", match.group(0), flags=re.DOTALL)


class LetterDocx(DocxTemplate):
    """docxtpl's template, reading {{ blok.x }} as a paragraph tag (the block replaces it)."""

    def patch_xml(self, src_xml: str) -> str:
        src_xml = _SPLIT_OPEN.sub("", src_xml)
        src_xml = _TAG_CONTENT.sub(_join_runs, src_xml)
        src_xml = _BLOCK_TAG.sub("{{p blok.", src_xml)
        return str(super().patch_xml(src_xml))


def _styles(document: Any) -> Any:
    return document.styles.element


def _copy_styles(source: Any, target: Any, body: Any) -> None:
    """Copy the styles the block uses (and what they are based on) that the letter lacks."""
    source_styles, target_styles = _styles(source), _styles(target)
    have = {style.get(qn("w:styleId")) for style in target_styles.iterfind(qn("w:style"))}
    by_id = {style.get(qn("w:styleId")): style for style in source_styles.iterfind(qn("w:style"))}
    wanted = [
        element.get(qn("w:val"))
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")
        for element in body.iter(qn(tag))
    ]
    while wanted:
        style_id = wanted.pop()
        if style_id in have or style_id not in by_id:
            continue
        style = by_id[style_id]
        target_styles.append(copy.deepcopy(style))
        have.add(style_id)
        for link in ("w:basedOn", "w:link", "w:next"):
            related = style.find(qn(link))
            if related is not None:
                wanted.append(related.get(qn("w:val")))


def block_markup(target: DocxTemplate, block: bytes) -> Markup:
    """The block's body as XML for the letter `target`, its pictures and links added to it."""
    source = docx.Document(io.BytesIO(block))
    letter = target.get_docx()
    body = copy.deepcopy(source.element.body)
    for section in body.findall(qn("w:sectPr")):
        body.remove(section)
    for blip in body.iter(qn("a:blip")):
        old = blip.get(qn("r:embed"))
        if old and old in source.part.rels:
            image = source.part.rels[old].target_part
            new, _image = letter.part.get_or_add_image(io.BytesIO(image.blob))
            blip.set(qn("r:embed"), new)
    for link in body.iter(qn("w:hyperlink")):
        old = link.get(qn("r:id"))
        if not old:
            continue
        relationship = source.part.rels.get(old)
        if relationship is not None and relationship.is_external:
            link.set(
                qn("r:id"), letter.part.relate_to(relationship.target_ref, RT.HYPERLINK, is_external=True)
            )
        else:
            del link.attrib[qn("r:id")]
    for numbering in list(body.iter(qn("w:numPr"))):
        numbering.getparent().remove(numbering)
    _copy_styles(source, letter, body)
    # XML serialised by lxml from a parsed document, not text from a user: safe to insert as is.
    return Markup("".join(etree.tostring(child, encoding="unicode") for child in body))  # noqa: S704
