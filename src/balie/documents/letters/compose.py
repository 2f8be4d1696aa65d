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


A_BLIP = qn("a:blip")
R_EMBED = qn("r:embed")
R_ID = qn("r:id")
W_HYPERLINK = qn("w:hyperlink")
W_STYLE = qn("w:style")
W_STYLE_ID = qn("w:styleId")
W_VAL = qn("w:val")
STYLE_REFERENCES = [qn(tag) for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")]
STYLE_LINKS = [qn(tag) for tag in ("w:basedOn", "w:link", "w:next")]


class ParsedBlock:
    """A merged block, read once, ready to be put into many letters: its body (without section
    properties or list numbering), its pictures and links, and the styles it uses."""

    def __init__(self, data: bytes) -> None:
        source = docx.Document(io.BytesIO(data))
        body = copy.deepcopy(source.element.body)
        for section in body.findall(qn("w:sectPr")):
            body.remove(section)
        for numbering in list(body.iter(qn("w:numPr"))):
            numbering.getparent().remove(numbering)
        rels = source.part.rels
        self.body = body
        self.images = {
            rid: rels[rid].target_part.blob
            for rid in {blip.get(R_EMBED) for blip in body.iter(A_BLIP)}
            if rid and rid in rels
        }
        self.links = {
            rid: rels[rid].target_ref if rid in rels and rels[rid].is_external else None
            for rid in {link.get(R_ID) for link in body.iter(W_HYPERLINK)}
            if rid
        }
        self.styles = self._styles(source, body)

    @staticmethod
    def _styles(source: Any, body: Any) -> list[tuple[str, Any]]:
        """The styles the block uses, with what they are based on, as (id, element)."""
        by_id = {style.get(W_STYLE_ID): style for style in source.styles.element.iterfind(W_STYLE)}
        wanted = [element.get(W_VAL) for tag in STYLE_REFERENCES for element in body.iter(tag)]
        found: dict[str, Any] = {}
        while wanted:
            style_id = wanted.pop()
            if style_id in found or style_id not in by_id:
                continue
            found[style_id] = by_id[style_id]
            for link in STYLE_LINKS:
                related = by_id[style_id].find(link)
                if related is not None:
                    wanted.append(related.get(W_VAL))
        return list(found.items())

    def markup(self, target: DocxTemplate) -> Markup:
        """The block's body as XML for the letter `target`, its pictures and links added to it
        and the styles it uses that the letter lacks."""
        letter = target.get_docx()
        body = copy.deepcopy(self.body)
        images = {rid: letter.part.get_or_add_image(io.BytesIO(blob))[0] for rid, blob in self.images.items()}
        for blip in body.iter(A_BLIP):
            rid = blip.get(R_EMBED)
            if rid in images:
                blip.set(R_EMBED, images[rid])
        for link in body.iter(W_HYPERLINK):
            rid = link.get(R_ID)
            if not rid:
                continue
            url = self.links.get(rid)
            if url:
                link.set(R_ID, letter.part.relate_to(url, RT.HYPERLINK, is_external=True))
            else:
                del link.attrib[R_ID]
        if self.styles:
            styles = letter.styles.element
            have = {style.get(W_STYLE_ID) for style in styles.iterfind(W_STYLE)}
            for style_id, style in self.styles:
                if style_id not in have:
                    styles.append(copy.deepcopy(style))
        # XML serialised by lxml from a parsed document, not text from a user: safe to insert as is.
        return Markup("".join(etree.tostring(child, encoding="unicode") for child in body))  # noqa: S704


def block_markup(target: DocxTemplate, block: bytes) -> Markup:
    """A block's DOCX put into the letter `target` (read now; a mass mailing keeps ParsedBlocks)."""
    return ParsedBlock(block).markup(target)
