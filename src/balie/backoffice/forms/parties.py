"""Forms for registering and changing parties, their contact points and addresses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from balie.authentic_sources.addresses.postcodes import clean_belgian_address
from balie.parties.identifiers import clean_enterprise_number, clean_insz
from balie.parties.models import AddressKind, ContactPointKind, Gender, Party, PartyKind

from .common import DateInput, free_text_field, plain_text_field


class PersonForm(forms.Form):
    family_name = plain_text_field(_("Familienaam"), max_length=100, required=True)
    given_name = plain_text_field(_("Voornaam"), max_length=100)
    birth_date = forms.DateField(label=_("Geboortedatum"), required=False, widget=DateInput())
    gender = forms.ChoiceField(label=_("Geslacht"), choices=Gender.choices, required=False)
    national_number = forms.CharField(
        label=_("Rijksregisternummer"),
        max_length=20,
        required=False,
        help_text=_("Rijksregister- of BIS-nummer, bv. 85.07.30-033.28"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    note = free_text_field(_("Opmerking"), max_length=2000)

    def clean_national_number(self) -> str:
        value: str = self.cleaned_data["national_number"].strip()
        return clean_insz(value) if value else ""


class OrganisationForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=200, required=True)
    enterprise_number = forms.CharField(
        label=_("Ondernemingsnummer"),
        max_length=20,
        required=False,
        help_text=_("KBO-nummer, bv. 0403.019.261"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    legal_form = plain_text_field(_("Rechtsvorm"), max_length=100, help_text=_("bv. bv, nv, vzw"))
    note = free_text_field(_("Opmerking"), max_length=2000)

    def __init__(self, *args: Any, kind: str = PartyKind.ORGANISATION, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == PartyKind.ORGANISATION:
            self.fields["enterprise_number"].required = True

    def clean_enterprise_number(self) -> str:
        value: str = self.cleaned_data["enterprise_number"].strip()
        return clean_enterprise_number(value) if value else ""


def party_form_class(kind: str) -> type[PersonForm] | type[OrganisationForm]:
    return PersonForm if kind == PartyKind.PERSON else OrganisationForm


def party_form(kind: str, *args: Any, **kwargs: Any) -> forms.Form:
    if kind == PartyKind.PERSON:
        return PersonForm(*args, **kwargs)
    return OrganisationForm(*args, kind=kind, **kwargs)


def initial_for(party: Party) -> dict[str, Any]:
    """The edit form's starting values, identifiers formatted as people write them."""
    if party.is_person:
        return {
            "family_name": party.family_name,
            "given_name": party.given_name,
            "birth_date": party.birth_date,
            "gender": party.gender,
            "national_number": party.national_number_display,
            "note": party.note,
        }
    return {
        "name": party.name,
        "enterprise_number": party.enterprise_number_display,
        "legal_form": party.legal_form,
        "note": party.note,
    }


class ConfirmNewPartyForm(forms.Form):
    """Set when the employee has seen the suggestions and still wants a new party."""

    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ContactPointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ContactPointKind.choices)
    value = forms.CharField(
        label=_("E-mailadres of telefoonnummer"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    preferred = forms.BooleanField(label=_("Voorkeur voor deze soort"), required=False)
    verified = forms.BooleanField(
        label=_("Geverifieerd"),
        required=False,
        help_text=_("Alleen aanvinken als de klant het gegeven net bevestigd heeft."),
    )


class AddressForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort adres"), choices=AddressKind.choices)
    street = plain_text_field(_("Straat"), max_length=150, required=True)
    house_number = plain_text_field(_("Huisnummer"), max_length=12, required=True)
    box = plain_text_field(_("Bus"), max_length=12)
    postcode = plain_text_field(_("Postcode"), max_length=12, required=True)
    municipality = plain_text_field(
        _("Gemeente"), max_length=100, help_text=_("Leeg: volgt uit de Belgische postcode.")
    )
    country = forms.CharField(
        label=_("Land"), max_length=2, min_length=2, initial="BE", help_text=_("Landcode, bv. BE, NL, FR")
    )
    valid_from = forms.DateField(
        label=_("Geldig vanaf"), required=False, widget=DateInput(), help_text=_("Leeg: vandaag.")
    )
    # Set when the employee saw that the address register does not know the address, and saves it.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Typing a postcode fills in the municipality (htmx); without script, saving does.
        self.fields["postcode"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "hx-get": reverse("backoffice:postcode_lookup"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#municipality-field",
                "hx-swap": "outerHTML",
                "hx-include": "[name=postcode], [name=municipality], [name=country]",
                "hx-sync": "this:replace",
            }
        )
        self.fields["municipality"].widget.attrs.update(
            {"list": "municipality-names", "autocomplete": "address-level2"}
        )

    def clean_country(self) -> str:
        value: str = self.cleaned_data["country"].strip().upper()
        if not value.isalpha():
            raise ValidationError(_("Een landcode bestaat uit 2 letters."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if self.has_error("postcode") or self.has_error("country") or "postcode" not in data:
            return data
        try:
            checked = clean_belgian_address(
                postcode=data["postcode"], municipality=data.get("municipality", ""), country=data["country"]
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
            return data
        data.update(checked)
        if not data["municipality"]:
            self.add_error("municipality", _("Vul de gemeente in."))
        return data


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(label=_("Welke klant blijft bestaan?"), widget=forms.RadioSelect)
    reason = plain_text_field(_("Reden"), max_length=500, help_text=_("bv. dubbel ingevoerd aan de balie"))

    def __init__(self, *args: Any, first: Party, second: Party, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        survivor = self.fields["survivor"]
        assert isinstance(survivor, forms.ChoiceField)
        survivor.choices = [
            (str(first.uuid), first.display_name),
            (str(second.uuid), second.display_name),
        ]
        survivor.initial = str(first.uuid)
