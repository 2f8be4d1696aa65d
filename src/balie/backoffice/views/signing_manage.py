"""Beheer › Ondertekening: the functional administrator keeps the signing procedures (approval,
signers in order, where they sign), the functions that sign and who holds them, and substitutes
with their dates. Every change goes through documents.signing.procedures."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.accounts.permissions import can_manage_catalogue
from balie.documents.models import SigningProcedure
from balie.documents.signing import procedures as actions
from balie.documents.signing.queries import (
    get_procedure,
    get_signer,
    get_signing_function,
    get_substitution,
    procedures,
    signing_functions,
    substitutions,
)

from ..access import EmployeeRequest, permission_required
from ..forms.common import add_domain_errors
from ..forms.signing import FunctionForm, ProcedureForm, SignerForm, SubstitutionForm

admin_required = permission_required(can_manage_catalogue)


@require_GET
@admin_required
def signing_overview(request: EmployeeRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/manage/signing/overview.html",
        {
            "procedures": procedures(),
            "functions": signing_functions(),
            "substitutions": substitutions(),
            "today": timezone.localdate(),
        },
    )


# --- procedures -------------------------------------------------------------------------------------


@admin_required
def procedure_create(request: EmployeeRequest) -> HttpResponse:
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = actions.create_procedure(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De procedure is aangemaakt. Voeg nu de ondertekenaars toe."))
            return redirect("backoffice:manage_signing_procedure", uuid=procedure.uuid)
    return render(request, "backoffice/manage/signing/procedure_new.html", {"form": form})


def _procedure_page(
    request: EmployeeRequest,
    procedure: SigningProcedure,
    *,
    form: ProcedureForm | None = None,
    signer_form: SignerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {
        "name": procedure.name,
        "description": procedure.description,
        "approval_required": procedure.approval_required,
        "method": procedure.method,
    }
    return render(
        request,
        "backoffice/manage/signing/procedure.html",
        {
            "procedure": procedure,
            "signers": list(procedure.signers.all()),
            "form": form or ProcedureForm(initial=initial),
            "signer_form": signer_form or SignerForm(),
        },
        status=status,
    )


@admin_required
def procedure_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    procedure = get_procedure(uuid)
    if request.method != "POST":
        return _procedure_page(request, procedure)
    form = ProcedureForm(request.POST)
    if form.is_valid():
        try:
            actions.update_procedure(procedure=procedure, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De procedure is gewijzigd."))
            return redirect("backoffice:manage_signing_procedure", uuid=procedure.uuid)
    return _procedure_page(request, procedure, form=form, status=422)


@require_POST
@admin_required
def procedure_active(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    procedure = get_procedure(uuid)
    try:
        procedure = actions.update_procedure(
            procedure=procedure, active=request.POST.get("active") == "1", by=request.user
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if procedure.active:
            messages.success(request, _("De procedure „%(name)s” is weer actief.") % {"name": procedure.name})
        else:
            messages.success(
                request,
                _("De procedure „%(name)s” is gestopt: er kan niet meer mee gevraagd worden.")
                % {"name": procedure.name},
            )
    return redirect("backoffice:manage_signing")


@require_POST
@admin_required
def signer_add(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    procedure = get_procedure(uuid)
    form = SignerForm(request.POST)
    if form.is_valid():
        user, function = form.fields["signer"].to_object(form.cleaned_data["signer"])  # type: ignore[attr-defined]
        try:
            actions.add_signer(
                procedure=procedure,
                user=user,
                function=function,
                certificate=form.cleaned_data["certificate"],
                by=request.user,
            )
        except ValidationError as error:
            add_domain_errors(form, error, rename={"user": "signer", "function": "signer"})
        else:
            messages.success(request, _("De ondertekenaar is toegevoegd."))
            return redirect("backoffice:manage_signing_procedure", uuid=procedure.uuid)
    return _procedure_page(request, get_procedure(uuid), signer_form=form, status=422)


@require_POST
@admin_required
def signer_move(request: EmployeeRequest, uuid: uuid.UUID, pk: int) -> HttpResponse:
    procedure = get_procedure(uuid)
    actions.move_signer(
        signer=get_signer(procedure, pk), up=request.POST.get("richting") == "op", by=request.user
    )
    return redirect("backoffice:manage_signing_procedure", uuid=procedure.uuid)


@require_POST
@admin_required
def signer_remove(request: EmployeeRequest, uuid: uuid.UUID, pk: int) -> HttpResponse:
    procedure = get_procedure(uuid)
    actions.remove_signer(signer=get_signer(procedure, pk), by=request.user)
    messages.success(request, _("De ondertekenaar is verwijderd."))
    return redirect("backoffice:manage_signing_procedure", uuid=procedure.uuid)


# --- functions --------------------------------------------------------------------------------------


@admin_required
def function_create(request: EmployeeRequest) -> HttpResponse:
    form = FunctionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_function(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De functie is aangemaakt."))
            return redirect("backoffice:manage_signing")
    return render(request, "backoffice/manage/signing/function_form.html", {"form": form, "function": None})


@admin_required
def function_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    function = get_signing_function(uuid)
    form = FunctionForm(request.POST or None, initial={"name": function.name, "holder": function.holder})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_function(function=function, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De functie is gewijzigd."))
            return redirect("backoffice:manage_signing")
    return render(
        request, "backoffice/manage/signing/function_form.html", {"form": form, "function": function}
    )


# --- substitutions ----------------------------------------------------------------------------------


@admin_required
def substitution_create(request: EmployeeRequest) -> HttpResponse:
    form = SubstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for_user, for_function = form.fields["replaces"].to_object(data["replaces"])  # type: ignore[attr-defined]
        try:
            actions.add_substitution(
                for_user=for_user,
                for_function=for_function,
                substitute=data["substitute"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_domain_errors(form, error, rename={"for_user": "replaces", "for_function": "replaces"})
        else:
            messages.success(request, _("De vervanging is ingesteld."))
            return redirect("backoffice:manage_signing")
    return render(request, "backoffice/manage/signing/substitution_form.html", {"form": form})


@require_POST
@admin_required
def substitution_end(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    ended = actions.end_substitution(
        substitution=get_substitution(uuid), on=timezone.localdate(), by=request.user
    )
    if ended is None:
        messages.success(request, _("De vervanging is geschrapt."))
    else:
        messages.success(request, _("De vervanging is beëindigd."))
    return redirect("backoffice:manage_signing")
