"""Resolve the UUIDs a caller sends to objects it may use, through the domain queries.

An unknown or invisible UUID in the input is a field error (422), collected for all fields at once,
never a 404 for the whole request and never a hint that an invisible row exists.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from balie.accounts.models import Department, Team, User
from balie.accounts.queries import active_departments, active_employees, active_teams
from balie.contact_moments.models import Topic
from balie.contact_moments.queries import active_topics
from balie.parties.models import Party
from balie.parties.queries import get_party_ref_for


class Lookup:
    def __init__(self, user: Any) -> None:
        self.user = user
        self.errors: dict[str, list[str]] = {}

    def _refuse(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def party(self, field: str, value: UUID | None) -> Party | None:
        if value is None:
            return None
        try:
            return get_party_ref_for(self.user, value)
        except Http404:
            self._refuse(field, _("Onbekende partij."))
            return None

    def topic(self, field: str, value: UUID | None, *, active_only: bool = True) -> Topic | None:
        if value is None:
            return None
        # The catalogue is the same for everyone; a filter may name a topic no longer in use.
        rows = active_topics() if active_only else Topic.objects.all()
        topic = rows.filter(uuid=value).first()
        if topic is None:
            self._refuse(field, _("Onbekend of niet meer gebruikt onderwerp."))
        return topic

    def department(self, field: str, value: UUID | None) -> Department | None:
        found = active_departments().filter(uuid=value).first() if value is not None else None
        if value is not None and found is None:
            self._refuse(field, _("Onbekende of niet meer actieve dienst."))
        return found

    def team(self, field: str, value: UUID | None) -> Team | None:
        found = active_teams().filter(uuid=value).first() if value is not None else None
        if value is not None and found is None:
            self._refuse(field, _("Onbekend of niet meer actief team."))
        return found

    def employee(self, field: str, value: UUID | None) -> User | None:
        found = active_employees().filter(uuid=value).first() if value is not None else None
        if value is not None and found is None:
            self._refuse(field, _("Onbekende of niet meer actieve medewerker."))
        return found

    def raise_errors(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
