"""Shared form helpers: domain errors onto form fields, plain-text fields, date widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
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
        selected = {str(v) for v in self.format_value(value)}
        found = False

        def option(option_value: Any, label: Any) -> SafeString:
            nonlocal found
            key = "" if option_value is None else str(option_value)
            chosen = key in selected and (self.allow_multiple_selected or not found)
            found = found or chosen
            return format_html(
                '<option value="{}"{}>{}</option>', key, mark_safe(" selected") if chosen else "", label
            )

        options: list[str] = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                options.append(format_html('<optgroup label="{}">', group_value))
                options.extend(option(v, label) for v, label in group_label)
                options.append(mark_safe("</optgroup>"))
            else:
                options.append(option(group_value, group_label))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 - each option escaped by format_html
        )


def _join_labels(*parts: Any) -> str:
    return " ".join(str(part) for part in parts if part)


class _ValuesChoiceIterator(ModelChoiceIterator):
    """Choices from one values_list() query: no model instance per option."""

    field: ValuesModelChoiceField

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # The option's value is what the field looks the choice up by (its to_field_name, e.g.
        # the public uuid), as Django's own ModelChoiceIterator does.
        key = self.field.to_field_name or "pk"
        for value, *parts in self.queryset.values_list(key, *self.field.label_fields):
            yield (value, self.field.label_format(*parts))


class ValuesModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for long lists shown on busy pages (the 360° view's contact panel).

    Django builds a model instance and a label for every option on every render; this reads only
    the id and the label's columns. Validation of a submitted value is unchanged (one get()).
    """

    iterator = _ValuesChoiceIterator

    def __init__(
        self,
        *args: Any,
        label_fields: tuple[str, ...],
        label_format: Callable[..., str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.label_fields = label_fields
        self.label_format = label_format or _join_labels
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)
