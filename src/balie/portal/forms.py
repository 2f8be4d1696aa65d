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
