"""Forms of the complaint pages: intake from any channel, and each step of the flow. They shape
input; balie.complaints.actions holds the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department, User
from balie.cases.models import CaseType
from balie.complaints.models import ConversionTarget, InadmissibleReason, Outcome, Theme
from balie.documents.models import LetterTemplate

from .common import DateInput

INTAKE_CHANNELS = [
    ("counter", _("balie")),
    ("phone", _("telefoon")),
    ("letter", _("brief")),
    ("email", _("e-mail")),
    ("web", _("website")),
]
HOW = [("email", _("per e-mail")), ("letter", _("per brief (uit een sjabloon)"))]


class ComplaintIntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kanaal"), choices=INTAKE_CHANNELS, widget=forms.RadioSelect)
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    text = forms.CharField(label=_("De klacht"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    department = forms.ModelChoiceField(
        label=_("Betrokken dienst"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("nog niet bekend"),
    )
    theme = forms.ChoiceField(label=_("Thema"), choices=Theme.choices, initial=Theme.OTHER)
    facts_on = forms.DateField(label=_("Datum van de feiten"), required=False, widget=DateInput())
    anonymous = forms.BooleanField(label=_("Anonieme klacht (geen klant)"), required=False)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class AdmissibilityForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslissing"),
        widget=forms.RadioSelect,
        choices=[("admissible", _("ontvankelijk")), *InadmissibleReason.choices],
    )
    note = forms.CharField(
        label=_("Motivering"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DepartmentForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Betrokken dienst"), queryset=Department.objects.none())
    theme = forms.ChoiceField(label=_("Thema"), choices=Theme.choices)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class InvestigatorForm(forms.Form):
    investigator = forms.ModelChoiceField(label=_("Onderzoeker"), queryset=User.objects.none())

    def __init__(self, *args: Any, employees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = employees  # type: ignore[attr-defined]


class MessageForm(forms.Form):
    """What goes to the complainant: the proposed e-mail as reviewed, or a letter from a template."""

    how = forms.ChoiceField(label=_("Hoe"), choices=HOW, widget=forms.RadioSelect, initial="email")
    subject = forms.CharField(label=_("Onderwerp van de e-mail"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Tekst"), widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=10000
    )
    template = forms.ModelChoiceField(
        label=_("Briefsjabloon"), queryset=LetterTemplate.objects.none(), required=False, empty_label=_("—")
    )

    def __init__(self, *args: Any, templates: QuerySet[LetterTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class ExtendForm(MessageForm):
    reason = forms.CharField(label=_("Reden van de verlenging"), max_length=300)
    field_order = ["reason", "how", "subject", "body", "template"]


class AnswerForm(MessageForm):
    outcome = forms.ChoiceField(label=_("Oordeel"), choices=Outcome.choices, widget=forms.RadioSelect)
    answer_text = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    improvement_action = forms.CharField(
        label=_("Verbeteractie"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    field_order = ["outcome", "answer_text", "improvement_action", "how", "subject", "body", "template"]


class ConvertForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Omzetten naar"), choices=ConversionTarget.choices, widget=forms.RadioSelect
    )
    case_type = forms.ModelChoiceField(
        label=_("Zaaktype (bij een zaak)"), queryset=CaseType.objects.none(), required=False
    )

    def __init__(self, *args: Any, case_types: QuerySet[CaseType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = case_types  # type: ignore[attr-defined]


class YearForm(forms.Form):
    jaar = forms.IntegerField(min_value=2000, max_value=2100, required=False)
