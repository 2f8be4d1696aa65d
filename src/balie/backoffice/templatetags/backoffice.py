"""Small display helpers for the back-office templates: no rules, only presentation."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balie.accounts import permissions
from balie.audit.models import ChangeAction
from balie.correspondence import permissions as post_permissions
from balie.parties.actions import current_address
from balie.parties.models import Address, Party

register = template.Library()


@register.simple_tag
def municipality_name() -> str:
    return str(settings.BALIE_MUNICIPALITY_NAME)


@register.filter
def can_read_audit(user: Any) -> bool:
    return permissions.can_read_audit(user)


@register.filter
def can_manage_catalogue(user: Any) -> bool:
    return permissions.can_manage_catalogue(user)


@register.filter
def can_merge_parties(user: Any) -> bool:
    return permissions.can_merge_parties(user)


@register.filter
def can_review_retention(user: Any) -> bool:
    return permissions.can_review_retention(user)


@register.filter
def can_read_management_figures(user: Any) -> bool:
    return permissions.can_read_management_figures(user)


@register.filter
def can_register_post(user: Any) -> bool:
    return post_permissions.can_register_post(user)


@register.filter
def uses_post_room(user: Any) -> bool:
    return post_permissions.uses_post_room(user)


@register.filter
def main_address(party: Party) -> Address | None:
    """The address to show first (residence, else postal, else registered office)."""
    return current_address(party)


@register.filter
def minutes(seconds: int | None) -> str:
    """A call's duration as people say it: '4 min', '1 u 05 min'."""
    if seconds is None:
        return ""
    total = round(seconds / 60)
    if total < 60:
        return _("%(minutes)d min") % {"minutes": total}
    return _("%(hours)d u %(minutes)02d min") % {"hours": total // 60, "minutes": total % 60}


# Labels for the keys that actions write into a party's change history besides model fields.
_HISTORY_KEYS = {
    "contact_point.email": gettext_lazy("e-mailadres"),
    "contact_point.phone": gettext_lazy("telefoonnummer"),
    "contact_point.mobile": gettext_lazy("gsm-nummer"),
    "preferred.email": gettext_lazy("voorkeur e-mailadres"),
    "preferred.phone": gettext_lazy("voorkeur telefoonnummer"),
    "preferred.mobile": gettext_lazy("voorkeur gsm-nummer"),
    "address.residence": gettext_lazy("domicilie"),
    "address.postal": gettext_lazy("postadres"),
    "address.registered_office": gettext_lazy("maatschappelijke zetel"),
    "establishment_unit": gettext_lazy("vestigingseenheid"),
    "merged_from": gettext_lazy("samengevoegd uit"),
    "merged_into": gettext_lazy("samengevoegd met"),
    "addresses": gettext_lazy("adressen overgenomen"),
    "establishment_units": gettext_lazy("vestigingseenheden overgenomen"),
    "represents": gettext_lazy("vertegenwoordigingen overgenomen"),
    "representatives": gettext_lazy("vertegenwoordigers overgenomen"),
    "contact_moments": gettext_lazy("contacten en taken overgenomen"),
}


@register.filter
def history_lines(changes: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """A change record's {field: [old, new]} as (label, old, new) for display."""
    lines = []
    for key, value in changes.items():
        old, new = [*value, None, None][:2] if isinstance(value, list) else (None, value)
        lines.append((_history_label(key), old, new))
    return lines


def _history_label(key: str) -> str:
    if key in _HISTORY_KEYS:
        return str(_HISTORY_KEYS[key])
    try:
        return str(getattr(Party._meta.get_field(key), "verbose_name", key))
    except FieldDoesNotExist:
        return key


@register.filter
def change_action_label(action: str) -> str:
    try:
        return str(ChangeAction(action).label)
    except ValueError:
        return action


# Door access (room_access): the "Toegang" menu item.
@register.filter
def can_view_access_grants(user: Any) -> bool:
    from balie.room_access.permissions import can_view_access_grants as check

    return check(user)
