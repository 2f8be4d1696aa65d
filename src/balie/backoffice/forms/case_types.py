"""Forms of the case-type editor (Beheer › Zaaktypes). They check the shape of what was typed;
the rules of the catalogue (one draft, unique codes, complete before publishing) live in
balie.cases.catalogue, whose errors land next to these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department, Team
from balie.cases.catalogue import MESSAGE_LANGUAGES
from balie.cases.models import (
    ArchivalNomination,
    AssignmentRule,
    AttributeKind,
    CaseTypeVersion,
    DayUnit,
    DocumentDirection,
    RetentionStart,
    RoleKind,
    StatusType,
)
from balie.core.validators import validate_no_control_chars

from .common import free_text_field, plain_text_field
from .manage import TeamChoiceField, _departments, _teams

CODE_INVALID = _("Gebruik alleen letters, cijfers, - en _, zonder spaties.")
LANGUAGE_NAMES = {"nl": _("Nederlands"), "fr": _("Frans"), "en": _("Engels")}


def _days(label: Any, *, minimum: int = 0, maximum: int = 3650, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class NewCaseTypeForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=150, required=True)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        error_messages={"invalid": CODE_INVALID},
        help_text=_(
            "Kort, zonder spaties of hoofdletters, bv. omgevingsvergunning; systemen die met Balie "
            "praten gebruiken deze code. Kan later niet meer wijzigen."
        ),
    )
    department = forms.ModelChoiceField(
        label=_("Verantwoordelijke dienst"), queryset=Department.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(None)  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    """The general settings of a draft version (update_version)."""

    name = plain_text_field(_("Naam"), max_length=150, required=True)
    description = free_text_field(_("Omschrijving"), max_length=4000)
    department = forms.ModelChoiceField(
        label=_("Verantwoordelijke dienst"), queryset=Department.objects.none()
    )
    lead_time_days = _days(
        _("Doorlooptijd"),
        minimum=1,
        help_text=_("Binnen hoeveel dagen een zaak afgehandeld moet zijn."),
    )
    lead_time_unit = forms.ChoiceField(
        label=_("Geteld in"), choices=DayUnit.choices, widget=forms.RadioSelect
    )
    reminder_days = _days(
        _("Herinnering"),
        maximum=365,
        help_text=_("Zoveel dagen voor de uiterste datum krijgt de behandelaar een herinnering."),
    )
    suspension_allowed = forms.BooleanField(
        label=_("Opschorten toegestaan"),
        required=False,
        help_text=_("Wachten op de klant zet de klok stil en schuift de uiterste datum op."),
    )
    max_suspension_days = _days(
        _("Maximaal opgeschort (dagen)"), help_text=_("0 is zonder grens."), required=False
    )
    extension_allowed = forms.BooleanField(label=_("Eén keer verlengen toegestaan"), required=False)
    max_extension_days = _days(_("Maximale verlenging (dagen)"), required=False)
    confidential = forms.BooleanField(
        label=_("Zaken zijn standaard vertrouwelijk"),
        required=False,
        help_text=_("Een vertrouwelijke zaak zien alleen de dienst en de behandelaar."),
    )
    assignment_rule = forms.ChoiceField(
        label=_("Toewijzing van nieuwe zaken"), choices=AssignmentRule.choices
    )
    assignment_team = TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("— geen vast team —"),
        help_text=_("Optioneel: een team van de verantwoordelijke dienst dat de nieuwe zaken krijgt."),
    )
    e_service = forms.BooleanField(
        label=_("Burgers kunnen dit aanvragen via het e-loket"),
        required=False,
        help_text=_("Het formulier in het e-loket vraagt de kenmerken van dit zaaktype."),
    )
    e_service_intro = free_text_field(_("Uitleg in het e-loket"), max_length=2000)

    def __init__(self, *args: Any, version: CaseTypeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(version.department)  # type: ignore[attr-defined]
        self.fields["assignment_team"].queryset = _teams(version.assignment_team)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(version: CaseTypeVersion) -> dict[str, Any]:
        return {
            "name": version.name,
            "description": version.description,
            "department": version.department,
            "lead_time_days": version.lead_time_days,
            "lead_time_unit": version.lead_time_unit,
            "reminder_days": version.reminder_days,
            "suspension_allowed": version.suspension_allowed,
            "max_suspension_days": version.max_suspension_days,
            "extension_allowed": version.extension_allowed,
            "max_extension_days": version.max_extension_days,
            "confidential": version.confidential,
            "assignment_rule": version.assignment_rule,
            "assignment_team": version.assignment_team,
            "e_service": version.e_service,
            "e_service_intro": version.e_service_intro,
        }

    def clean_max_suspension_days(self) -> int:
        return self.cleaned_data.get("max_suspension_days") or 0

    def clean_max_extension_days(self) -> int:
        return self.cleaned_data.get("max_extension_days") or 0


class NewStatusForm(forms.Form):
    name = plain_text_field(_("Naam van de nieuwe status"), max_length=100, required=True)


class StatusForm(forms.Form):
    """A status's name and the message the customer gets when a case reaches it."""

    name = plain_text_field(_("Naam"), max_length=100, required=True)
    informs_customer = forms.BooleanField(
        label=_("Klant informeren"),
        required=False,
        help_text=_("De aanvrager krijgt een e-mail als de zaak deze status bereikt, in zijn taal."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lang in MESSAGE_LANGUAGES:
            self.fields[f"subject_{lang}"] = plain_text_field(_("Onderwerp"), max_length=200)
            self.fields[f"body_{lang}"] = forms.CharField(
                label=_("Tekst"),
                max_length=5000,
                required=False,
                validators=[validate_no_control_chars],
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    @staticmethod
    def initial_for(status: StatusType) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": status.name, "informs_customer": status.informs_customer}
        for lang in MESSAGE_LANGUAGES:
            message = (status.messages or {}).get(lang) or {}
            initial[f"subject_{lang}"] = message.get("subject", "")
            initial[f"body_{lang}"] = message.get("body", "")
        return initial

    def languages(self) -> list[tuple[str, Any, forms.BoundField, forms.BoundField]]:
        """(code, name, subject field, body field) per language, for the template."""
        return [
            (lang, LANGUAGE_NAMES[lang], self[f"subject_{lang}"], self[f"body_{lang}"])
            for lang in MESSAGE_LANGUAGES
        ]

    def action_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "informs_customer": data["informs_customer"],
            "messages": {
                lang: {"subject": data[f"subject_{lang}"], "body": data[f"body_{lang}"]}
                for lang in MESSAGE_LANGUAGES
            },
        }


class ChecklistItemForm(forms.Form):
    description = plain_text_field(_("Nieuwe taak"), max_length=200, required=True)
    required = forms.BooleanField(label=_("Moet af voor de zaak verder kan"), required=False, initial=True)

    def __init__(self, *args: Any, status: StatusType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # one form per status on the page: the label says which
        self.fields["description"].label = _("Nieuwe taak bij „%(name)s”") % {"name": status.name}


class TransitionsForm(forms.Form):
    next_statuses = forms.ModelMultipleChoiceField(
        label=_("Mag daarna naar"),
        queryset=StatusType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, status: StatusType, siblings: list[StatusType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["next_statuses"]
        field.label = _("Vanuit „%(name)s” mag de zaak naar") % {"name": status.name}
        field.queryset = StatusType.objects.filter(  # type: ignore[attr-defined]
            version_id=status.version_id
        ).exclude(pk=status.pk)
        # the choices in process order, from the list the page already read
        field.choices = [  # type: ignore[attr-defined]
            (other.pk, other.name) for other in siblings if other.pk != status.pk
        ]


class RoleTypeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort rol"), choices=RoleKind.choices)
    name = plain_text_field(
        _("Naam van de rol"), max_length=100, required=True, help_text=_("Zoals de behandelaar de rol ziet.")
    )


class AttributeForm(forms.Form):
    label = plain_text_field(_("Label"), max_length=120, required=True)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        error_messages={"invalid": CODE_INVALID},
        help_text=_("Kort, zonder spaties, bv. oppervlakte."),
    )
    kind = forms.ChoiceField(label=_("Soort kenmerk"), choices=AttributeKind.choices)
    required = forms.BooleanField(label=_("Verplicht in te vullen"), required=False)
    help_text = plain_text_field(_("Uitleg bij het veld"), max_length=300)
    choices = forms.CharField(
        label=_("Keuzes"),
        required=False,
        max_length=5000,
        validators=[validate_no_control_chars],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen bij soort keuze: één keuze per regel."),
    )
    min_value = forms.DecimalField(
        label=_("Minimum"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("Alleen bij een getal."),
    )
    max_value = forms.DecimalField(
        label=_("Maximum"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("Alleen bij een getal."),
    )
    max_length = forms.IntegerField(
        label=_("Maximale lengte"),
        initial=500,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_("Aantal tekens, bij tekst."),
    )

    field_order = ["label", "code", "kind", "required", "help_text", "choices", "min_value", "max_value"]

    def clean_choices(self) -> list[str]:
        lines = self.cleaned_data.get("choices") or ""
        choices = [line.strip() for line in lines.splitlines() if line.strip()]
        if len(choices) != len({choice.lower() for choice in choices}):
            raise forms.ValidationError(_("Elke keuze mag maar één keer voorkomen."))
        if any(len(choice) > 200 for choice in choices):
            raise forms.ValidationError(_("Een keuze is hoogstens 200 tekens lang."))
        return choices

    def action_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("min_value", "max_value"):
            value = data[key]
            data[key] = Decimal(value) if value is not None else None
        return data


class ResultTypeForm(forms.Form):
    name = plain_text_field(
        _("Naam van het resultaat"), max_length=100, required=True, help_text=_("Bv. Vergund, Geweigerd.")
    )
    archival_nomination = forms.ChoiceField(
        label=_("Archiefnominatie"), choices=ArchivalNomination.choices, widget=forms.RadioSelect
    )
    retention_years = forms.IntegerField(
        label=_("Bewaartermijn (jaren)"),
        min_value=0,
        max_value=200,
        initial=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    retention_start = forms.ChoiceField(
        label=_("De bewaartermijn loopt vanaf"),
        choices=RetentionStart.choices,
        initial=RetentionStart.CLOSED,
        widget=forms.RadioSelect,
    )
    retention_attribute = forms.ChoiceField(
        label=_("Datumkenmerk"),
        required=False,
        help_text=_("Alleen als de termijn loopt vanaf een datum uit een kenmerk."),
    )

    def __init__(self, *args: Any, date_attributes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["retention_attribute"].choices = [("", "—"), *date_attributes]  # type: ignore[attr-defined]


class DocumentTypeForm(forms.Form):
    name = plain_text_field(_("Naam van het documenttype"), max_length=100, required=True)
    direction = forms.ChoiceField(label=_("Richting"), choices=DocumentDirection.choices)
    confidential = forms.BooleanField(label=_("Vertrouwelijk"), required=False)
