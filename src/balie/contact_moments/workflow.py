"""Allowed status transitions of an internal task, checked in one place."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import TaskStatus

TASK_TRANSITIONS: dict[str, set[str]] = {
    TaskStatus.TODO: {TaskStatus.DONE},
    TaskStatus.DONE: {TaskStatus.TODO},  # reopen
}


def check_task_transition(current: str, new: str) -> None:
    if new not in TASK_TRANSITIONS.get(current, set()):
        raise ValidationError(
            _("Een taak met status '%(current)s' kan niet naar '%(new)s'.")
            % {"current": TaskStatus(current).label, "new": TaskStatus(new).label}
        )
