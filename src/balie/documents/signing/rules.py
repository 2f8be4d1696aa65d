"""Whose turn it is: the one place that decides who may approve or sign a request now.

- The approval step: a team lead of the request's department, never the one who asked.
- A signature step for an employee: that employee, or whoever substitutes for them today.
- A signature step for a function: whoever holds it, whoever substitutes for the function today,
  or whoever substitutes for its holder today. A substitute acts on behalf of the one they replace
  (the step records both).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Role, User
from balie.accounts.permissions import is_employee

from ..models import SigningRequest, SigningState, SigningStep, StepKind, StepState, Substitution


@dataclass(frozen=True)
class Turn:
    step: SigningStep
    on_behalf_of: User | None  # whom a substitute replaces; None when the signer acts themselves
    function_name: str  # the function signed in, or the signer's own job title


def valid_substitutions(user: Any, *, on: dt.date | None = None) -> QuerySet[Substitution]:
    """The substitutions that let `user` act for someone else on `on` (today)."""
    on = on or timezone.localdate()
    return Substitution.objects.filter(substitute=user, valid_from__lte=on, valid_until__gte=on)


def current_step(request: SigningRequest) -> SigningStep | None:
    if not request.is_open:
        return None
    return (
        SigningStep.objects.select_related("user", "function__holder")
        .filter(request=request, position=request.current_position, state=StepState.WAITING)
        .first()
    )


def step_label(step: SigningStep) -> str:
    """Who the step waits for, in words."""
    if step.kind == StepKind.APPROVAL:
        return str(_("een teamverantwoordelijke"))
    if step.function is not None:
        holder = step.function.holder
        return f"{step.function.name} ({holder})" if holder else step.function.name
    return str(step.user)


def _closed_message(request: SigningRequest) -> str:
    return str(
        _("Deze aanvraag is niet meer open (ze is %(state)s).") % {"state": request.get_state_display()}
    )


def approval_turn(request: SigningRequest, user: Any) -> Turn:
    """The approval step, if `user` may approve it now; else a ValidationError saying why."""
    if request.state != SigningState.APPROVAL:
        if not request.is_open:
            raise ValidationError(_closed_message(request))
        raise ValidationError(_("Deze aanvraag wacht niet op goedkeuring."))
    step = current_step(request)
    if step is None or step.kind != StepKind.APPROVAL:
        raise ValidationError(_("Deze aanvraag wacht niet op goedkeuring."))
    if not is_employee(user):
        raise ValidationError(_("Alleen een medewerker kan goedkeuren."))
    if user.pk == request.requested_by_id:
        raise ValidationError(_("U kunt uw eigen aanvraag niet goedkeuren: een collega keurt goed."))
    if not user.has_role(Role.TEAM_LEAD) or user.department_id != request.department_id:
        raise ValidationError(
            _("Alleen een teamverantwoordelijke van %(department)s kan deze aanvraag goedkeuren.")
            % {"department": request.department or _("de dienst")}
        )
    return Turn(step=step, on_behalf_of=None, function_name=str(_("teamverantwoordelijke")))


def signature_turn(request: SigningRequest, user: Any, *, on: dt.date | None = None) -> Turn:
    """The signature step, if it is `user`'s turn (or their substitute's) now; else a
    ValidationError saying whose turn it is."""
    if not request.is_open:
        raise ValidationError(_closed_message(request))
    if request.state == SigningState.APPROVAL:
        raise ValidationError(_("Dit document moet eerst goedgekeurd worden."))
    if request.state == SigningState.PLATFORM:
        raise ValidationError(_("Dit document wordt op het externe ondertekenplatform ondertekend."))
    step = current_step(request)
    if step is None or step.kind != StepKind.SIGNATURE:
        raise ValidationError(_("Er is geen handtekening meer te zetten."))
    if not is_employee(user):
        raise ValidationError(_("Alleen een medewerker kan ondertekenen."))
    substitutions = valid_substitutions(user, on=on)
    if step.function is not None:
        function = step.function
        holder = function.holder
        if holder is not None and holder.pk == user.pk:
            return Turn(step=step, on_behalf_of=None, function_name=function.name)
        if substitutions.filter(for_function=function).exists():
            return Turn(step=step, on_behalf_of=holder, function_name=function.name)
        if holder is not None and substitutions.filter(for_user=holder).exists():
            return Turn(step=step, on_behalf_of=holder, function_name=function.name)
    elif step.user is not None:
        if step.user.pk == user.pk:
            return Turn(step=step, on_behalf_of=None, function_name=user.job_title)
        if substitutions.filter(for_user=step.user).exists():
            return Turn(step=step, on_behalf_of=step.user, function_name=step.user.job_title)
    raise ValidationError(
        _("U bent niet aan de beurt om dit document te ondertekenen: nu is het aan %(who)s.")
        % {"who": step_label(step)}
    )


def waiting_for(user: Any, *, on: dt.date | None = None) -> Q:
    """The filter on SigningRequest for what waits for `user` now: approvals of their department
    (as team lead, not their own) and signatures whose turn is theirs or their substitute's."""
    if not is_employee(user):
        return Q(pk__in=[])
    substitutions = list(valid_substitutions(user, on=on).values_list("for_user_id", "for_function_id"))
    for_users = [u for u, _f in substitutions if u is not None]
    for_functions = [f for _u, f in substitutions if f is not None]
    now = Q(steps__position=F("current_position"), steps__state=StepState.WAITING)
    signer = (
        Q(steps__user=user)
        | Q(steps__function__holder=user)
        | Q(steps__user__in=for_users)
        | Q(steps__function__in=for_functions)
        | Q(steps__function__holder__in=for_users)
    )
    rule = Q(state=SigningState.SIGNING) & now & Q(steps__kind=StepKind.SIGNATURE) & signer
    if user.has_role(Role.TEAM_LEAD) and user.department_id is not None:
        rule |= Q(state=SigningState.APPROVAL, department_id=user.department_id) & ~Q(requested_by=user)
    return rule
