"""Which status a case may move to: the case type version's transition table, checked here only.

Every status change (set_status, close, reopen) passes `check_transition`; the table itself is data
(StatusType.next_statuses) that a functional administrator edits per case type version.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Case, CaseTask, StatusType


def end_status(version_id: int) -> StatusType:
    """The last status type of a version: reaching it closes the case."""
    status = StatusType.objects.filter(version_id=version_id).order_by("-order").first()
    if status is None:
        raise ValidationError(_("Dit zaaktype heeft geen statussen."))
    return status


def first_status(version_id: int) -> StatusType:
    status = StatusType.objects.filter(version_id=version_id).order_by("order").first()
    if status is None:
        raise ValidationError(_("Dit zaaktype heeft geen statussen."))
    return status


def allowed_next(case: Case) -> list[StatusType]:
    """The statuses this case may move to now (the end status only through closing)."""
    if case.closed_at is not None:
        return []
    return list(case.status_type.next_statuses.order_by("order"))


def open_required_tasks(case: Case) -> list[CaseTask]:
    return list(
        CaseTask.objects.filter(
            case=case, status_type=case.status_type, required=True, done_at__isnull=True
        ).order_by("id")
    )


def check_transition(case: Case, new: StatusType, *, closing: bool = False) -> None:
    """Raise ValidationError unless `case` may go from its current status to `new` now."""
    if case.closed_at is not None:
        raise ValidationError({"status": _("Deze zaak is afgesloten; heropen ze eerst.")})
    if new.version_id != case.version_id:
        raise ValidationError({"status": _("Deze status hoort niet bij het zaaktype van de zaak.")})
    end = end_status(case.version_id)
    if new.pk == end.pk and not closing:
        raise ValidationError({"status": _("Een zaak sluit je af met een resultaat.")})
    if new.pk == case.status_type_id:
        raise ValidationError({"status": _("De zaak heeft deze status al.")})
    if not case.status_type.next_statuses.filter(pk=new.pk).exists():
        raise ValidationError(
            {
                "status": _("Van '%(current)s' kan de zaak niet naar '%(new)s'.")
                % {"current": case.status_type.name, "new": new.name}
            }
        )
    if new.order > case.status_type.order:
        missing = open_required_tasks(case)
        if missing:
            raise ValidationError(
                {
                    "status": _("Werk eerst de verplichte taken af: %(tasks)s.")
                    % {"tasks": "; ".join(task.description for task in missing)}
                }
            )
