"""Forms for letter templates and blocks (Beheer › Briefsjablonen) and for a letter's DOCX."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import Department
from balie.documents.files import max_bytes
from balie.documents.models import SigningProcedure
from balie.documents.models.letters import validate_block_code
from balie.parties.models import Language

from .common import free_text_field, plain_text_field


def docx_field(label: Any) -> forms.FileField:
    field = forms.FileField(
        label=label,
        max_length=255,
        error_messages={"required": _("Kies een Word-bestand."), "empty": _("Het bestand is leeg.")},
    )
    field.widget.attrs["accept"] = (
        ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return field


def _describe_docx(field: forms.Field) -> None:
    field.help_text = _("Een Word-document (.docx) van hoogstens %(size)s.") % {
        "size": filesizeformat(max_bytes())
    }


class TemplateFields(forms.Form):
    name = plain_text_field(_("Naam"), max_length=150, required=True)
    description = free_text_field(
        _("Omschrijving"), max_length=1000, help_text=_("Waarvoor dient dit sjabloon?")
    )
    language = forms.ChoiceField(label=_("Taal"), choices=Language.choices, initial=Language.DUTCH)
    department = forms.ModelChoiceField(
        label=_("Dienst"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("— elke dienst —"),
        help_text=_("Alleen deze dienst gebruikt het sjabloon; leeg: elke dienst."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]


class NewTemplateForm(TemplateFields):
    file = docx_field(_("Word-bestand"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_docx(self.fields["file"])


class EditTemplateForm(TemplateFields):
    active = forms.BooleanField(
        label=_("Actief: medewerkers kunnen er brieven mee maken"), required=False, initial=True
    )
    signing_procedure = forms.ModelChoiceField(
        label=_("Ondertekenprocedure"),
        queryset=SigningProcedure.objects.none(),
        required=False,
        empty_label=_("— geen: zonder goedkeuring of handtekening —"),
        help_text=_("Een brief van dit sjabloon gaat na het maken meteen naar deze procedure."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        procedures = SigningProcedure.objects.filter(active=True).order_by("name")
        self.fields["signing_procedure"].queryset = procedures  # type: ignore[attr-defined]


class NewVersionForm(forms.Form):
    prefix = "versie"

    file = docx_field(_("Nieuwe versie"))
    note = plain_text_field(_("Wat is er veranderd?"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_docx(self.fields["file"])


class NewBlockForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        validators=[validate_block_code],
        help_text=_("Zo heet het blok in een sjabloon: {{ blok.code }}, bv. briefhoofd."),
    )
    name = plain_text_field(_("Naam"), max_length=150, required=True)
    description = free_text_field(_("Omschrijving"), max_length=1000)
    file = docx_field(_("Word-bestand"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_docx(self.fields["file"])


class EditBlockForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=150, required=True)
    description = free_text_field(_("Omschrijving"), max_length=1000)


class LetterDocxForm(forms.Form):
    """The letter's DOCX, edited in Word, back in Balie."""

    file = docx_field(_("Bewerkte brief"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _describe_docx(self.fields["file"])
