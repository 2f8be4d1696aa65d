"""Login and logout, with the Django views and Balie's templates."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from ..forms.auth import EmployeeAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = EmployeeAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
