"""Forms of the post pages: the post room's registration (built for the keyboard), the scanner
upload, the post queue's filters, and the actions on one item. They shape input; the post
register's actions hold the rules."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.accounts.queries import active_departments, active_employees
from balie.correspondence.models import Direction, DocumentRole, PostChannel, PostStatus
from balie.correspondence.queries import PostQueueFilter
from balie.correspondence.scans import SCAN_TYPES
from balie.documents.files import max_bytes, type_label

from .case_attributes import PartyField, PartyPickerMixin, PreviewMixin
from .cases import _describe_files, _employee_field, _file_field
from .common import DateInput, ValuesModelChoiceField, plain_text_field

SCAN_EXTENSIONS = ".pdf,.tif,.tiff,.png,.jpg,.jpeg"


def _department_field(label: Any, *, required: bool = True) -> ValuesModelChoiceField:
    return ValuesModelChoiceField(
        label=label,
        queryset=active_departments(),
        to_field_name="uuid",
        label_fields=("name",),
        required=required,
        empty_label=_("— kies een dienst —"),
    )


def _describe_scans(field: forms.Field) -> None:
    field.help_text = _("%(types)s; hoogstens %(size)s.") % {
        "types": ", ".join(type_label(t) for t in SCAN_TYPES),
        "size": filesizeformat(max_bytes()),
    }
    field.widget.attrs["accept"] = SCAN_EXTENSIONS


class _SenderFields(PreviewMixin, PartyPickerMixin, forms.Form):
    """Who wrote and what about: shared by registering and completing an item."""

    party = PartyField(label=_("Afzender"), required=False)
    correspondent_name = plain_text_field(
        _("Of de naam van de afzender"),
        max_length=200,
        help_text=_("Wanneer de afzender geen klant is (of anoniem schrijft)."),
    )
    subject = plain_text_field(_("Onderwerp"), max_length=200, required=True)
    reference = plain_text_field(_("Kenmerk van de afzender"), max_length=100)
    department = _department_field(_("Dienst"))
    handler = _employee_field(
        _("Behandelaar"), active_employees(), _("— nog niemand (wachtrij van de dienst) —")
    )
    confidential = forms.BooleanField(
        label=_("Vertrouwelijk (alleen de dienst ziet het poststuk en de scan)"), required=False
    )

    def sender_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "correspondent_name": data["correspondent_name"],
            "subject": data["subject"],
            "reference": data["reference"],
            "confidential": data["confidential"],
        }


class PostRoomForm(_SenderFields):
    """One incoming letter, typed in while the next waits: channel and date stay for the stack."""

    channel = forms.ChoiceField(label=_("Kanaal"), choices=PostChannel.choices, initial=PostChannel.PAPER)
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())
    scan = forms.FileField(label=_("Scan"), required=False, max_length=255)
    contact_moment = forms.UUIDField(required=False, widget=forms.HiddenInput)

    field_order = [
        "contact_moment", "channel", "received_on", "party", "correspondent_name", "subject", "reference",
        "department", "handler", "confidential", "scan",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        _describe_scans(self.fields["scan"])
        self.fields["party"].widget.attrs["autofocus"] = True


class CompleteForm(_SenderFields):
    """An item from a batch scan: sender and subject, where it goes."""

    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())

    field_order = [
        "party", "correspondent_name", "subject", "reference", "received_on", "department", "handler",
        "confidential",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].widget.attrs["autofocus"] = True


class DetailsForm(_SenderFields):
    """Correcting what was registered (the department and handler change by routing)."""

    prefix = "gegevens"
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, incoming: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["department"], self.fields["handler"]
        self.fields["party"].label = _("Afzender") if incoming else _("Geadresseerde")
        if not incoming:
            del self.fields["received_on"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the scanner's folder)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ScanUploadForm(forms.Form):
    """The scanner's files: each PDF is split on separator sheets (a PDF without them is one
    letter), each image is one letter."""

    prefix = "scans"
    uploads = MultipleFileField(
        label=_("Bestanden van de scanner"),
        error_messages={"required": _("Kies een of meer bestanden."), "empty": _("Een bestand is leeg.")},
    )
    department = _department_field(_("Dienst"), required=False)
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())
    confidential = forms.BooleanField(label=_("Vertrouwelijk"), required=False)

    def __init__(self, *args: Any, department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_scans(self.fields["uploads"])
        self.fields["department"].help_text = _("Per brief te wijzigen bij het aanvullen.")
        self.fields["department"].initial = department.uuid if department else None
        self.fields["received_on"].initial = timezone.localdate()


# --- the queue ------------------------------------------------------------------------------------

DEADLINE_FILTERS = {"te-laat": "overdue", "bijna": "due_soon", "op-tijd": "on_time"}
DIRECTIONS = {"in": Direction.INCOMING, "uit": Direction.OUTGOING}


class PostQueueFilterForm(forms.Form):
    """The post queue's filters, read from the query string. A value that does not fit is ignored."""

    richting = forms.ChoiceField(
        label=_("Richting"), required=False, choices=[("in", _("Inkomend")), ("uit", _("Uitgaand"))]
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kanaal = forms.ChoiceField(
        label=_("Kanaal"), required=False, choices=[("", _("Alle kanalen")), *PostChannel.choices]
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
        queryset=active_employees().none(),
        required=False,
        empty_label=_("Iedereen"),
        to_field_name="uuid",
    )
    zonder_behandelaar = forms.BooleanField(label=_("Alleen zonder behandelaar"), required=False)
    afgehandeld = forms.BooleanField(
        label=_("Ook beantwoorde, geklasseerde en verstuurde post"), required=False
    )
    dienst = forms.ModelChoiceField(
        label=_("Dienst"),
        queryset=active_departments(),
        required=False,
        to_field_name="uuid",
        empty_label=None,
    )

    def __init__(
        self, *args: Any, scope: str, department: Department | None, pick_department: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.department = department
        self.fields["status"].choices = [("", _("Alle open statussen")), *PostStatus.choices]  # type: ignore[attr-defined]
        if pick_department:
            self.fields["dienst"].initial = department.uuid if department else None
            if self.is_bound and self.data.get("dienst"):
                field: Any = self.fields["dienst"]
                with contextlib.suppress(forms.ValidationError):
                    self.department = field.clean(self.data.get("dienst")) or department
        else:
            del self.fields["dienst"]
        if scope == "mine":
            del self.fields["behandelaar"], self.fields["zonder_behandelaar"]
        elif self.department is not None:
            self.fields["behandelaar"].queryset = active_employees().filter(department=self.department)  # type: ignore[attr-defined]

    def queue_filter(self) -> PostQueueFilter:
        """The filter for what was chosen; fields that did not validate count as not chosen."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        handler = data.get("behandelaar")
        return PostQueueFilter(
            scope=self.scope,
            department_id=self.department.pk if self.department and "dienst" in self.fields else None,
            direction=DIRECTIONS.get(data.get("richting") or "", Direction.INCOMING),
            status=data.get("status") or "",
            channel=data.get("kanaal") or "",
            handler_id=handler.pk if handler else None,
            unassigned=bool(data.get("zonder_behandelaar")),
            deadline=DEADLINE_FILTERS.get(data.get("termijn") or "", ""),
            include_closed=bool(data.get("afgehandeld")),
        )


# --- actions on one item ----------------------------------------------------------------------------


class AssignForm(forms.Form):
    prefix = "toewijzen"

    department = _department_field(_("Dienst"))
    handler = _employee_field(_("Behandelaar"), active_employees(), _("— geen: de wachtrij van de dienst —"))
    reason = plain_text_field(_("Reden"), max_length=500)


class StatusForm(forms.Form):
    prefix = "status"

    status = forms.ChoiceField(label=_("Nieuwe status"), widget=forms.RadioSelect)
    reason = plain_text_field(
        _("Reden"), max_length=500, help_text=_("Verplicht om te klasseren of te heropenen.")
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(PostStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]  # type: ignore[attr-defined]


class RegisterAnswerForm(forms.Form):
    prefix = "antwoord"

    subject = plain_text_field(_("Onderwerp van het antwoord"), max_length=200, required=True)
    channel = forms.ChoiceField(label=_("Kanaal"), choices=PostChannel.choices, initial=PostChannel.PAPER)
    letter = forms.FileField(label=_("Brief"), required=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_files(self.fields["letter"])


class AnsweredForm(forms.Form):
    prefix = "beantwoord"

    reply = forms.CharField(
        label=_("Uitgaand poststuk"),
        max_length=20,
        required=False,
        help_text=_("Het nummer van het antwoord, bv. OUT-2026-000045; leeg als er anders geantwoord werd."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = plain_text_field(
        _("Hoe werd er geantwoord?"), max_length=500, help_text=_("bv. telefonisch, aan de balie")
    )


class LinkCaseForm(forms.Form):
    prefix = "zaak"

    number = forms.CharField(
        label=_("Zaaknummer"),
        max_length=20,
        required=False,
        help_text=_("bv. C2026-000123; leeg om de koppeling weg te nemen."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AddDocumentForm(forms.Form):
    prefix = "document"

    file = _file_field(_("Bestand"))
    role = forms.ChoiceField(label=_("Soort"), choices=DocumentRole.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_files(self.fields["file"])
        labels = dict(DocumentRole.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]  # type: ignore[attr-defined]
        self.fields["role"].initial = roles[0]


class RegisterOutgoingForm(PreviewMixin, PartyPickerMixin, forms.Form):
    """Outgoing post registered by hand (a letter written outside Balie's templates)."""

    party = PartyField(label=_("Geadresseerde"), required=False)
    correspondent_name = plain_text_field(_("Of de naam van de geadresseerde"), max_length=200)
    subject = plain_text_field(_("Onderwerp"), max_length=200, required=True)
    channel = forms.ChoiceField(label=_("Kanaal"), choices=PostChannel.choices, initial=PostChannel.PAPER)
    confidential = forms.BooleanField(label=_("Vertrouwelijk"), required=False)
    letter = forms.FileField(label=_("Brief"), required=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_files(self.fields["letter"])
