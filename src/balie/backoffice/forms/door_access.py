"""Forms for door access: a door controller and a door zone (the functional administrator)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balie.room_access.models import DoorController

from .common import plain_text_field

_VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]{0,99}$")


class DoorControllerForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=120, required=True)
    base_url = forms.URLField(
        label=_("Adres"),
        assume_scheme="https",
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocapitalize": "off"}),
        help_text=_("Het https-adres van de controller. Leeg: de demo-toegangscontroller."),
    )
    api_key_variable = forms.CharField(
        label=_("Omgevingsvariabele met de API-sleutel"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
        help_text=_("Bv. BALIE_DEURCONTROLLER_SLEUTEL. De sleutel zelf staat nooit in Balie."),
    )
    active = forms.BooleanField(label=_("Actief (mee afstemmen)"), required=False, initial=True)

    def clean_api_key_variable(self) -> str:
        value = self.cleaned_data["api_key_variable"].strip()
        if value and not _VARIABLE.match(value):
            raise ValidationError(_("Hoofdletters, cijfers en _, beginnend met een letter."))
        return value


class DoorZoneForm(forms.Form):
    name = plain_text_field(
        _("Naam"), max_length=120, required=True, help_text=_("Bv. het gebouw en de ingang.")
    )
    controller = forms.ModelChoiceField(
        label=_("Controller"), queryset=DoorController.objects.order_by("name"), empty_label=None
    )
    zone_id = forms.RegexField(
        label=_("Zone-id bij de controller"),
        regex=r"^[A-Za-z0-9._-]{1,64}$",
        max_length=64,
        error_messages={"invalid": _("Letters, cijfers, punt, streepje of liggend streepje.")},
    )


class GrantFilterForm(forms.Form):
    tonen = forms.ChoiceField(
        label=_("Tonen"),
        required=False,
        choices=[("live", _("Lopend en komend")), ("failed", _("Doorgave mislukt")), ("all", _("Alle"))],
    )
