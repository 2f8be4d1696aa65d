"""The privacy officer's search of the personal-data access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.accounts.queries import employees
from balie.parties.identifiers import clean_insz, compact_digits
from balie.parties.models import Party, PartyKind
from balie.parties.queries import get_party_for, search_parties

from .common import DateInput


class AccessLogSearchForm(forms.Form):
    person = forms.CharField(
        label=_("Persoon"),
        max_length=100,
        required=False,
        help_text=_("Rijksregisternummer of naam"),
    )
    person_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    employee = forms.ModelChoiceField(
        label=_("Medewerker"),
        queryset=employees(),
        required=False,
        to_field_name="uuid",
        empty_label=_("— alle medewerkers —"),
    )
    since = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.candidates: list[Party] = []
        self.subject: Party | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("De einddatum ligt voor de begindatum."))
        if data.get("person_id"):
            self.subject = get_party_for(self.user, data["person_id"])
        elif data.get("person"):
            self._resolve_person(data["person"])
        return data

    def _resolve_person(self, text: str) -> None:
        digits = compact_digits(text)
        if len(digits) == 11 and not any(ch.isalpha() for ch in text):
            try:
                clean_insz(text)
            except ValidationError as error:
                self.add_error("person", error)
                return
        found = [p for p in search_parties(self.user, text) if p.kind == PartyKind.PERSON]
        if not found:
            self.add_error("person", _("Geen persoon gevonden met deze naam of dit nummer."))
        elif len(found) == 1:
            self.subject = found[0]
        else:
            self.candidates = found
            self.add_error("person", _("Meerdere personen gevonden: kies er een in de lijst."))

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for balie.audit.queries.search_access_log."""
        data = self.cleaned_data
        employee = data.get("employee")
        return {
            "subject_uuid": self.subject.uuid if self.subject else None,
            "actor_uuid": employee.uuid if employee else None,
            "since": _start_of(data["since"]) if data.get("since") else None,
            "until": _start_of(data["until"] + dt.timedelta(days=1)) if data.get("until") else None,
        }


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
