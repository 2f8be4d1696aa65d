"""Beheer: the functional administrator configures Balie without code (topic catalogue, employees,
departments and teams). Every page needs can_manage_catalogue; every change goes through an action."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balie.accounts.actions import (
    create_department,
    create_employee,
    create_team,
    set_employee_active,
    unlock_employee,
    update_department,
    update_employee,
    update_team,
)
from balie.accounts.permissions import can_manage_catalogue
from balie.accounts.queries import (
    all_departments,
    get_department,
    get_employee,
    get_team,
    locked_out_usernames,
    search_employees,
)
from balie.contact_moments.actions import create_topic, set_topic_active, update_topic
from balie.contact_moments.queries import all_topics, get_topic

from ..access import EmployeeRequest, permission_required
from ..forms.common import add_domain_errors
from ..forms.manage import (
    DepartmentForm,
    EmployeeForm,
    EmployeeSearchForm,
    NewDepartmentForm,
    NewEmployeeForm,
    TeamForm,
    TopicForm,
)

admin_required = permission_required(can_manage_catalogue)


def _wants_active(request: EmployeeRequest) -> bool:
    return request.POST.get("active") == "1"


# -- topics ---------------------------------------------------------------------------------------


@require_GET
@admin_required
def topic_list(request: EmployeeRequest) -> HttpResponse:
    return render(request, "backoffice/manage/topic_list.html", {"topics": all_topics()})


@admin_required
def topic_create(request: EmployeeRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_topic(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het onderwerp is toegevoegd."))
            return redirect("backoffice:manage_topics")
    return render(request, "backoffice/manage/topic_form.html", {"form": form, "topic": None})


@admin_required
def topic_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    topic = get_topic(uuid)
    initial = {
        "name": topic.name,
        "description": topic.description,
        "department": topic.department,
        "keywords": topic.keywords,
    }
    form = TopicForm(request.POST or None, initial=initial, current_department=topic.department)
    if request.method == "POST" and form.is_valid():
        try:
            update_topic(topic=topic, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het onderwerp is gewijzigd."))
            return redirect("backoffice:manage_topics")
    return render(request, "backoffice/manage/topic_form.html", {"form": form, "topic": topic})


@require_POST
@admin_required
def topic_active(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    topic = set_topic_active(topic=get_topic(uuid), active=_wants_active(request), by=request.user)
    if topic.active:
        messages.success(request, _("Het onderwerp „%(name)s” is weer in gebruik.") % {"name": topic.name})
    else:
        messages.success(
            request, _("Het onderwerp „%(name)s” is niet meer in gebruik.") % {"name": topic.name}
        )
    return redirect("backoffice:manage_topics")


# -- employees ------------------------------------------------------------------------------------


@require_GET
@admin_required
def employee_list(request: EmployeeRequest) -> HttpResponse:
    form = EmployeeSearchForm(request.GET or None)
    query, department = "", None
    if form.is_valid():
        query, department = form.cleaned_data["q"].strip(), form.cleaned_data["department"]
    rows = list(search_employees(query=query, department=department))
    locked = locked_out_usernames(e.username for e in rows)
    return render(
        request,
        "backoffice/manage/employee_list.html",
        {"form": form, "employees": [(e, e.username in locked) for e in rows]},
    )


@admin_required
def employee_create(request: EmployeeRequest) -> HttpResponse:
    form = NewEmployeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employee = create_employee(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De medewerker is toegevoegd."))
            return redirect("backoffice:manage_employee", uuid=employee.uuid)
    return render(request, "backoffice/manage/employee_form.html", {"form": form, "employee": None})


@admin_required
def employee_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    employee = get_employee(uuid)
    initial = {
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "email": employee.email,
        "department": employee.department,
        "team": employee.team,
        "job_title": employee.job_title,
        "roles": sorted(employee.roles),
    }
    form = EmployeeForm(
        request.POST or None,
        initial=initial,
        current_department=employee.department,
        current_team=employee.team,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_employee(employee=employee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De gegevens van de medewerker zijn bewaard."))
            return redirect("backoffice:manage_employee", uuid=employee.uuid)
    locked = bool(locked_out_usernames([employee.username]))
    return render(
        request,
        "backoffice/manage/employee_form.html",
        {"form": form, "employee": employee, "locked": locked},
    )


@require_POST
@admin_required
def employee_active(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    employee = get_employee(uuid)
    try:
        set_employee_active(employee=employee, active=_wants_active(request), by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if _wants_active(request):
            messages.success(request, _("Het account is weer actief."))
        else:
            messages.success(
                request, _("Het account is gedeactiveerd: de medewerker kan zich niet meer aanmelden.")
            )
    return redirect("backoffice:manage_employee", uuid=employee.uuid)


@require_POST
@admin_required
def employee_unlock(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    employee = get_employee(uuid)
    if unlock_employee(employee=employee, by=request.user):
        messages.success(request, _("De blokkering is opgeheven: de medewerker kan zich opnieuw aanmelden."))
    else:
        messages.info(request, _("Dit account was niet geblokkeerd."))
    return redirect("backoffice:manage_employee", uuid=employee.uuid)


# -- departments and teams ------------------------------------------------------------------------


@require_GET
@admin_required
def department_list(request: EmployeeRequest) -> HttpResponse:
    return render(request, "backoffice/manage/department_list.html", {"departments": all_departments()})


@admin_required
def department_create(request: EmployeeRequest) -> HttpResponse:
    form = NewDepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_department(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De dienst is toegevoegd."))
            return redirect("backoffice:manage_departments")
    return render(request, "backoffice/manage/department_form.html", {"form": form, "department": None})


@admin_required
def department_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    department = get_department(uuid)
    form = DepartmentForm(request.POST or None, initial={"name": department.name, "email": department.email})
    if request.method == "POST" and form.is_valid():
        try:
            update_department(department=department, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("De dienst is gewijzigd."))
            return redirect("backoffice:manage_departments")
    return render(request, "backoffice/manage/department_form.html", {"form": form, "department": department})


@require_POST
@admin_required
def department_active(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    department = update_department(
        department=get_department(uuid), active=_wants_active(request), by=request.user
    )
    if department.active:
        messages.success(request, _("De dienst „%(name)s” is weer in gebruik.") % {"name": department.name})
    else:
        messages.success(
            request, _("De dienst „%(name)s” is niet meer in gebruik.") % {"name": department.name}
        )
    return redirect("backoffice:manage_departments")


@admin_required
def team_create(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    department = get_department(uuid)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_team(department=department, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het team is toegevoegd."))
            return redirect("backoffice:manage_departments")
    return render(
        request, "backoffice/manage/team_form.html", {"form": form, "department": department, "team": None}
    )


@admin_required
def team_edit(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    team = get_team(uuid)
    form = TeamForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            update_team(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Het team is gewijzigd."))
            return redirect("backoffice:manage_departments")
    return render(
        request,
        "backoffice/manage/team_form.html",
        {"form": form, "department": team.department, "team": team},
    )


@require_POST
@admin_required
def team_active(request: EmployeeRequest, uuid: uuid.UUID) -> HttpResponse:
    team = update_team(team=get_team(uuid), active=_wants_active(request), by=request.user)
    if team.active:
        messages.success(request, _("Het team „%(name)s” is weer in gebruik.") % {"name": team.name})
    else:
        messages.success(request, _("Het team „%(name)s” is niet meer in gebruik.") % {"name": team.name})
    return redirect("backoffice:manage_departments")
