"""The check of an uploaded template or block, before anything is stored.

docxtpl turns each part of the DOCX (body, headers, footers, footnotes, properties) into a Jinja
source with one paragraph per line. Each part is parsed (a syntax error names the paragraph) and
its syntax tree walked: every field it reads must be in the catalogue (fields.py), every block it
inserts must exist, and only in the body. What it uses is returned, for the administrator to see
and for the renderer to know (the QR code, the blocks).
"""

from __future__ import annotations

import difflib
import html
import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from jinja2 import Template, TemplateAssertionError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from . import fields as catalogue
from .compose import BLOCK_ALONE, LetterDocx

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
MAX_PROBLEMS = 10


class LetterEnvironment(SandboxedEnvironment):
    """Templates are written by administrators, not programmers: a sandbox, and every value
    escaped for the XML it lands in (a party called "Smith & Co" must not break the letter).

    docxtpl compiles each part's source anew for every letter; a mass mailing renders the same
    sources a thousand times, so compiled templates are kept (the most recent ones, by source)."""

    KEEP = 64

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: OrderedDict[str, Template] = OrderedDict()
        self._compiled_lock = threading.Lock()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._compiled_lock:
            compiled = self._compiled.get(source)
            if compiled is not None:
                self._compiled.move_to_end(source)
                return compiled
        compiled = super().from_string(source)
        with self._compiled_lock:
            self._compiled[source] = compiled
            while len(self._compiled) > self.KEEP:
                self._compiled.popitem(last=False)
        return compiled


_environment = LetterEnvironment()


def letter_environment() -> LetterEnvironment:
    return _environment


@dataclass(frozen=True)
class Part:
    label: str  # where, as the message says it: "de hoofdtekst"
    source: str
    body: bool


@dataclass
class TemplateCheck:
    fields: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)

    @property
    def uses_qr(self) -> bool:
        return catalogue.QR in self.fields


def _numbered_paragraphs(xml: str) -> str:
    # What docxtpl does before rendering: one paragraph per line, so a line number names one.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def template_parts(data: bytes) -> list[Part]:
    """The Jinja source of every part of a DOCX, as docxtpl renders them. Raises ValidationError
    for a file that is not a Word document python-docx can read."""
    template = LetterDocx(io.BytesIO(data))
    try:
        docx = template.get_docx()
        parts = [Part(_("de hoofdtekst"), _numbered_paragraphs(template.patch_xml(template.get_xml())), True)]
        for uri, label in (
            (template.HEADER_URI, _("een koptekst")),
            (template.FOOTER_URI, _("een voettekst")),
        ):
            for _key, part in template.get_headers_footers(uri):
                xml = template.patch_xml(template.get_part_xml(part))
                parts.append(Part(label, _numbered_paragraphs(xml), False))
        for part in docx.part.package.parts:
            if part.content_type == FOOTNOTES_TYPE:
                blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                parts.append(Part(_("de voetnoten"), _numbered_paragraphs(template.patch_xml(blob)), False))
        properties = "\n".join(str(getattr(docx.core_properties, name) or "") for name in PROPERTIES)
        parts.append(Part(_("de documenteigenschappen (titel, onderwerp …)"), properties, False))
    except Exception as error:
        raise ValidationError(
            {
                "file": _(
                    "Dit Word-document kan niet gelezen worden. Sla het in Word op als "
                    "Word-document (.docx) en probeer opnieuw."
                )
            },
            code="unreadable",
        ) from error
    return parts


def _where(part: Part, lineno: int | None) -> str:
    lines = part.source.splitlines()
    if lineno is None or not 0 < lineno <= len(lines):
        return part.label
    text = html.unescape(re.sub(r"<[^>]+>", "", lines[lineno - 1]))
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return part.label
    if len(text) > 80:
        text = text[:77] + "…"
    return _("%(part)s, in de alinea „%(text)s”") % {"part": part.label, "text": text}


