"""Shared form helpers: domain errors onto form fields, plain-text fields, date widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from balie.core.validators import validate_no_control_chars, validate_plain_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def add_domain_errors(
    form: forms.Form, error: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Put a ValidationError raised by an action next to the fields it names (else on top)."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = rename.get(name, name)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def plain_text_field(
    label: StrOrPromise, *, max_length: int, required: bool = False, **kwargs: Any
) -> forms.CharField:
    """A name or short label: no markup, no control characters."""
    return forms.CharField(
        label=label, max_length=max_length, required=required, validators=[validate_plain_text], **kwargs
    )


def free_text_field(
    label: StrOrPromise, *, max_length: int, required: bool = False, rows: int = 3, **kwargs: Any
) -> forms.CharField:
    """Longer text (a summary, a note): escaped on display, so < and > are allowed."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[validate_no_control_chars],
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class FastSelect(forms.Select):
    """A <select> whose options are written in Python.

    Django renders every <option> through its own template, about a tenth of a millisecond each;
    the contact panel on the 360° view carries a few hundred (topics, departments, teams,
    employees) and spent most of its time there. Same markup, same attributes.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        options: list[str] = []
        for group_name, group, _index in context["optgroups"]:
            rendered = [
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for option in group
            ]
            if group_name:
                options.append(format_html('<optgroup label="{}">', group_name))
                options.extend(rendered)
                options.append(mark_safe("</optgroup>"))
            else:
                options.extend(rendered)
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            flatatt(context["attrs"]),
            mark_safe("".join(options)),  # noqa: S308 - each option escaped by format_html
        )
