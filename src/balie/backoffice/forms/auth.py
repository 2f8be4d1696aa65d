"""The back-office login: only employee accounts get in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from balie.accounts.permissions import is_employee


class EmployeeAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Gebruikersnaam of wachtwoord is niet juist."),
        "inactive": _("Gebruikersnaam of wachtwoord is niet juist."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")

    def confirm_login_allowed(self, user: Any) -> None:
        # A citizen account is told nothing more than a wrong password would tell.
        if not is_employee(user):
            raise self.get_invalid_login_error()
