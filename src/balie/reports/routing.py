"""Which department handles a report: the first routing rule that matches its category and place,
else the category's (or its parent's) department, else the report case type's."""

from __future__ import annotations

from balie.accounts.models import Department

from .models import Category, RoutingRule


def route(category: Category, lat: float | None, lon: float | None) -> Department | None:
    for rule in RoutingRule.objects.select_related("department").order_by("order", "id"):
        if rule.matches(category, lat, lon):
            return rule.department
    if category.department_id:
        return category.department
    if category.parent_id and category.parent and category.parent.department_id:
        return category.parent.department
    return None
