"""Forms of the case pages: the queue's filters and bulk reassignment, the actions on one case,
and registering a case. They shape input; the case engine's actions hold the rules."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department, Team, User
from balie.accounts.queries import active_departments, active_employees, active_teams
from balie.cases.models import (
    Case,
    CaseType,
    CaseTypeVersion,
    DocumentType,
    ResultType,
    RoleKind,
    StatusType,
)
from balie.cases.queries import QueueFilter, case_types_in_use
from balie.documents.files import allowed_types, known_extensions, max_bytes, type_label
from balie.documents.models import Document

from .case_attributes import PartyField, PartyPickerMixin, PreviewMixin
from .common import DateInput, ValuesModelChoiceField, free_text_field, plain_text_field


def person_name(first_name: str, last_name: str, username: str) -> str:
    """As User.__str__: the full name, else the username."""
    return f"{first_name} {last_name}".strip() or username


def _employee_field(label: Any, queryset: QuerySet[User], empty: Any) -> ValuesModelChoiceField:
    return ValuesModelChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        empty_label=empty,
        to_field_name="uuid",
        label_fields=("first_name", "last_name", "username"),
        label_format=person_name,
    )


def _team_field(label: Any, queryset: QuerySet[Team], empty: Any) -> ValuesModelChoiceField:
    return ValuesModelChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        empty_label=empty,
        to_field_name="uuid",
        label_fields=("name",),
    )


# --- the queue ---------------------------------------------------------------------------------

# The deadline filter as the address bar says it, and as the query knows it.
DEADLINE_FILTERS = {"te-laat": "overdue", "bijna": "due_soon", "op-tijd": "on_time"}
SORTS = {"termijn": "deadline", "nieuwste": "registered"}


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string. A value that does not fit is ignored."""

    zaaktype = forms.ModelChoiceField(
        label=_("Zaaktype"),
        queryset=CaseType.objects.none(),
        required=False,
        empty_label=_("Alle zaaktypes"),
        to_field_name="uuid",
    )
    status = forms.ModelChoiceField(
        label=_("Status"), queryset=StatusType.objects.none(), required=False, empty_label=_("Alle statussen")
    )
    termijn = forms.ChoiceField(
        label=_("Termijn"),
        required=False,
        choices=[
            ("", _("Alle")),
            ("te-laat", _("Te laat")),
            ("bijna", _("Vervalt binnenkort")),
            ("op-tijd", _("Op tijd")),
        ],
    )
    behandelaar = forms.ModelChoiceField(
        label=_("Behandelaar"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Iedereen"),
        to_field_name="uuid",
    )
    zonder_behandelaar = forms.BooleanField(label=_("Alleen zonder behandelaar"), required=False)
    sortering = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[("termijn", _("Termijn, eerst verlopend")), ("nieuwste", _("Nieuwst geregistreerd"))],
    )
    dienst = forms.ModelChoiceField(
        label=_("Dienst"), queryset=Department.objects.none(), required=False, to_field_name="uuid"
    )

    def __init__(
        self, *args: Any, scope: str, department: Department | None, pick_department: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        fields = self.fields
        fields["zaaktype"].queryset = case_types_in_use().order_by("name")  # type: ignore[attr-defined]
        self.department = department
        if pick_department:
            fields["dienst"].queryset = active_departments()  # type: ignore[attr-defined]
            fields["dienst"].empty_label = None  # type: ignore[attr-defined]
            fields["dienst"].initial = department.uuid if department else None
            self.department = self._find(fields["dienst"], "dienst") or department
        else:
            del fields["dienst"]
        if scope == "mine":
            del fields["behandelaar"], fields["zonder_behandelaar"]
        else:
            employees = active_employees()
            if self.department is not None:
                employees = employees.filter(department=self.department)
            fields["behandelaar"].queryset = employees  # type: ignore[attr-defined]
        # Statuses belong to a version: offered once a case type is chosen.
        case_type = self._chosen_case_type()
        if case_type is not None:
            fields["status"].queryset = StatusType.objects.filter(  # type: ignore[attr-defined]
                version__case_type=case_type
            ).order_by("version__number", "order")
            fields["status"].label_from_instance = self._status_label(case_type)  # type: ignore[attr-defined]
        else:
            del fields["status"]

    def _find(self, field: forms.Field, name: str) -> Any:
        """The row a filter names in the query string, before validation (other fields depend on it)."""
        value = self.data.get(name) if self.is_bound else None
        if not value:
            return None
        try:
            return field.queryset.filter(uuid=uuid.UUID(str(value))).first()  # type: ignore[attr-defined]
        except ValueError:
            return None

    def _chosen_case_type(self) -> CaseType | None:
        found: CaseType | None = self._find(self.fields["zaaktype"], "zaaktype")
        return found

    @staticmethod
    def _status_label(case_type: CaseType) -> Any:
        several = case_type.versions.exclude(state="draft").count() > 1

        def label(status: StatusType) -> str:
            return f"{status.name} (v{status.version.number})" if several else status.name

        return label

    def queue_filter(self, user: User) -> QueueFilter:
        """The QueueFilter for what was chosen; fields that did not validate count as not chosen."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        department = self.department if "dienst" in self.fields else None
        case_type = data.get("zaaktype")
        status = data.get("status")
        handler = data.get("behandelaar")
        return QueueFilter(
            scope=self.scope,
            department_id=department.pk if department else None,
            case_type_id=case_type.pk if case_type else None,
            status_type_id=status.pk if status else None,
            handler_id=handler.pk if handler else None,
            unassigned=bool(data.get("zonder_behandelaar")),
            deadline=DEADLINE_FILTERS.get(data.get("termijn") or "", ""),
            sort=SORTS.get(data.get("sortering") or "", "deadline"),
        )


class CaseIdsField(forms.MultipleChoiceField):
    """The checked cases of a queue page, by public id (which exist is the view's question)."""

    widget = forms.MultipleHiddenInput

    def valid_value(self, value: str) -> bool:
        try:
            uuid.UUID(str(value))
        except ValueError:
            return False
        return True


class BulkAssignForm(forms.Form):
    zaak = CaseIdsField(label=_("Zaken"), error_messages={"required": _("Vink minstens één zaak aan.")})
    behandelaar = forms.ModelChoiceField(
        label=_("Behandelaar"), queryset=User.objects.none(), required=False, to_field_name="uuid"
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("Leeg: het team van de behandelaar."),
    )

    def __init__(self, *args: Any, department: Department | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employees = active_employees()
        teams = active_teams()
        if department is not None:
            employees, teams = employees.filter(department=department), teams.filter(department=department)
        self.department = department
        self.fields["behandelaar"].queryset = employees  # type: ignore[attr-defined]
        self.fields["behandelaar"].empty_label = _("— geen behandelaar —")  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["team"].empty_label = _("— geen team —")  # type: ignore[attr-defined]
        self.fields["team"].label_from_instance = lambda team: team.name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if not data.get("behandelaar") and not data.get("team") and not self.errors:
            self.add_error("behandelaar", _("Kies een behandelaar of een team."))
        return data

    def target(self) -> dict[str, Any]:
        """assign_cases's keyword arguments: the handler and team, by default the handler's team."""
        handler = self.cleaned_data.get("behandelaar")
        team = self.cleaned_data.get("team")
        if (
            team is None
            and handler is not None
            and handler.team_id is not None
            and (self.department is None or handler.team.department_id == self.department.pk)
        ):
            team = handler.team
        return {"handler": handler, "team": team}


# --- actions on one case -----------------------------------------------------------------------


class StatusForm(forms.Form):
    prefix = "status"

    status = forms.ModelChoiceField(label=_("Nieuwe status"), queryset=StatusType.objects.none())
    reason = free_text_field(_("Toelichting"), max_length=500, rows=2)

    def __init__(self, *args: Any, allowed: list[StatusType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        field.queryset = StatusType.objects.filter(pk__in=[s.pk for s in allowed]).order_by("order")  # type: ignore[attr-defined]
        field.empty_label = None if len(allowed) == 1 else _("— kies —")  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    prefix = "afsluiten"

    result_type = forms.ModelChoiceField(
        label=_("Resultaat"),
        queryset=ResultType.objects.none(),
        empty_label=_("— kies —"),
        error_messages={"required": _("Kies een resultaat om de zaak af te sluiten.")},
    )
    note = free_text_field(_("Toelichting bij het resultaat"), max_length=4000, rows=3)

    def __init__(self, *args: Any, version: CaseTypeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result_type"].queryset = version.result_types.all()  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    """Reopen and suspend: just a reason."""

    reason = free_text_field(_("Reden"), max_length=300, required=True, rows=2)


class ExtendForm(forms.Form):
    prefix = "verlengen"

    days = forms.IntegerField(
        label=_("Aantal dagen"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    reason = free_text_field(_("Reden"), max_length=300, required=True, rows=2)

    def __init__(self, *args: Any, version: CaseTypeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if version.max_extension_days:
            self.fields["days"].max_value = version.max_extension_days  # type: ignore[attr-defined]
            self.fields["days"].widget.attrs["max"] = version.max_extension_days
            self.fields["days"].help_text = _("Hoogstens %(days)d %(unit)s; dat kan maar één keer.") % {
                "days": version.max_extension_days,
                "unit": version.get_lead_time_unit_display(),
            }


class DeadlineForm(forms.Form):
    prefix = "termijn"

    deadline = forms.DateField(label=_("Nieuwe uiterste datum"), widget=DateInput())
    reason = free_text_field(_("Reden"), max_length=300, required=True, rows=2)


class AssignForm(forms.Form):
    prefix = "toewijzen"

    department = ValuesModelChoiceField(
        label=_("Dienst"), queryset=active_departments(), to_field_name="uuid", label_fields=("name",)
    )
    team = ValuesModelChoiceField(
        label=_("Team"),
        queryset=active_teams(),
        required=False,
        empty_label=_("— geen team —"),
        to_field_name="uuid",
        label_fields=("department__name", "name"),
        label_format="{} – {}".format,
    )
    handler = _employee_field(_("Behandelaar"), active_employees(), _("— geen behandelaar —"))


class AddPartyForm(PreviewMixin, PartyPickerMixin, forms.Form):
    prefix = "betrokkene"

    party = PartyField(label=_("Klant"), required=True)
    kind = forms.ChoiceField(label=_("Rol"), choices=())

    def __init__(self, *args: Any, version: CaseTypeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = list(version.role_types.all())
        # A case type without role types accepts every kind (as the engine does).
        choices = [(r.kind, r.name) for r in roles] if roles else list(RoleKind.choices)
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]


class RelateForm(forms.Form):
    prefix = "koppelen"

    number = forms.CharField(
        label=_("Zaaknummer"),
        max_length=20,
        help_text=_("bv. C2026-000123"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip().upper()


class NoteForm(forms.Form):
    prefix = "notitie"

    text = free_text_field(_("Notitie"), max_length=5000, required=True, rows=3)


# --- documents on a case -----------------------------------------------------------------------


def _file_field(label: Any) -> forms.FileField:
    return forms.FileField(
        label=label,
        max_length=255,
        error_messages={"required": _("Kies een bestand."), "empty": _("Het bestand is leeg.")},
    )


def _describe_files(field: forms.Field) -> None:
    """The types and size accepted, as a hint beside the field and in the file picker (the
    store checks the content itself)."""
    field.help_text = _("%(types)s; hoogstens %(size)s.") % {
        "types": ", ".join(dict.fromkeys(type_label(t) for t in allowed_types())),
        "size": filesizeformat(max_bytes()),
    }
    field.widget.attrs["accept"] = ",".join(known_extensions())


class AttachDocumentForm(forms.Form):
    prefix = "document"

    file = _file_field(_("Bestand"))
    title = plain_text_field(_("Titel"), max_length=200, help_text=_("Leeg: de naam van het bestand."))
    document_type = forms.ModelChoiceField(
        label=_("Documenttype"), queryset=DocumentType.objects.none(), required=False
    )

    def __init__(self, *args: Any, version: CaseTypeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_files(self.fields["file"])
        types = version.document_types.all()
        field = self.fields["document_type"]
        field.queryset = types  # type: ignore[attr-defined]
        field.empty_label = _("— geen documenttype —")  # type: ignore[attr-defined]
        field.label_from_instance = lambda t: f"{t.name} ({t.get_direction_display()})"  # type: ignore[attr-defined]


class DocumentVersionForm(forms.Form):
    """A new version of one document: one such form per document on the case page."""

    file = _file_field(_("Nieuwe versie"))

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", version_form_key(document))
        super().__init__(*args, **kwargs)
        _describe_files(self.fields["file"])


def version_form_key(document: Document) -> str:
    return f"versie-{document.uuid}"


# --- registering a case ------------------------------------------------------------------------


def _case_types() -> QuerySet[CaseType]:
    return case_types_in_use().order_by("name")


class CaseTypeChoiceForm(forms.Form):
    """Step one of registering: the case type decides which attributes follow."""

    zaaktype = forms.ModelChoiceField(
        label=_("Zaaktype"),
        queryset=CaseType.objects.none(),
        empty_label=_("— kies een zaaktype —"),
        to_field_name="uuid",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["zaaktype"]
        field.queryset = _case_types()  # type: ignore[attr-defined]
        field.label_from_instance = lambda t: f"{t.name} ({t.department.name})"  # type: ignore[attr-defined]


class RegisterCaseForm(PreviewMixin, PartyPickerMixin, forms.Form):
    case_type = forms.ModelChoiceField(
        queryset=CaseType.objects.none(), to_field_name="uuid", widget=forms.HiddenInput
    )
    subject = plain_text_field(_("Onderwerp"), max_length=200, required=True)
    description = free_text_field(_("Omschrijving"), max_length=10000, rows=4)
    initiator = PartyField(label=_("Aanvrager"), required=False)
    parent = forms.ModelChoiceField(
        queryset=Case.objects.none(), required=False, to_field_name="uuid", widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, with_initiator: bool = True, parents: QuerySet[Case] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = _case_types()  # type: ignore[attr-defined]
        if parents is not None:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        if not with_initiator:
            del self.fields["initiator"]