def _explain(error: TemplateSyntaxError) -> str:
    """Jinja's message in words a template writer understands."""
    message = str(error.message or "")
    match = re.search(r"The innermost block that needs to be closed is '(\w+)'", message)
    innermost = match.group(1) if match else ""
    unknown = re.match(r"Encountered unknown tag '(\w+)'", message)
    if message.lower().startswith("unexpected end of template") and innermost:
        return _("{%% %(tag)s %%} wordt nergens afgesloten met {%% end%(tag)s %%}.") % {"tag": innermost}
    if message.lower().startswith("unexpected end of template"):
        return _("een {{ … }} of {%% … %%} wordt niet afgesloten.") % {}
    if unknown and innermost:
        return _("{%% %(tag)s %%} staat hier verkeerd: eerst moet {%% %(open)s %%} afgesloten worden.") % {
            "tag": unknown.group(1),
            "open": innermost,
        }
    if unknown and unknown.group(1).startswith("end"):
        return _("{%% %(tag)s %%} zonder bijhorende {%% %(open)s %%}.") % {
            "tag": unknown.group(1),
            "open": unknown.group(1)[3:],
        }
    if unknown:
        return _("onbekende opdracht {%% %(tag)s %%}.") % {"tag": unknown.group(1)}
    if found := re.match(r"No filter named '([^']+)'", message):
        return _("onbekende filter |%(name)s.") % {"name": found.group(1)}
    if found := re.match(r"No test named '([^']+)'", message):
        return _("onbekende test „%(name)s”.") % {"name": found.group(1)}
    if found := re.match(r"expected token '([^']+)', got '([^']+)'", message):
        return _("„%(got)s” staat hier verkeerd (verwacht: %(expected)s).") % {
            "got": found.group(2),
            "expected": found.group(1),
        }
    if found := re.match(r"unexpected '([^']+)'", message):
        return _("onverwacht teken „%(char)s”.") % {"char": found.group(1)}
    return _("Jinja meldt: %(message)s") % {"message": message}


class _Walker:
    """Walks one part's syntax tree and collects what it uses and what is wrong with it."""

    def __init__(
        self, part: Part, *, block_codes: set[str] | None, check: TemplateCheck, problems: list[str]
    ):
        self.part = part
        self.block_codes = block_codes
        self.check = check
        self.problems = problems
        self.locals: set[str] = set()

    def problem(self, node: nodes.Node, message: str, **params: str) -> None:
        where = _where(self.part, getattr(node, "lineno", None))
        self.problems.append(message % {**params, "where": where})

    def use(self, name: str) -> None:
        if name not in self.check.fields:
            self.check.fields.append(name)

    def run(self, tree: nodes.Template) -> None:
        for name in tree.find_all(nodes.Name):
            if name.ctx in ("store", "param"):
                if name.name in catalogue.ROOT_NAMES:
                    self.problem(
                        name,
                        _(
                            "De naam „%(name)s” is voorbehouden voor de samenvoegvelden; kies een andere "
                            "naam voor uw variabele (in %(where)s)."
                        ),
                        name=name.name,
                    )
                self.locals.add(name.name)
        self.visit(tree, printed=False)

    def visit(self, node: Any, *, printed: bool) -> None:
        if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
            chain, rest = self._chain(node)
            if chain is not None:
                self.chain(node, chain, printed=printed)
                for extra in rest:
                    self.visit(extra, printed=False)
                return
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                self.visit(child, printed=True)
            return
        for child in node.iter_child_nodes():
            self.visit(child, printed=False)

    def _chain(self, node: Any) -> tuple[list[str] | None, list[nodes.Node]]:
        """klant.naam → ["klant", "naam"]; also klant["naam"]. Non-constant subscripts are
        returned to be visited on their own."""
        attributes: list[str] = []
        rest: list[nodes.Node] = []
        while True:
            if isinstance(node, nodes.Getattr):
                attributes.insert(0, node.attr)
                node = node.node
            elif isinstance(node, nodes.Getitem):
                if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                    attributes.insert(0, node.arg.value)
                elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int):
                    attributes.insert(0, "[]")
                else:
                    attributes.insert(0, "[?]")
                    rest.append(node.arg)
                node = node.node
            elif isinstance(node, nodes.Name):
                return [node.name, *attributes], rest
            else:
                return None, rest

    def chain(self, node: nodes.Node, chain: list[str], *, printed: bool) -> None:
        root, attributes = chain[0], chain[1:]
        if root in self.locals or root in catalogue.JINJA_NAMES:
            return
        written = ".".join([root, *attributes]).replace(".[]", "[…]").replace(".[?]", "[…]")
        if root == catalogue.BLOCK:
            self.block(node, attributes)
            return
        if root == catalogue.QR:
            if attributes:
                self.unknown(node, written)
            else:
                self.use(catalogue.QR)
            return
        if root not in catalogue.GROUP_NAMES:
            self.unknown(node, written)
            return
        if not attributes:
            if printed:
                self.problem(
                    node,
                    _("{{ %(group)s }} is geen veld: kies een veld, bv. {{ %(example)s }} (in %(where)s)."),
                    group=root,
                    example=f"{root}.{catalogue.field_names(root)[0]}",
                )
            return
        name = f"{root}.{attributes[0]}"
        known = catalogue.FIELDS.get(name)
        if known is None or "[?]" in attributes[:1]:
            self.unknown(node, written)
            return
        extra = attributes[1:]
        if extra and not (known.kind == catalogue.Kind.LIST and extra == ["[]"]):
            self.unknown(node, written)
            return
        if printed and known.kind == catalogue.Kind.LIST and not extra:
            self.problem(
                node,
                _(
                    "{{ %(field)s }} is een lijst van regels: zet elke regel apart met "
                    "{%%p for regel in %(field)s %%}{{ regel }}{%%p endfor %%} (in %(where)s)."
                ),
                field=name,
            )
            return
        self.use(name)

    def unknown(self, node: nodes.Node, written: str) -> None:
        suggestion = difflib.get_close_matches(written, [*catalogue.FIELDS], n=1, cutoff=0.85)
        hint = _(" Bedoelt u {{ %(field)s }}?") % {"field": suggestion[0]} if suggestion else ""
        self.problem(
            node, _("Onbekend samenvoegveld {{ %(field)s }} in %(where)s.%(hint)s"), field=written, hint=hint
        )

    def block(self, node: nodes.Node, attributes: list[str]) -> None:
        code = attributes[0] if attributes else ""
        if self.block_codes is None:
            self.problem(
                node,
                _("Een blok kan geen ander blok bevatten ({{ blok.%(code)s }} in %(where)s)."),
                code=code,
            )
            return
        if not self.part.body:
            self.problem(
                node,
                _("Een blok ({{ blok.%(code)s }}) kan alleen in de hoofdtekst staan, niet in %(where)s."),
                code=code,
            )
            return
        if len(attributes) != 1 or code not in self.block_codes:
            known = ", ".join(sorted(self.block_codes)) or _("(nog geen)")
            self.problem(
                node,
                _("Onbekend blok {{ blok.%(code)s }} in %(where)s. Bestaande blokken: %(known)s."),
                code=".".join(attributes),
                known=known,
            )
            return
        self.use(f"{catalogue.BLOCK}.{code}")
        if code not in self.check.blocks:
            self.check.blocks.append(code)


