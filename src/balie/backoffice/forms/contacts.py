"""The quick 'register a contact' form, with an optional hand-off to a colleague."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.accounts.queries import active_departments, active_employees, active_teams
from balie.contact_moments.models import Channel, Direction
from balie.contact_moments.queries import active_topics

from .common import DateInput, ValuesModelChoiceField, free_text_field

HANDOFF_FIELDS = ("department", "team", "assignee", "description", "due_date")


def _person_name(first_name: str, last_name: str, username: str) -> str:
    """As User.__str__: the full name, else the username."""
    return f"{first_name} {last_name}".strip() or username


class ContactMomentForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kanaal"), choices=Channel.choices, initial=Channel.PHONE)
    direction = forms.ChoiceField(
        label=_("Richting"), choices=Direction.choices, initial=Direction.INBOUND, widget=forms.RadioSelect
    )
    topic = ValuesModelChoiceField(
        label=_("Onderwerp"),
        queryset=active_topics(),
        required=False,
        empty_label=_("— geen onderwerp —"),
        label_fields=("name",),
    )
    summary = free_text_field(_("Samenvatting"), max_length=5000, required=True, rows=4)
    duration_minutes = forms.IntegerField(
        label=_("Duur (minuten)"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    confidential = forms.BooleanField(
        label=_("Vertrouwelijk"),
        required=False,
        help_text=_("Alleen zichtbaar voor uw eigen dienst."),
    )
    # The hand-off: filled in only when a colleague must follow up.
    department = ValuesModelChoiceField(
        label=_("Doorgeven aan dienst"),
        queryset=active_departments(),
        required=False,
        empty_label=_("— niet doorgeven —"),
        label_fields=("name",),
    )
    team = ValuesModelChoiceField(
        label=_("Team"),
        queryset=active_teams(),
        required=False,
        empty_label=_("— heel de dienst —"),
        label_fields=("department__name", "name"),
        label_format="{} – {}".format,
    )
    assignee = ValuesModelChoiceField(
        label=_("Medewerker"),
        queryset=active_employees(),
        required=False,
        empty_label=_("— geen bepaalde medewerker —"),
        label_fields=("first_name", "last_name", "username"),
        label_format=_person_name,
    )
    description = free_text_field(_("Wat moet er gebeuren?"), max_length=2000, rows=3)
    due_date = forms.DateField(label=_("Uiterlijk op"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if any(data.get(name) for name in HANDOFF_FIELDS):
            if not data.get("department") and "department" not in self.errors:
                self.add_error("department", _("Kies de dienst die dit opvolgt."))
            if not (data.get("description") or "").strip() and "description" not in self.errors:
                self.add_error("description", _("Beschrijf wat er moet gebeuren."))
        return data

    @property
    def wants_handoff(self) -> bool:
        """Whether the hand-off part holds anything (to open it when the form is shown again)."""
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in HANDOFF_FIELDS)

    def action_arguments(self) -> dict[str, Any]:
        """The keyword arguments for register_contact_moment."""
        data = self.cleaned_data
        minutes = data.get("duration_minutes")
        handoff = None
        if data.get("department"):
            handoff = {name: data.get(name) for name in HANDOFF_FIELDS}
        return {
            "channel": data["channel"],
            "direction": data["direction"],
            "topic": data.get("topic"),
            "summary": data["summary"],
            "duration_seconds": minutes * 60 if minutes is not None else None,
            "confidential": data.get("confidential", False),
            "handoff": handoff,
        }


class WebAnswerForm(forms.Form):
    """The answer to a question asked in the e-loket, shown to the citizen there."""

    text = free_text_field(
        _("Antwoord"),
        max_length=4000,
        required=True,
        rows=5,
        help_text=_("De klant leest dit in het e-loket en krijgt een e-mail dat er een antwoord is."),
    )
