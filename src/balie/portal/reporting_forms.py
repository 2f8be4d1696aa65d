"""The e-loket's forms to file a complaint and to report a problem in the public space. Both have
the honeypot of every e-loket form; every rule beyond the shape of a field is the complaint's or
the report's own action's (checked again there, before anything is written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from balie.complaints.models import Theme
from balie.reports.geo import check_location
from balie.reports.models import Category

from .forms import HoneypotForm

MAX_PHOTOS = 5


class ComplaintForm(HoneypotForm):
    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=200,
        help_text=_("Waarover gaat uw klacht? In een paar woorden, bijvoorbeeld: onvriendelijk onthaal."),
    )
    text = forms.CharField(
        label=_("Uw klacht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat ging er mis, wanneer en waar? Wat verwacht u van de gemeente?"),
    )
    theme = forms.ChoiceField(
        label=_("Soort klacht"),
        choices=[(value, capfirst(label)) for value, label in Theme.choices],
        initial=Theme.OTHER,
    )
    facts_on = forms.DateField(
        label=_("Datum van de feiten (niet verplicht)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_text(self) -> str:
        value: str = self.cleaned_data["text"].strip()
        if len(value) < 10:
            raise forms.ValidationError(_("Beschrijf uw klacht wat uitgebreider."))
        return value

    def clean_facts_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("facts_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return value


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one field; each is checked (type, size, pixels) by reports.photos."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        items = data if isinstance(data, (list, tuple)) else [data] if data else []
        cleaned = [super(PhotosField, self).clean(item, initial) for item in items if item]
        if len(cleaned) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Kies hoogstens %(n)d foto's.") % {"n": MAX_PHOTOS}, code="too_many"
            )
        return cleaned


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReportForm(HoneypotForm):
    category = CategoryChoiceField(
        queryset=Category.objects.none(), label=_("Wat wilt u melden?"), empty_label=_("Kies …")
    )
    description = forms.CharField(
        label=_("Beschrijf het probleem"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat is er aan de hand? Waar precies (bijvoorbeeld: voor huisnummer 12)?"),
    )
    lat = forms.FloatField(
        label=_("Breedtegraad"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Lengtegraad"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    address = forms.CharField(
        label=_("Adres of plaatsomschrijving"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_("Bijvoorbeeld: Kerkstraat 12, of: hoek Molenweg en Beekstraat."),
    )
    photos = PhotosField(
        label=_("Foto's (niet verplicht)"),
        required=False,
        help_text=_("JPEG, PNG of WebP, hoogstens %(mb)d MB per foto en %(n)d foto's."),
    )
    confirmed = forms.BooleanField(
        required=False, label=_("Mijn melding gaat over iets anders: toch versturen")
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.filter(pk__in=[c.pk for c in categories])
        groups: dict[str, list[tuple[Any, str]]] = {}
        for category in categories:
            group = category.parent.name if category.parent_id and category.parent else ""
            groups.setdefault(group, []).append((category.pk, category.name))
        loose = groups.pop("", [])
        field.choices = [("", _("Kies …")), *loose, *groups.items()]
        self.fields["photos"].help_text = self.fields["photos"].help_text % {
            "mb": settings.BALIE_REPORTS_PHOTO_MAX_BYTES // (1024 * 1024),
            "n": MAX_PHOTOS,
        }
        # The honeypot last, after the fields people fill in.
        self.fields["website"] = self.fields.pop("website")

    def clean(self) -> dict[str, Any]:
        """The place, with the reports' own rule (reports.geo), so that it is shown together with
        the other problems; register_report checks it again. A photo may still bring the place."""
        data = super().clean() or {}
        if "lat" in self.errors or "lon" in self.errors:
            return data
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            self.add_error("lat", _("Geef zowel de breedte- als de lengtegraad."))
        elif lat is None and not data.get("address", "").strip() and not data.get("photos"):
            self.add_error("lat", _("Duid de plaats aan op de kaart of geef een adres."))
        else:
            try:
                check_location(lat, lon)
            except ValidationError as error:
                for message in error.message_dict.get("location", error.messages):
                    self.add_error("lat", message)
        return data
