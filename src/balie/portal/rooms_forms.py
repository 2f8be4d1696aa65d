"""The e-loket's forms for booking a room and cancelling a booking. A refused slot is shown next to
the field it is about (the rules say which), everything else above the form."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.reservations.models import Layout, Room
from balie.reservations.rules import Verdict

from .forms import HoneypotForm

# the rules' names for what a message is about → this form's fields
RULE_FIELDS = {
    "day": "date",
    "starts_at": "start",
    "ends_at": "end",
    "attendees": "attendees",
    "layout": "layout",
}


LAYOUT_LABEL = _("%(layout)s (tot %(n)s personen)")


class BookingForm(HoneypotForm):
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(label=_("Van"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(
        label=_("Tot"),
        help_text=_("Tot middernacht: kies 00:00."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    layout = forms.ChoiceField(label=_("Opstelling"))
    attendees = forms.IntegerField(label=_("Aantal personen"), min_value=1, max_value=10000)
    purpose = forms.CharField(
        label=_("Activiteit"),
        max_length=200,
        help_text=_("Bijvoorbeeld: ledenvergadering, verjaardagsfeest, repetitie."),
    )

    def __init__(self, *args: Any, room: Room, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Layout.choices)
        layout = cast(forms.ChoiceField, self.fields["layout"])
        layout.choices = [
            (row.layout, LAYOUT_LABEL % {"layout": labels.get(row.layout), "n": row.capacity})
            for row in sorted(room.layouts.all(), key=lambda r: -r.capacity)
        ]
        if not layout.choices:
            layout.required = False
            layout.widget = forms.HiddenInput()
        # the honeypot last, out of the way
        self.order_fields(["date", "start", "end", "layout", "attendees", "purpose", "website"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end != dt.time(0) and end <= start:
            self.add_error("end", _("Het einde ligt voor het begin."))
        return data

    def slot(self) -> tuple[dt.datetime, dt.datetime]:
        """The chosen slot as aware datetimes in Belgian time; an end at 00:00 is midnight."""
        zone = timezone.get_current_timezone()
        day: dt.date = self.cleaned_data["date"]
        starts_at = dt.datetime.combine(day, self.cleaned_data["start"], tzinfo=zone)
        end: dt.time = self.cleaned_data["end"]
        end_day = day + dt.timedelta(days=1) if end == dt.time(0) else day
        return starts_at, dt.datetime.combine(end_day, end, tzinfo=zone)

    def add_verdict(self, verdict: Verdict) -> None:
        """Each refusal next to its field, or above the form when it is about no one field."""
        for message in [*verdict.errors, *verdict.policy]:
            field = RULE_FIELDS.get(verdict.fields.get(message, ""))
            self.add_error(field if field in self.fields else None, message)

    def add_refusal(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                for problem in problems:
                    self.add_error(name if name in self.fields else None, problem)
        else:
            for problem in error.messages:
                self.add_error(None, problem)


class CancelBookingForm(HoneypotForm):
    reason = forms.CharField(
        label=_("Waarom annuleert u? (niet verplicht)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
