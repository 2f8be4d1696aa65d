"""Mail templates: plain text with the letters' merge fields ({{ klant.naam }}, {{ zaak.nummer }},
{{ medewerker.naam }}, {{ gemeente.naam }} …), merged by a sandboxed Jinja engine without
autoescaping (a mail's text is not HTML). A template that names a field outside the letters'
catalogue (the groups klant, zaak, medewerker and gemeente; not poststuk, qr or blok, which only
a letter has) is refused when it is saved, so merging never meets an unknown name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from balie.documents.letters import fields as catalogue
from balie.documents.letters.context import build_context

MAIL_GROUPS = (catalogue.PARTY, catalogue.CASE, catalogue.EMPLOYEE, catalogue.MUNICIPALITY)
ALLOWED_FIELDS = frozenset(
    name
    for name, field in catalogue.FIELDS.items()
    if name.split(".", 1)[0] in MAIL_GROUPS and field.kind == catalogue.Kind.TEXT
)

_environment = SandboxedEnvironment(autoescape=False, keep_trailing_newline=True)


@dataclass(frozen=True)
class MergeField:
    name: str
    description: str
    example: str


def merge_fields() -> list[MergeField]:
    """The fields a mail template may use, for the administrator's page."""
    return [
        MergeField(name, str(catalogue.FIELDS[name].description), str(catalogue.FIELDS[name].example))
        for name in catalogue.FIELDS
        if name in ALLOWED_FIELDS
    ]


def check_template_text(text: str) -> list[str]:
    """What is wrong with a subject or body (empty: nothing), in Dutch."""
    try:
        tree = _environment.parse(text)
    except TemplateSyntaxError as error:
        return [_("Regel %(line)s: %(message)s") % {"line": error.lineno, "message": error.message}]
    problems: list[str] = []
    used: set[str] = set()
    bases: set[int] = set()
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name):
            used.add(f"{node.node.name}.{node.attr}")
            bases.add(id(node.node))
    for name in tree.find_all(nodes.Name):
        if name.name not in MAIL_GROUPS:
            problems.append(_("Onbekend samenvoegveld: %(name)s.") % {"name": name.name})
        elif id(name) not in bases:
            problems.append(
                _("Gebruik een veld van %(name)s, bv. {{ %(name)s.naam }}.") % {"name": name.name}
            )
    for field in sorted(used):
        if field.split(".")[0] in MAIL_GROUPS and field not in ALLOWED_FIELDS:
            problems.append(_("Onbekend samenvoegveld: %(name)s.") % {"name": field})
    return list(dict.fromkeys(problems))


def merge_values(*, party: Any, case: Any, employee: Any, language: str = "nl") -> dict[str, Any]:
    """The values of the four groups, from the letters' own context builder."""
    case_values = None
    if case is not None:
        case_values = {
            "number": case.number,
            "type": case.case_type.name,
            "subject": case.subject,
            "registered_on": case.registered_at,
            "deadline": case.deadline,
            "department": case.department.name,
            "handler": case.handler.get_full_name() if case.handler is not None else "",
        }
    context = build_context(
        language=language, qr_payload="", party=party, case=case_values, employee=employee
    )
    return {name: context.values[name] for name in MAIL_GROUPS}


def render_text(text: str, values: dict[str, Any]) -> str:
    return _environment.from_string(text).render(values)


def render_template(template: Any, *, party: Any, case: Any, employee: Any) -> tuple[str, str]:
    """(subject, body) of a MailTemplate merged for this party, case and employee."""
    values = merge_values(party=party, case=case, employee=employee)
    subject = " ".join(render_text(template.subject, values).split())
    return subject, render_text(template.body, values).strip() + "\n"
