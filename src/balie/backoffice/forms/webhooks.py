"""Forms for the functional administrator's webhooks: the subscription and the delivery-log filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.core.models import OutboxState

from .common import plain_text_field
from .manage import _departments


class EventTypesField(forms.CharField):
    """One event type or prefix per line (or separated by commas), as a list."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "off"})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value


class WebhookForm(forms.Form):
    name = plain_text_field(
        _("Naam"), max_length=100, required=True, help_text=_("Het systeem dat de berichten ontvangt.")
    )
    url = forms.CharField(
        label=_("Adres"),
        max_length=500,
        widget=forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_("Het https-adres waarop Balie elke gebeurtenis met een POST-verzoek aflevert."),
    )
    event_types = EventTypesField(
        label=_("Soorten gebeurtenissen"),
        max_length=2000,
        initial=["be.balie.case."],
        help_text=_(
            "Eén per regel. Een soort die op een punt eindigt, geldt voor alles wat ermee begint:"
            " be.balie.case. is elke gebeurtenis van een zaak; be.balie.case.closed alleen het"
            " afsluiten."
        ),
    )
    department = forms.ModelChoiceField(
        label=_("Alleen van dienst"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Alle diensten"),
        help_text=_("Alleen gebeurtenissen van zaken van deze dienst."),
    )

    def __init__(self, *args: Any, current_department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(current_department)  # type: ignore[attr-defined]


class DeliveryFilterForm(forms.Form):
    toestand = forms.ChoiceField(
        label=_("Toestand"), choices=[("", _("Alle")), *OutboxState.choices], required=False
    )
