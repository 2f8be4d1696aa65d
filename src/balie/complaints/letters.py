"""The texts proposed to the complaint coordinator: acknowledgement, extension and answer, as an
e-mail (subject and body) the coordinator reviews before it is sent. A letter instead comes from a
letter template (`documents.letters`); these texts are its content to paste or check against."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from balie.parties.models import ContactPoint, ContactPointKind, Party

from .models import Complaint, Outcome


def ombudsman_text() -> str:
    return _(
        "Bent u niet tevreden met dit antwoord, dan kunt u zich wenden tot de Vlaamse Ombudsdienst, "
        "Leuvenseweg 86, 1000 Brussel, gratis telefoon 1700, www.vlaamseombudsdienst.be."
    )


def email_of(party: Party | None) -> str:
    if party is None:
        return ""
    point = (
        ContactPoint.objects.filter(party=party, kind=ContactPointKind.EMAIL)
        .order_by("-preferred", "-verified", "id")
        .first()
    )
    return point.value if point else ""


def _date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _greeting(party: Party | None) -> str:
    return _("Beste %(name)s,") % {"name": party.display_name} if party else _("Beste,")


def _signature() -> str:
    return _("Met vriendelijke groet,\nDe klachtencoördinator, %(municipality)s") % {
        "municipality": settings.BALIE_MUNICIPALITY_NAME
    }


def acknowledgement(complaint: Complaint, party: Party | None) -> tuple[str, str]:
    case = complaint.case
    subject = _("Ontvangstmelding van uw klacht %(number)s") % {"number": case.number}
    body = "\n\n".join(
        [
            _greeting(party),
            _(
                "We ontvingen op %(received)s uw klacht over '%(subject)s'. Ze is ontvankelijk en "
                "wordt onderzocht. U krijgt uiterlijk op %(due)s een antwoord."
            )
            % {
                "received": _date(complaint.received_on),
                "subject": case.subject,
                "due": _date(complaint.answer_due),
            },
            _("Vermeld bij elk contact het nummer %(number)s.") % {"number": case.number},
            _signature(),
        ]
    )
    return subject, body


def extension(complaint: Complaint, party: Party | None, reason: str, new_due: dt.date) -> tuple[str, str]:
    case = complaint.case
    subject = _("Uw klacht %(number)s: meer tijd nodig") % {"number": case.number}
    body = "\n\n".join(
        [
            _greeting(party),
            _(
                "Het onderzoek van uw klacht over '%(subject)s' vraagt meer tijd: %(reason)s. "
                "U krijgt ons antwoord uiterlijk op %(due)s."
            )
            % {"subject": case.subject, "reason": reason.strip() or "…", "due": _date(new_due)},
            _signature(),
        ]
    )
    return subject, body


def answer(
    complaint: Complaint, party: Party | None, outcome: str, answer_text: str, improvement: str
) -> tuple[str, str]:
    case = complaint.case
    subject = _("Antwoord op uw klacht %(number)s") % {"number": case.number}
    label = Outcome(outcome).label if outcome in Outcome.values else "…"
    parts = [
        _greeting(party),
        _("We onderzochten uw klacht over '%(subject)s'. Ons oordeel: de klacht is %(outcome)s.")
        % {"subject": case.subject, "outcome": label},
        answer_text.strip() or "…",
    ]
    if improvement.strip():
        parts.append(_("Wat we verbeteren: %(action)s") % {"action": improvement.strip()})
    if settings.BALIE_COMPLAINT_MENTION_OMBUDSMAN:
        parts.append(ombudsman_text())
    parts.append(_signature())
    return subject, "\n\n".join(parts)
