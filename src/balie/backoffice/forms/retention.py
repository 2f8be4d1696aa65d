"""The archivist's forms: the review list's filter, and one decision for the chosen cases."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.cases.models import CaseType
from balie.cases.retention import MAX_POSTPONE_YEARS

from .common import DateInput, plain_text_field

# The decision as the form says it -> what the archivist may do on which list.
ACTIONS = {
    "goedkeuren": _("Vernietiging goedkeuren"),
    "uitstellen": _("Uitstellen"),
    "bewaren": _("Blijvend bewaren"),
    "overbrengen": _("Overbrengen naar het archief"),
    "vernietigen": _("Vernietigen"),
}


class RetentionFilterForm(forms.Form):
    zaaktype = forms.ModelChoiceField(
        label=_("Zaaktype"),
        queryset=CaseType.objects.order_by("name"),
        required=False,
        empty_label=_("Alle zaaktypes"),
        to_field_name="uuid",
    )


class UUIDListField(forms.Field):
    """The checked cases of the table (their public ids)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[uuid.UUID]:
        if not value:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        try:
            return [uuid.UUID(str(v)) for v in values]
        except ValueError:
            raise ValidationError(_("Kies zaken uit de lijst.")) from None

    def validate(self, value: list[uuid.UUID]) -> None:
        if not value:
            raise ValidationError(_("Kies minstens één zaak."))


class RetentionDecisionForm(forms.Form):
    zaak = UUIDListField(label=_("Zaken"))
    actie = forms.ChoiceField(label=_("Beslissing"), choices=list(ACTIONS.items()))
    tot = forms.DateField(
        label=_("Nieuwe archiefactiedatum"),
        required=False,
        widget=DateInput(),
        help_text=_("Alleen bij uitstellen: de zaak komt dan opnieuw op de lijst."),
    )
    reden = plain_text_field(_("Reden"), max_length=500, help_text=_("Verplicht bij uitstellen."))
    bevestig = forms.BooleanField(
        label=_("Ik bevestig dat deze zaken definitief vernietigd worden."), required=False
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["actie"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [(key, ACTIONS[key]) for key in allowed]
        self.fields["tot"].widget.attrs["max"] = f"{timezone.localdate().year + MAX_POSTPONE_YEARS}-12-31"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("actie") == "vernietigen" and not data.get("bevestig"):
            self.add_error("bevestig", _("Bevestig de vernietiging: ze kan niet ongedaan gemaakt worden."))
        return data
