"""Forms for the functional administrator: the topic catalogue, employees, departments and teams."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department, Role, Team

from .common import free_text_field, plain_text_field


def _departments(current: Department | None) -> Any:
    """Departments in use, and the one already chosen even if it is no longer in use."""
    rows = Department.objects.filter(active=True)
    if current is not None:
        rows = Department.objects.filter(Q(active=True) | Q(pk=current.pk))
    return rows.order_by("name")


def _teams(current: Team | None) -> Any:
    rows = Team.objects.filter(active=True)
    if current is not None:
        rows = Team.objects.filter(Q(active=True) | Q(pk=current.pk))
    return rows.select_related("department").order_by("department__name", "name")


class TopicForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=150, required=True)
    description = free_text_field(_("Omschrijving"), max_length=2000)
    department = forms.ModelChoiceField(
        label=_("Verantwoordelijke dienst"), queryset=Department.objects.none(), required=False
    )
    keywords = plain_text_field(
        _("Trefwoorden"),
        max_length=300,
        help_text=_("Woorden waarop medewerkers dit onderwerp zoeken, gescheiden door komma's."),
    )

    def __init__(self, *args: Any, current_department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(current_department)  # type: ignore[attr-defined]


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.department.name} – {obj.name}"


class EmployeeForm(forms.Form):
    first_name = plain_text_field(_("Voornaam"), max_length=150, required=True)
    last_name = plain_text_field(_("Familienaam"), max_length=150, required=True)
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    department = forms.ModelChoiceField(label=_("Dienst"), queryset=Department.objects.none())
    team = TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Een team van de gekozen dienst."),
    )
    job_title = plain_text_field(_("Functie"), max_length=150)
    roles = forms.MultipleChoiceField(
        label=_("Rollen"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        current_department: Department | None = None,
        current_team: Team | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(current_department)  # type: ignore[attr-defined]
        self.fields["team"].queryset = _teams(current_team)  # type: ignore[attr-defined]


class NewEmployeeForm(EmployeeForm):
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, cijfers en de tekens @ . + - _; waarmee de medewerker zich aanmeldt."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Eerste wachtwoord"),
        required=False,
        strip=False,
        help_text=_("Leeg laten: de medewerker kan zich pas aanmelden nadat een wachtwoord is ingesteld."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "first_name", "last_name", "email", "department", "team", "job_title", "roles"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if password:
            password_validation.validate_password(password)
        return password


class DepartmentForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=150, required=True)
    email = forms.EmailField(label=_("E-mailadres"), max_length=254, required=False)


class NewDepartmentForm(DepartmentForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=32,
        help_text=_("Kort, zonder spaties of hoofdletters, bv. burgerzaken; kan later niet meer wijzigen."),
    )


class TeamForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=150, required=True)


class EmployeeSearchForm(forms.Form):
    q = forms.CharField(label=_("Naam of gebruikersnaam"), max_length=100, required=False)
    department = forms.ModelChoiceField(
        label=_("Dienst"),
        queryset=Department.objects.order_by("name"),
        required=False,
        to_field_name="uuid",
        empty_label=_("— alle diensten —"),
    )
