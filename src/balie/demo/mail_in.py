"""Mail in for the demo: the info@ mailbox of Burgerzaken and a few messages already read, so the
triage inbox, a case's conversation and the mailboxes page show something.

No IMAP server comes with the demo: the mailbox points at a port on this machine where nothing
listens, so the worker's first poll records it as unreachable (the mailboxes page says since when)
instead of failing. Point it at a real server (Beheer, or the database) to read real mail."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from balie.accounts.models import Department
from balie.cases.models import Case, RoleKind
from balie.mailboxes.actions import ingest_message
from balie.mailboxes.addressing import subject_with_token
from balie.mailboxes.models import ImapSecurity, IncomingMail, Mailbox, MailRule, RuleTarget
from balie.parties.models import ContactPointKind

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
DEMO_IMAP_PORT = 1143


def _mail(*, sender: str, subject: str, text: str, at: dt.datetime, html: str = "") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "info@zonnedaal.be"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(at)
    mail["Message-ID"] = make_msgid(domain="demo.example")
    mail.set_content(text)
    if html:
        mail.add_alternative(html, subtype="html")
    return mail


def build_incoming_mail(now: dt.datetime, department: Department) -> int:
    """The demo mailbox and its messages; returns how many contact moments they became."""
    mailbox = Mailbox.objects.create(
        name="Info",
        address="info@zonnedaal.be",
        department=department,
        imap_host="127.0.0.1",
        imap_port=DEMO_IMAP_PORT,
        imap_security=ImapSecurity.NONE,
        imap_username="info@zonnedaal.be",
        secret_setting="BALIE_DEMO_MAILBOX_PASSWORD",  # noqa: S106 - the name of a variable, not a secret
    )
    MailRule.objects.create(
        mailbox=mailbox,
        position=1,
        name="Afspraken",
        subject_contains="afspraak",
        target=RuleTarget.CONTACT_MOMENT,
    )
    messages: list[EmailMessage] = []
    photo = _mail(
        sender="Jan Claes <jan.claes@example.org>",
        subject="Losliggende tegel voor het gemeentehuis",
        text="Goedemiddag,\n\nVoor de ingang van het gemeentehuis ligt een tegel los. Zie foto.\n\nJan",
        html=(
            "<p>Goedemiddag,</p>"
            "<p>Voor de ingang van het gemeentehuis ligt een <b>tegel los</b>. Zie foto:</p>"
            '<p><img src="cid:tegel@demo.example" alt="losse tegel"></p>'
            '<img src="https://tracker.example.com/open.gif"><p>Jan</p>'
        ),
        at=now - dt.timedelta(hours=5),
    )
    parts: Any = photo.get_payload()  # text, html: the image goes with the html
    parts[1].add_related(
        PNG_1PX, maintype="image", subtype="png", cid="<tegel@demo.example>", filename="tegel.png"
    )
    messages.append(photo)
    form = _mail(
        sender="Fatima El Amrani <fatima.elamrani@example.org>",
        subject="Vraag over attest gezinssamenstelling",
        text="Beste,\n\nKan ik een attest gezinssamenstelling per mail krijgen? Het formulier zit erbij.",
        at=now - dt.timedelta(hours=3),
    )
    form.add_attachment(
        b"Naam: Fatima El Amrani\nAttest: gezinssamenstelling\n",
        maintype="text",
        subtype="plain",
        filename="aanvraag-één.txt",
    )
    messages.append(form)
    messages.append(
        _mail(
            sender="Nieuwsbrief <nieuws@winkel.example>",
            subject="Solden tot -70%",
            text="Alleen deze week!",
            at=now - dt.timedelta(hours=2),
        )
    )
    case = (
        Case.objects.filter(closed_at__isnull=True, confidential=False, roles__kind=RoleKind.INITIATOR)
        .order_by("registered_at")
        .first()
    )
    if case is not None:
        initiator = case.roles.filter(kind=RoleKind.INITIATOR).select_related("party").first()
        party = initiator.party if initiator else None
        point = party.contact_points.filter(kind=ContactPointKind.EMAIL).first() if party else None
        sender = point.value if point else "aanvrager@example.org"
        for hours, text in (
            (30, "Hierbij nog de gevraagde informatie."),
            (6, "Is er al nieuws over mijn dossier?"),
        ):
            messages.append(
                _mail(
                    sender=sender,
                    subject="Re: " + subject_with_token(case.subject[:80], case.number),
                    text=f"Goedendag,\n\n{text}\n\nMet vriendelijke groet",
                    at=now - dt.timedelta(hours=hours),
                )
            )
    messages.append(
        _mail(
            sender="Koen Wouters <koen.wouters@example.org>",
            subject="Afspraak verplaatsen",
            text="Ik kan donderdag niet komen; kan het vrijdag?",
            at=now - dt.timedelta(hours=1),
        )
    )
    for message in messages:
        ingest_message(mailbox=mailbox, raw=bytes(message))
    return IncomingMail.objects.filter(mailbox=mailbox, contact_moment__isnull=False).count()
