"""Forms for signing: Beheer › Ondertekening (procedures, signers, functions, substitutions) and the
actions on a document (ask for signatures, approve, refuse, sign, withdraw)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.accounts.models import User
from balie.accounts.queries import active_employees
from balie.documents.models import CertificateKind, SigningFunction, SigningMethod, SigningProcedure
from balie.documents.signing.queries import procedures, signing_functions

from .common import DateInput, free_text_field, plain_text_field


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = f" – {obj.job_title}" if obj.job_title else ""
        return f"{obj.get_full_name() or obj.username}{title}"


def _employee_field(label: Any, *, required: bool = True, help_text: Any = "") -> EmployeeChoiceField:
    return EmployeeChoiceField(
        label=label,
        queryset=User.objects.none(),
        required=required,
        help_text=help_text,
        empty_label=_("Kies…"),
    )


class SignerChoiceField(forms.ChoiceField):
    """A function or an employee in one list: values `f:<uuid>` and `u:<uuid>`."""

    def load(self) -> None:
        """Fill the choices (per form, not at import)."""
        functions = [(f"f:{f.uuid}", f.name) for f in signing_functions().filter(active=True)]
        people = [
            (f"u:{u.uuid}", f"{u.get_full_name() or u.username}{f' – {u.job_title}' if u.job_title else ''}")
            for u in active_employees()
        ]
        self.choices = [("", _("Kies…")), (_("Functies"), functions), (_("Medewerkers"), people)]

    def to_object(self, value: str) -> tuple[User | None, SigningFunction | None]:
        kind, _sep, key = value.partition(":")
        if kind == "f":
            return None, SigningFunction.objects.filter(uuid=key).first()
        return User.objects.filter(uuid=key).first(), None


class ProcedureForm(forms.Form):
    name = plain_text_field(_("Naam"), max_length=150, required=True)
    description = free_text_field(_("Omschrijving"), max_length=2000, rows=2)
    approval_required = forms.BooleanField(
        label=_("Eerst goedkeuren door een teamverantwoordelijke"),
        required=False,
        help_text=_(
            "Een teamverantwoordelijke van de dienst van het document keurt goed vóór de eerste handtekening."
        ),
    )
    method = forms.ChoiceField(
        label=_("Waar wordt ondertekend?"),
        choices=SigningMethod.choices,
        widget=forms.RadioSelect,
        initial=SigningMethod.BALIE,
    )


class SignerForm(forms.Form):
    signer = SignerChoiceField(
        label=_("Ondertekenaar"),
        help_text=_("Een functie (wie ze bekleedt, tekent) of een medewerker met naam."),
    )
    certificate = forms.ChoiceField(
        label=_("Certificaat"),
        choices=CertificateKind.choices,
        widget=forms.RadioSelect,
        initial=CertificateKind.MUNICIPALITY,
        help_text=_(
            "Met een persoonlijk certificaat geeft de ondertekenaar het wachtwoord ervan bij het "
            "ondertekenen."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signer"].load()  # type: ignore[attr-defined]


class FunctionForm(forms.Form):
    name = plain_text_field(
        _("Functie"), max_length=150, required=True, help_text=_("Bv. Algemeen directeur")
    )
    holder = _employee_field(_("Bekleed door"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = active_employees()  # type: ignore[attr-defined]


class SubstitutionForm(forms.Form):
    replaces = SignerChoiceField(label=_("Vervangt"), help_text=_("Een functie of een medewerker."))
    substitute = _employee_field(_("Vervanger"))
    valid_from = forms.DateField(label=_("Van"), widget=DateInput())
    valid_until = forms.DateField(label=_("Tot en met"), widget=DateInput())
    reason = plain_text_field(_("Reden"), max_length=200, help_text=_("Bv. verlof, ziekte, delegatie"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = active_employees()  # type: ignore[attr-defined]
        self.fields["replaces"].load()  # type: ignore[attr-defined]


class RequestSigningForm(forms.Form):
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=SigningProcedure.objects.none(), empty_label=_("Kies…")
    )
    note = plain_text_field(_("Toelichting voor wie goedkeurt en ondertekent"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures(active_only=True)  # type: ignore[attr-defined]


class ApproveForm(forms.Form):
    note = plain_text_field(_("Opmerking (niet verplicht)"), max_length=500)


class RefuseForm(forms.Form):
    reason = free_text_field(
        _("Reden"), max_length=500, required=True, rows=2, help_text=_("De aanvrager leest ze.")
    )


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Wachtwoord van uw certificaat"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class WithdrawForm(forms.Form):
    reason = plain_text_field(_("Reden (niet verplicht)"), max_length=500)
