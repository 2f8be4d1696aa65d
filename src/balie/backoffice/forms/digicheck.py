"""Forms of the digicheck's back-office pages (HR's building blocks, evaluation, plans)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balie.accounts.queries import active_employees
from balie.digital_skills.actions import parse_levels
from balie.digital_skills.exercises import exercise_choices
from balie.digital_skills.models import ItemKind, JobProfile, Scoring, Training, TrainingKind
from balie.digital_skills.queries import competences

from .common import DateInput, free_text_field, plain_text_field

LEVEL_CHOICES = [(n, str(n)) for n in range(1, 9)]


class LevelsField(forms.CharField):
    """Lines "4.2: 3": a competence code and a level; read with parse_levels."""

    def to_python(self, value: Any) -> dict[str, int]:  # type: ignore[override]
        text = super().to_python(value)
        try:
            return parse_levels(text or "")
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class AssessmentForm(forms.Form):
    name = plain_text_field(gettext_lazy("Naam"), max_length=150, required=True)
    introduction = free_text_field(gettext_lazy("Inleiding voor de medewerker"), max_length=2000)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Soort"), choices=ItemKind.choices)
    competence = forms.ChoiceField(label=gettext_lazy("Competentie"))
    level = forms.TypedChoiceField(label=gettext_lazy("Niveau"), choices=LEVEL_CHOICES, coerce=int)
    prompt = free_text_field(gettext_lazy("Stelling, vraag of opdracht"), max_length=1000, required=True)
    feedback = free_text_field(gettext_lazy("Feedback (na afloop getoond)"), max_length=1000)
    choices = free_text_field(
        gettext_lazy("Antwoordmogelijkheden"),
        max_length=3000,
        rows=4,
        help_text=gettext_lazy("Eén per regel; zet een * voor elk juist antwoord."),
    )
    exercise = forms.ChoiceField(label=gettext_lazy("Oefening"), required=False)
    scoring = forms.ChoiceField(
        label=gettext_lazy("Beoordeling"), choices=Scoring.choices, initial=Scoring.AUTOMATIC
    )
    rubric = free_text_field(gettext_lazy("Rubric voor de beoordelaar"), max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competence = self.fields["competence"]
        exercise = self.fields["exercise"]
        assert isinstance(competence, forms.ChoiceField) and isinstance(exercise, forms.ChoiceField)
        competence.choices = [(c.code, str(c)) for c in competences()]
        exercise.choices = [("", "—"), *exercise_choices()]

    def parsed_choices(self) -> list[tuple[str, bool]]:
        result = []
        for line in self.cleaned_data.get("choices", "").splitlines():
            text = line.strip()
            if text:
                correct = text.startswith("*")
                result.append((text.lstrip("*").strip(), correct))
        return result


class JobProfileForm(forms.Form):
    name = plain_text_field(gettext_lazy("Naam"), max_length=150, required=True)
    description = free_text_field(gettext_lazy("Omschrijving"), max_length=1000)
    customer_contact = forms.BooleanField(
        label=gettext_lazy("In klantencontact"), required=False, initial=True
    )
    targets = LevelsField(
        label=gettext_lazy("Doelniveaus"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Eén competentie per regel met het doelniveau, bv. 4.2: 3"),
    )


class TargetsForm(forms.Form):
    targets = LevelsField(
        label=gettext_lazy("Doelniveaus"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Eén competentie per regel met het doelniveau, bv. 4.2: 3"),
    )


class TrainingForm(forms.Form):
    title = plain_text_field(gettext_lazy("Titel"), max_length=200, required=True)
    kind = forms.ChoiceField(label=gettext_lazy("Soort"), choices=TrainingKind.choices)
    description = free_text_field(gettext_lazy("Omschrijving"), max_length=2000)
    hours = forms.DecimalField(
        label=gettext_lazy("Duur (uren)"), max_digits=5, decimal_places=1, required=False
    )
    coverage = LevelsField(
        label=gettext_lazy("Dekt competenties tot niveau"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Eén competentie per regel met het niveau dat de opleiding bereikt, bv. G.1: 3"
        ),
    )


class AssignProfileForm(forms.Form):
    employee = forms.ModelChoiceField(label=gettext_lazy("Medewerker"), queryset=active_employees())
    job_profile = forms.ModelChoiceField(
        label=gettext_lazy("Functieprofiel"), queryset=JobProfile.objects.all()
    )
    hr_coordinator = forms.ModelChoiceField(
        label=gettext_lazy("HR-coördinator"),
        queryset=active_employees().filter(role_assignments__role="hr"),
        required=False,
    )


class EvaluateForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=gettext_lazy("Oordeel"),
        choices=[("ja", gettext_lazy("Geslaagd")), ("nee", gettext_lazy("Niet geslaagd"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    note = free_text_field(gettext_lazy("Toelichting voor de medewerker"), max_length=1000)


class PlanItemForm(forms.Form):
    training = forms.ModelChoiceField(
        label=gettext_lazy("Opleiding"), queryset=Training.objects.filter(active=True)
    )
    planned_on = forms.DateField(label=gettext_lazy("Gepland op"), required=False, widget=DateInput())


class ScheduleForm(forms.Form):
    planned_on = forms.DateField(label=gettext_lazy("Gepland op"), required=False, widget=DateInput())


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=gettext_lazy("Gevolgd op"), widget=DateInput())

    def clean_completed_on(self) -> Any:
        value = self.cleaned_data["completed_on"]
        if value is None:
            raise ValidationError(_("Vul de datum in."))
        return value
