"""A case type version's custom attributes as form fields, and a party picker found by search.

The fields only shape the input (a date picker, a choice list, five address parts); every rule is
checked by the case engine (`cases.attributes.clean_attributes`), whose errors come back keyed by
attribute code: the code is the field's name here, so they land next to the field.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from balie.cases.attributes import ADDRESS_KEYS
from balie.cases.models import AttributeDefinition, AttributeKind
from balie.parties.models import Party
from balie.parties.queries import parties_for, search_parties

from .common import DateInput

ADDRESS_LABELS = {
    "street": _("Straat"),
    "house_number": _("Huisnummer"),
    "box": _("Bus"),
    "postcode": _("Postcode"),
    "municipality": _("Gemeente"),
}
# The query-string key that says which picker's "Zoeken" button was pressed (no-JavaScript path).
SEARCH_KEY = "zoek"


class PreviewMixin:
    """A form sent with a party picker's "Zoeken" button (the path without JavaScript): it is shown
    again as typed, with the search results, and without error messages: nothing was submitted."""

    preview = False

    def full_clean(self) -> None:
        if self.preview:
            self._errors = ErrorDict()
            self.cleaned_data: dict[str, Any] = {}
            return
        super().full_clean()  # type: ignore[misc]


class PartyPickerWidget(forms.Widget):
    """The chosen party (a radio button), a search box and its results as radio buttons.

    With htmx the results come from `backoffice:case_party_search` as one types; without, the
    "Zoeken" button sends the form with `zoek=<field>`, and the view shows it again with results.
    """

    template_name = "backoffice/cases/widgets/party_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.party: Party | None = None
        self.results: Sequence[Party] = ()
        self.query = ""
        self.optional = True

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        party = self.party if self.party is not None and str(self.party.uuid) == str(value or "") else None
        context["widget"].update(
            {
                "party": party,
                "results": [p for p in self.results if party is None or p.pk != party.pk],
                "query": self.query,
                "searched": bool(self.query),
                "optional": self.optional,
                "search_key": SEARCH_KEY,
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name, "")


class PartyField(forms.CharField):
    """A party's public id, chosen with the picker. Whether it exists is the action's question."""

    widget = PartyPickerWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 36)
        super().__init__(**kwargs)
        assert isinstance(self.widget, PartyPickerWidget)
        self.widget.optional = not self.required

    def show(self, *, party: Party | None = None, results: Sequence[Party] = (), query: str = "") -> None:
        assert isinstance(self.widget, PartyPickerWidget)
        self.widget.party = party
        self.widget.results = results
        self.widget.query = query


class AddressWidget(forms.MultiWidget):
    template_name = "backoffice/cases/widgets/address.html"
    use_fieldset = True

    def __init__(self) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            key: forms.TextInput(attrs={"maxlength": 100}) for key in ADDRESS_KEYS
        }
        widgets["postcode"] = forms.TextInput(attrs={"maxlength": 4, "inputmode": "numeric"})
        super().__init__(widgets)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [value.get(key, "") for key in ADDRESS_KEYS]
        return [""] * len(ADDRESS_KEYS)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for key, sub in zip(ADDRESS_KEYS, context["widget"]["subwidgets"], strict=True):
            sub["label"] = ADDRESS_LABELS[key]
            sub["part"] = key
        return context


class AddressField(forms.MultiValueField):
    widget = AddressWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = tuple(forms.CharField(max_length=100, required=False) for _key in ADDRESS_KEYS)
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dict[str, str] | str:
        if not data_list or not any(data_list):
            return ""
        return dict(zip(ADDRESS_KEYS, [value or "" for value in data_list], strict=True))


def attribute_field(definition: AttributeDefinition) -> forms.Field:
    """The field for one attribute. "Required" is the engine's check, like every other rule, so
    that all the attributes' errors come back at once; the field only says it (`shown_required`)."""
    field = _attribute_field(definition)
    field.shown_required = definition.required  # type: ignore[attr-defined]
    return field


def _attribute_field(definition: AttributeDefinition) -> forms.Field:
    common: dict[str, Any] = {"label": definition.label, "required": False, "help_text": definition.help_text}
    kind = definition.kind
    if kind == AttributeKind.NUMBER:
        # Text, so that "12,5" reaches the engine, which reads a comma as a decimal point.
        return forms.CharField(
            max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    if kind == AttributeKind.DATE:
        return forms.DateField(widget=DateInput(), **common)
    if kind == AttributeKind.CHOICE:
        choices = [("", _("— kies —"))] + [(choice, choice) for choice in definition.choices]
        return forms.ChoiceField(choices=choices, **common)
    if kind == AttributeKind.PARTY:
        return PartyField(**common)
    if kind == AttributeKind.ADDRESS:
        return AddressField(**common)
    widget = forms.Textarea(attrs={"rows": 3}) if definition.max_length > 200 else forms.TextInput()
    return forms.CharField(max_length=definition.max_length, widget=widget, **common)


class PartyPickerMixin:
    """For forms with PartyFields: show the chosen party by name, and a picker's results."""

    fields: dict[str, forms.Field]

    def prepare_pickers(self, user: Any, query: Mapping[str, str] | None = None) -> list[Party]:
        """Look up the chosen parties (as `user` may see them) and, when a picker's "Zoeken" was
        pressed without JavaScript, search for it. Returns every party shown, for the access log."""
        form: Any = self
        pickers = {name: f for name, f in self.fields.items() if isinstance(f, PartyField)}
        values = {name: str(form[name].value() or "") for name in pickers}
        ids = [value for value in values.values() if is_uuid(value)]
        chosen = {str(p.uuid): p for p in parties_for(user).filter(uuid__in=ids)} if ids else {}
        shown = list(chosen.values())
        searched = (query or {}).get(SEARCH_KEY) or (self.pending_search(query) if query else "")
        for name, field in pickers.items():
            html_name = form.add_prefix(name)
            text, results = "", []
            if query is not None and searched == html_name:
                text = str(query.get(f"{html_name}-zoek", "")).strip()[:100]
                results = search_parties(user, text) if text else []
                shown += results
            field.show(party=chosen.get(values[name]), results=results, query=text)
        return shown

    def pending_search(self, data: Mapping[str, Any]) -> str:
        """The picker with words typed in its search box but nobody chosen: the employee meant to
        search (pressed Enter), not to send the form. Its name, or ""."""
        form: Any = self
        for name, field in self.fields.items():
            html_name = form.add_prefix(name)
            typed = str(data.get(f"{html_name}-zoek", "")).strip()
            if isinstance(field, PartyField) and typed and not data.get(html_name):
                return str(html_name)
        return ""

    def wants_search(self, data: Mapping[str, Any]) -> bool:
        """Sent to search for a party (the "Zoeken" button, or Enter in a search box)?"""
        return SEARCH_KEY in data or bool(self.pending_search(data))


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class AttributeForm(PreviewMixin, PartyPickerMixin, forms.Form):
    """One field per attribute definition of a case type version, named by its code."""

    prefix = "kenmerk"

    def __init__(self, *args: Any, definitions: Iterable[AttributeDefinition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = list(definitions)
        for definition in self.definitions:
            self.fields[definition.code] = attribute_field(definition)

    def values(self) -> dict[str, Any]:
        """The cleaned input for the engine: every attribute, empty ones as "" (cleared)."""
        return {code: self.cleaned_data.get(code) or "" for code in self.fields}
