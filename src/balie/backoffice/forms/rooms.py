"""Forms of the room-booking pages: a counter booking, moving and cancelling a booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.reservations.models import CustomerCategory, Facility, Layout, Room

from .common import DateInput


class TimeInput(forms.TimeInput):
    input_type = "time"


class SlotForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput)
    start = forms.TimeField(label=_("Van"), widget=TimeInput)
    end = forms.TimeField(label=_("Tot"), widget=TimeInput)

    def slot(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        day = self.cleaned_data["date"]
        return (
            dt.datetime.combine(day, self.cleaned_data["start"], tzinfo=zone),
            dt.datetime.combine(day, self.cleaned_data["end"], tzinfo=zone),
        )


class CounterBookingForm(SlotForm):
    field_order = ["room", "category", "date", "start", "end"]
    room = forms.ModelChoiceField(label=_("Zaal"), queryset=Room.objects.filter(active=True))
    category = forms.ModelChoiceField(label=_("Klantencategorie"), queryset=CustomerCategory.objects.all())
    given_name = forms.CharField(label=_("Voornaam"), max_length=100)
    family_name = forms.CharField(label=_("Familienaam"), max_length=100)
    purpose = forms.CharField(label=_("Activiteit"), max_length=200)
    attendees = forms.IntegerField(label=_("Aantal personen"), min_value=1, initial=1)
    layout = forms.ChoiceField(
        label=_("Opstelling"), choices=[("", _("geen voorkeur")), *Layout.choices], required=False
    )
    facilities = forms.ModelMultipleChoiceField(
        label=_("Faciliteiten"),
        queryset=Facility.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_now = forms.BooleanField(
        label=_("Meteen bevestigen (betaald aan de balie)"), required=False, initial=True
    )
    override_reason = forms.CharField(
        label=_("Reden om de boekingsregels te overschrijven"),
        required=False,
        max_length=500,
        help_text=_("Alleen voor zaalbeheerders; komt in de historiek."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room_field = self.fields["room"]
        assert isinstance(room_field, forms.ModelChoiceField)
        room_field.queryset = Room.objects.filter(active=True).select_related("building")


class MoveForm(SlotForm):
    """Move a booking: a new day, hours and room (the planning board's drag posts the same)."""

    field_order = ["room", "date", "start", "end"]
    room = forms.ModelChoiceField(label=_("Zaal"), queryset=Room.objects.filter(active=True))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room_field = self.fields["room"]
        assert isinstance(room_field, forms.ModelChoiceField)
        room_field.queryset = Room.objects.filter(active=True).select_related("building").order_by("name")


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=500)