def _blocks_not_alone(data: bytes) -> list[str]:
    """A block replaces its paragraph: text beside it would be lost."""
    problems = []
    for paragraph in Document(io.BytesIO(data)).element.body.iter(qn("w:p")):
        text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
        if (
            "blok" in text
            and "{{" in text
            and not BLOCK_ALONE.match(text)
            and re.search(r"\{\{p?\s*blok\s*\.", text)
        ):
            snippet = text if len(text) <= 80 else text[:77] + "…"
            problems.append(
                _("Een blok staat alleen in zijn alinea: het vervangt die hele alinea („%(text)s”).")
                % {"text": snippet}
            )
    return problems


def check_template(data: bytes, *, block_codes: set[str] | None) -> TemplateCheck:
    """What a template (or, with block_codes None, a block) uses; ValidationError listing every
    problem, each with where it is, when it uses what the catalogue does not know."""
    parts = template_parts(data)
    environment = letter_environment()
    check = TemplateCheck()
    problems: list[str] = _blocks_not_alone(data)
    for part in parts:
        try:
            tree = environment.parse(part.source)
        except TemplateSyntaxError as error:
            where = part.label if "end of template" in str(error.message) else _where(part, error.lineno)
            problems.append(
                _("De sjabloontaal klopt niet in %(where)s: %(problem)s")
                % {"where": where, "problem": _explain(error)}
            )
            continue
        _Walker(part, block_codes=block_codes, check=check, problems=problems).run(tree)
        try:
            environment.compile(part.source)
        except (TemplateAssertionError, TemplateSyntaxError) as error:
            problems.append(
                _("De sjabloontaal klopt niet in %(where)s: %(problem)s")
                % {"where": _where(part, error.lineno), "problem": _explain(error)}
            )
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(_("… en nog %(count)s andere problemen.") % {"count": len(problems) - MAX_PROBLEMS})
        raise ValidationError({"file": shown}, code="template")
    check.fields.sort()
    check.blocks.sort()
    return check


def describe(names: list[str]) -> list[dict[str, Any]]:
    """The catalogue's entries for the fields a template uses (blocks by their code)."""
    described = []
    for name in names:
        known = catalogue.FIELDS.get(name)
        described.append({"name": name, "description": known.description if known else _("blok")})
    return described
