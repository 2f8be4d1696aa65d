"""Forms for the authentic sources: why a source is consulted, the privacy officer's search of
the consultation log, the legal purposes, and read-only fields on the party form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balie.authentic_sources.consultations import active_purposes
from balie.authentic_sources.models import LegalPurpose, MagdaService
from balie.parties.identifiers import compact_digits
from balie.parties.models import Party
from balie.parties.queries import search_parties
from balie.parties.registries import locked_fields

from .audit import AccessLogSearchForm
from .common import plain_text_field


class PurposeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.description} ({obj.capacity_code})"


class FetchForm(forms.Form):
    """Why the employee consults the source: no purpose, no call."""

    purpose = PurposeChoiceField(
        label=gettext_lazy("Doel van de raadpleging"),
        queryset=LegalPurpose.objects.none(),
        to_field_name="uuid",
        empty_label=gettext_lazy("— kies het doel —"),
        help_text=gettext_lazy(
            "De raadpleging wordt gelogd met uw naam, het doel en het tijdstip. Raadpleeg alleen wat u "
            "voor dit doel nodig hebt."
        ),
        error_messages={
            "required": gettext_lazy("Kies het doel van de raadpleging: zonder doel geen opvraging.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        purpose = self.fields["purpose"]
        assert isinstance(purpose, forms.ModelChoiceField)
        purpose.queryset = active_purposes()


class ConsultationSearchForm(AccessLogSearchForm):
    """The access log's search (person, employee, period) plus the service and the purpose."""

    service = forms.ChoiceField(
        label=gettext_lazy("Dienst"),
        required=False,
        choices=[("", gettext_lazy("— alle diensten —")), *MagdaService.choices],
    )
    purpose = forms.ChoiceField(label=gettext_lazy("Doel (hoedanigheid)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.label = _("Persoon of onderneming")
        person.help_text = _("Rijksregisternummer, ondernemingsnummer of naam")
        codes = LegalPurpose.objects.order_by("capacity_code", "description").values_list(
            "capacity_code", "description"
        )
        choices: dict[str, str] = {}
        for code, description in codes:
            choices[code] = f"{code} – {description}" if code not in choices else f"{code} – …"
        purpose = self.fields["purpose"]
        assert isinstance(purpose, forms.ChoiceField)
        purpose.choices = [("", _("— alle doelen —")), *choices.items()]

    def _resolve_person(self, text: str) -> None:
        """The KBO is consulted about enterprises: they are searched for too."""
        digits = compact_digits(text)
        if len(digits) == 11 and not any(ch.isalpha() for ch in text):
            super()._resolve_person(text)
            return
        found = search_parties(self.user, text)
        if not found:
            self.add_error("person", _("Geen persoon of onderneming gevonden met deze naam of dit nummer."))
        elif len(found) == 1:
            self.subject = found[0]
        else:
            self.candidates = found
            self.add_error("person", _("Meerdere gevonden: kies er een in de lijst."))

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for balie.authentic_sources.consultations.search_consultations."""
        return {
            **super().filters(),
            "service": self.cleaned_data.get("service") or "",
            "purpose_code": self.cleaned_data.get("purpose") or "",
        }


class LegalPurposeForm(forms.Form):
    capacity_code = plain_text_field(
        gettext_lazy("Hoedanigheidscode"),
        max_length=20,
        required=True,
        help_text=gettext_lazy("De code van de hoedanigheid waarvoor de machtiging geldt, bv. 1300."),
    )
    description = plain_text_field(gettext_lazy("Omschrijving"), max_length=200, required=True)
    legal_basis = plain_text_field(gettext_lazy("Rechtsgrond"), max_length=300)


def source_note(label: str, since: Any) -> str:
    return _("bron: %(source)s, %(date)s") % {
        "source": label,
        "date": formats.date_format(since, "d/m/Y") if since else "?",
    }


def lock_sourced_fields(form: forms.Form, party: Party) -> dict[str, str]:
    """Fields an authentic source filled: shown read-only with their source and date (a disabled
    field keeps the party's value, whatever is posted). Returns {field: note}."""
    notes: dict[str, str] = {}
    for name, lock in locked_fields(party).items():
        note = source_note(lock.source_label, lock.since)
        notes[name] = note
        field = form.fields.get(name)
        if field is not None:
            field.disabled = True
            field.help_text = note
    return notes
