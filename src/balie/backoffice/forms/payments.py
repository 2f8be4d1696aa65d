"""Forms of the payments pages: the register, the day close, refunds, bank statements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.payments.register import DENOMINATIONS


class OpenRegisterForm(forms.Form):
    opening_float = forms.CharField(
        label=_("Wisselgeld in de kassa"),
        max_length=20,
        initial="0,00",
        help_text=_("Het bedrag in de lade bij het openen, bv. 150,00."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


METHOD_CHOICES = [("cash", _("Contant")), ("card", _("Kaart"))]


class SettleForm(forms.Form):
    order = forms.CharField(
        label=_("Bestelling"),
        max_length=40,
        help_text=_("Het bestelnummer (BST-…) of de gestructureerde mededeling."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    method = forms.ChoiceField(
        label=_("Betaalwijze"), choices=METHOD_CHOICES, widget=forms.RadioSelect, initial="cash"
    )
    tendered = forms.CharField(
        label=_("Ontvangen (contant)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Kasticket mailen naar"), required=False)


class FeeSaleForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Betaalwijze"), choices=METHOD_CHOICES, widget=forms.RadioSelect, initial="cash"
    )
    tendered = forms.CharField(
        label=_("Ontvangen (contant)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Kasticket mailen naar"), required=False)

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.code}"] = forms.IntegerField(
                label=item.description,
                min_value=0,
                max_value=99,
                required=False,
                initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def quantities(self) -> dict[str, int]:
        return {item.code: self.cleaned_data.get(f"item_{item.code}") or 0 for item in self.items}


class CloseRegisterForm(forms.Form):
    """The count: per denomination, or only the total. Kept as text so the action can refuse
    letters with a message that names the denomination."""

    total = forms.CharField(
        label=_("Of alleen het getelde totaal"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Opmerking"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for denomination in DENOMINATIONS:
            self.fields[f"d_{denomination}"] = forms.CharField(
                label=f"€ {denomination}".replace(".", ","),
                max_length=6,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
            )

    def denomination_fields(self) -> list[Any]:
        return [self[f"d_{denomination}"] for denomination in DENOMINATIONS]

    def per_denomination(self) -> dict[str, str]:
        return {str(d): self.cleaned_data.get(f"d_{d}", "") for d in DENOMINATIONS}


class RefundForm(forms.Form):
    amount = forms.CharField(
        label=_("Bedrag"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    reason = forms.CharField(label=_("Reden"), max_length=300)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300)


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Rekeninguittreksel (CODA of CSV)"))


class LinkLineForm(forms.Form):
    order = forms.CharField(
        label=_("Bestelling"), max_length=40, help_text=_("Bestelnummer of gestructureerde mededeling.")
    )


class IgnoreLineForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300)


class CashRefundForm(forms.Form):
    """Money given back in cash from the register's drawer (rooms-board)."""

    order = forms.CharField(
        label=_("Bestelling"),
        max_length=40,
        help_text=_("Het bestelnummer (BST-…) of de gestructureerde mededeling."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    amount = forms.CharField(
        label=_("Terug te geven (contant)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("Reden"), max_length=300)
