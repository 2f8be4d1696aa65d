"""`balie setup_complaints --department communicatie --by beheer`: the complaint case type, once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from balie.accounts.models import Department, User
from balie.complaints.setup import setup_complaint_case_type


class Command(BaseCommand):
    help = "Make the complaint case type (statuses, results, deadlines from the reglement's settings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--department", required=True, help="code of the complaint coordinator's department"
        )
        parser.add_argument("--by", required=True, help="username of a functional administrator")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            department = Department.objects.get(code=options["department"])
            by = User.objects.get(username=options["by"])
            case_type = setup_complaint_case_type(department=department, by=by)
        except (Department.DoesNotExist, User.DoesNotExist, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{case_type.code}: {case_type.name} ({case_type.department.name})")
