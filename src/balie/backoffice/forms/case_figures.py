"""The management figures' filter: a period (default the last twelve months), a department, a
case type. Read from the query string, so that a page of figures has an address to share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.cases.figures import MAX_PERIOD_DAYS, FigureFilter
from balie.cases.models import CaseType

from .common import DateInput


class FiguresFilterForm(forms.Form):
    van = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    dienst = forms.ModelChoiceField(
        label=_("Dienst"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("Alle diensten"),
        to_field_name="uuid",
    )
    zaaktype = forms.ModelChoiceField(
        label=_("Zaaktype"),
        queryset=CaseType.objects.order_by("name"),
        required=False,
        empty_label=_("Alle zaaktypes"),
        to_field_name="uuid",
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        default = FigureFilter.default(self.today)
        self.fields["van"].widget.attrs["placeholder"] = default.since.isoformat()
        self.fields["tot"].widget.attrs["placeholder"] = default.until.isoformat()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        default = FigureFilter.default(self.today)
        since = data.get("van") or default.since
        until = data.get("tot") or default.until
        if until < since:
            self.add_error("tot", _("De einddatum ligt voor de begindatum."))
        elif (until - since).days > MAX_PERIOD_DAYS:
            self.add_error("van", _("Kies een periode van hoogstens vijf jaar."))
        data["van"], data["tot"] = since, until
        return data

    def figure_filter(self) -> FigureFilter:
        """The filter to read the figures with (the default when the form is empty or wrong)."""
        if not self.is_bound or not self.is_valid():
            return FigureFilter.default(self.today)
        data = self.cleaned_data
        return FigureFilter(
            since=data["van"],
            until=data["tot"],
            department_id=data["dienst"].pk if data.get("dienst") else None,
            case_type_id=data["zaaktype"].pk if data.get("zaaktype") else None,
        )
