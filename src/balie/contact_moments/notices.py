"""The mail that tells a citizen an answer to their e-loket question is waiting (the answer itself
stays in the e-loket, behind their login: a mail is not the place for what they asked)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from balie.core.outbox import PermanentDeliveryError
from balie.parties.models import ContactPoint, ContactPointKind

from .models import ContactMoment


def send_answer_notice(message: Any) -> None:
    """The outbox sender for ANSWER_NOTICE_SENDER (registered in apps.py)."""
    answer = ContactMoment.objects.select_related("party").filter(pk=message.payload["answer"]).first()
    if answer is None or answer.party is None:
        raise PermanentDeliveryError("the answer is gone")
    point = (
        ContactPoint.objects.filter(party=answer.party, kind=ContactPointKind.EMAIL)
        .order_by("-preferred", "-verified_at", "id")
        .first()
    )
    if point is None:
        return  # nothing to send: they see the answer when they next sign in
    language = answer.party.preferred_language or "nl"
    with translation.override("nl-be" if language == "nl" else language):
        subject = _("Er is een antwoord op uw vraag")
        body = _(
            "Beste %(name)s\n\n"
            "We beantwoordden de vraag die u stelde in het e-loket van %(municipality)s. "
            "U leest het antwoord na aanmelden onder Mijn gemeente%(link)s.\n\n"
            "Met vriendelijke groeten\n%(municipality)s"
        ) % {
            "name": answer.party.display_name,
            "municipality": settings.BALIE_MUNICIPALITY_NAME,
            "link": f": {settings.BALIE_PORTAL_URL}" if settings.BALIE_PORTAL_URL else "",
        }
    EmailMessage(
        subject=subject,
        body=body,
        to=[point.value],
        headers={"Message-ID": f"<{message.idempotency_key}@balie-e-loket>"},
    ).send()
