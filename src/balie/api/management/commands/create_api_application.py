"""`balie create_api_application`: register another system and print its token, once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from balie.accounts.queries import active_departments
from balie.api.actions import create_api_application
from balie.api.models import Scope


class Command(BaseCommand):
    help = "Create an API application (and its system account) in a department; print its token once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The application's name, e.g. 'Website'.")
        parser.add_argument("--department", required=True, help="The code of its department.")
        parser.add_argument(
            "--scope",
            dest="scopes",
            action="append",
            required=True,
            choices=Scope.values,
            help="A right it gets; repeat for more.",
        )
        parser.add_argument("--purpose", default="", help="Why it reads personal data (for the access log).")

    def handle(self, *args: Any, **options: Any) -> None:
        department = active_departments().filter(code=options["department"]).first()
        if department is None:
            raise CommandError(_("Geen actieve dienst met code %(code)r.") % {"code": options["department"]})
        try:
            application, token = create_api_application(
                name=options["name"],
                department=department,
                scopes=options["scopes"],
                purpose=options["purpose"],
                by=None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(
            _(
                "API-toepassing %(name)s (%(uuid)s) aangemaakt in %(department)s, handelt als"
                " %(account)s, met de rechten %(scopes)s.\nBewaar deze sleutel nu; hij wordt niet meer"
                " getoond:"
            )
            % {
                "name": application.name,
                "uuid": application.uuid,
                "department": department.name,
                "account": application.user.username,
                "scopes": ", ".join(application.scopes),
            }
        )
        self.stdout.write(token)
