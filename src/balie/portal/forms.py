"""The e-loket's forms. Each has a honeypot: a field people never see (hidden from sight and from
screen readers) that a form-filling robot fills in; a filled-in honeypot refuses the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT = "website"


class HoneypotForm(forms.Form):
    website = forms.CharField(
        required=False,
        label=_("Laat dit veld leeg"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(_("Dit formulier kon niet verwerkt worden."))
        return value


class LoginForm(HoneypotForm):
    email = forms.EmailField(label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(HoneypotForm):
    given_name = forms.CharField(
        label=_("Voornaam"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    family_name = forms.CharField(
        label=_("Familienaam"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        help_text=_("Minstens 8 tekens, niet enkel cijfers."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class QuestionForm(HoneypotForm):
    question = forms.CharField(
        label=_("Uw vraag"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Schrijf zo duidelijk mogelijk wat u wilt weten. "
            "U krijgt een antwoord per e-mail of in uw e-loket."
        ),
    )

    def clean_question(self) -> str:
        value: str = self.cleaned_data["question"].strip()
        if len(value) < 10:
            raise forms.ValidationError(_("Uw vraag is te kort: schrijf er wat meer bij."))
        return value


class ActingForm(forms.Form):
    party = forms.CharField(required=False)

    def __init__(self, *args: Any, choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices

    def clean_party(self) -> str:
        value: str = self.cleaned_data.get("party", "")
        if value and value not in self.choices:
            raise forms.ValidationError(_("U kunt niet handelen voor deze organisatie."))
        return value


ADDRESS_PARTS = [
    ("street", _("Straat")),
    ("house_number", _("Huisnummer")),
    ("box", _("Bus")),
    ("postcode", _("Postcode")),
    ("municipality", _("Gemeente")),
]


class EServiceForm(HoneypotForm):
    """A form built from the attributes of an e-service's case type version: one field per
    attribute (an address as its parts), checked again by the case engine when it is sent."""

    description = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat wilt u ons nog laten weten? (niet verplicht)"),
    )

    def __init__(self, *args: Any, attributes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attributes = [a for a in attributes if a.kind != "party"]
        fields: dict[str, forms.Field] = {}
        for attribute in self.attributes:
            # Every check, "required" included, is the case engine's (clean_attributes), so that
            # all problems come back at once; the form only says which fields are required.
            label = (
                _("%(label)s (verplicht)") % {"label": attribute.label}
                if attribute.required
                else attribute.label
            )
            common = {"label": label, "required": False, "help_text": attribute.help_text}
            if attribute.kind == "text":
                widget = (
                    forms.Textarea(attrs={"rows": 3}) if attribute.max_length > 200 else forms.TextInput()
                )
                fields[f"a_{attribute.code}"] = forms.CharField(
                    max_length=attribute.max_length, widget=widget, **common
                )
            elif attribute.kind == "number":
                fields[f"a_{attribute.code}"] = forms.CharField(
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
                )
            elif attribute.kind == "date":
                fields[f"a_{attribute.code}"] = forms.DateField(
                    widget=forms.DateInput(attrs={"type": "date"}), **common
                )
            elif attribute.kind == "choice":
                choices = [("", "—"), *[(c, c) for c in attribute.choices]]
                fields[f"a_{attribute.code}"] = forms.ChoiceField(choices=choices, **common)
            elif attribute.kind == "address":
                for part, label in ADDRESS_PARTS:
                    fields[f"a_{attribute.code}__{part}"] = forms.CharField(
                        label=f"{attribute.label}: {label}",
                        required=False,
                        max_length=100,
                    )
        description = self.fields.pop("description")
        website = self.fields.pop("website")
        self.fields.update(fields)
        self.fields["description"] = description
        self.fields["website"] = website

    def attribute_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for attribute in self.attributes:
            if attribute.kind == "address":
                parts = {
                    part: self.cleaned_data.get(f"a_{attribute.code}__{part}", "")
                    for part, _l in ADDRESS_PARTS
                }
                values[attribute.code] = parts if any(parts.values()) else None
            else:
                values[attribute.code] = self.cleaned_data.get(f"a_{attribute.code}")
        return values

    def add_attribute_errors(self, errors: dict[str, list[str]]) -> None:
        for code, problems in errors.items():
            target = f"a_{code}" if f"a_{code}" in self.fields else f"a_{code}__street"
            for problem in problems:
                self.add_error(target if target in self.fields else None, problem)


class CaseDocumentForm(HoneypotForm):
    title = forms.CharField(
        label=_("Wat is het?"),
        max_length=200,
        help_text=_("Bijvoorbeeld: plan van de verbouwing, attest, foto."),
    )
    file = forms.FileField(
        label=_("Bestand"), help_text=_("PDF, Word, Excel, een foto (JPG, PNG) of een scan (TIFF).")
    )


class ContactDetailsForm(HoneypotForm):
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Hierop krijgt u bericht als er iets nieuws is in uw e-loket."),
    )
    phone = forms.CharField(
        label=_("Telefoon of gsm"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Taal van onze berichten"),
        choices=[("nl", "Nederlands"), ("fr", "Français"), ("en", "English")],
    )
    notify_by_email = forms.BooleanField(
        label=_("Mail mij als er iets verandert aan mijn zaken en meldingen"),
        required=False,
        help_text=_(
            "Zonder dit vinkje volgt u ze in Mijn gemeente. Brieven en antwoorden op uw vragen krijgt u"
            " altijd."
        ),
    )
