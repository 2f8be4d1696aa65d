"""The mail conversation of a case or a party, for their pages (`{% load mail %}`)."""

from __future__ import annotations

from typing import Any

from django import template

from balie.mailboxes.queries import conversation_of_case, conversation_of_party

register = template.Library()


@register.inclusion_tag("backoffice/mail/_conversation.html", takes_context=True)
def mail_conversation(context: dict[str, Any], case: Any = None, party: Any = None) -> dict[str, Any]:
    """The incoming mails of `case` (oldest first, as the conversation went) or `party` (newest
    first), with the drop form that files an .eml / .msg there."""
    request = context["request"]
    if case is not None:
        mails = conversation_of_case(request.user, case)
    else:
        mails = conversation_of_party(request.user, party)
    return {
        "mails": mails,
        "case": case,
        "party": party,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
