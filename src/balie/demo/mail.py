"""Mail out in the demo: a sending mailbox for a few departments, the functional administrator's
mail templates, and a few mails the case handler wrote from Omgeving's cases (the demo's worker
sends them to the demo mail server when it starts): one to an address that does not exist (it
fails, to show "Opnieuw versturen"), and one that came back (a Postfix bounce, recorded as mail-in
records one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from balie.accounts.models import Department, User
from balie.cases.models import Case, CaseRole
from balie.contact_moments.models import ContactMoment
from balie.mailboxes.actions import create_mail_template, record_mail_bounce, send_mail
from balie.mailboxes.bounces import parse_dsn_bytes
from balie.mailboxes.models import Mailbox, MailTemplate, SentMail
from balie.mailboxes.templates import render_template
from balie.parties.models import ContactPointKind

from . import data

MAILBOXES = [
    ("burgerzaken", "Burgerzaken Zonnedaal"),
    ("omgeving", "Dienst Omgeving Zonnedaal"),
    ("vrije-tijd", "Vrije Tijd Zonnedaal"),
    ("communicatie", "Gemeente Zonnedaal"),
]

TEMPLATES = [
    (
        "Vraag om aanvullende stukken",
        "Uw aanvraag {{ zaak.nummer }}: aanvullende stukken nodig",
        "{{ klant.aanspreking }},\n\n"
        "Voor uw aanvraag ‘{{ zaak.onderwerp }}’ hebben we nog enkele stukken nodig. Wilt u ze op deze "
        "e-mail als bijlage terugsturen?\n\n"
        "Zolang de stukken ontbreken, loopt de termijn ({{ zaak.termijn }}) niet verder.\n\n"
        "Met vriendelijke groeten,\n\n{{ medewerker.naam }}\n"
        "{{ zaak.dienst }}, {{ gemeente.naam }}\n{{ gemeente.telefoon }}",
    ),
    (
        "Ontvangstmelding",
        "We ontvingen uw vraag",
        "{{ klant.aanspreking }},\n\n"
        "Dank u voor uw bericht. We bekijken het en antwoorden u binnen de tien werkdagen.\n\n"
        "Met vriendelijke groeten,\n\n{{ medewerker.naam }}\n{{ medewerker.dienst }}, {{ gemeente.naam }}",
    ),
    (
        "Afspraak bevestigen",
        "Bevestiging van uw afspraak",
        "{{ klant.aanspreking }},\n\n"
        "Hierbij bevestigen we uw afspraak in het gemeentehuis, {{ gemeente.adres }}.\n"
        "Breng uw identiteitskaart mee.\n\n"
        "Met vriendelijke groeten,\n\n{{ medewerker.naam }}\n{{ gemeente.naam }}",
    ),
]


BOUNCE = """\
From: MAILER-DAEMON@mail.zonnedaal.be (Mail Delivery System)
To: omgeving@zonnedaal.be
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="demo-dsn"

--demo-dsn
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.zonnedaal.be.

--demo-dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.zonnedaal.be

Final-Recipient: rfc822; {address}
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 5.2.2 <{address}>: Mailbox full

--demo-dsn
Content-Type: text/rfc822-headers

From: Dienst Omgeving <omgeving@zonnedaal.be>
Message-ID: {message_id}

--demo-dsn--
"""


def _bounce(message_id: str, address: str) -> bytes:
    """A Postfix delivery status notification about the mail (as mail-in would receive it)."""
    return BOUNCE.format(address=address, message_id=message_id).replace("\n", "\r\n").encode()


def _email_of(case: Case) -> tuple[Any, str] | None:
    for role in CaseRole.objects.filter(case=case).select_related("party"):
        point = (
            role.party.contact_points.filter(kind=ContactPointKind.EMAIL).order_by("-preferred", "id").first()
        )
        if point is not None:
            return role.party, point.value
    return None


def build_mail(*, admin: User, handler: User, departments: dict[str, Department], now: dt.datetime) -> int:
    """Returns how many mails were written. They are dated in the demo's last hour before `now`
    (the demo's clock; the actions write the real time)."""
    for code, name in MAILBOXES:
        Mailbox.objects.get_or_create(
            address=f"{code}@{data.EMAIL_DOMAIN}",
            defaults={
                "name": name,
                "department": departments[code],
                "imap_host": "127.0.0.1",
                "imap_port": 143,
                "imap_security": "none",
                "imap_username": code,
                "secret_setting": f"BALIE_DEMO_IMAP_{code.upper().replace('-', '_')}",
            },
        )
    templates: list[MailTemplate] = [
        create_mail_template(by=admin, name=name, subject=subject, body=body)
        for name, subject, body in TEMPLATES
    ]
    cases = Case.objects.filter(
        department=handler.department, closed_at__isnull=True, confidential=False
    ).order_by("id")
    written = 0
    for case in cases[:40]:
        found = _email_of(case)
        if found is None:
            continue
        party, address = found
        if written == 1:
            address = f"{address.split('@')[0]}@onbestaand.example"  # refused by the demo mail server
        subject, body = render_template(templates[0], party=party, case=case, employee=handler)
        mail = send_mail(
            by=handler, to=address, subject=subject, body=body, case=case, party=party, template=templates[0]
        )
        at = now - dt.timedelta(minutes=50 - 10 * written)
        ContactMoment.objects.filter(pk=mail.contact_moment_id).update(registered_at=at, created_at=at)
        SentMail.objects.filter(pk=mail.pk).update(queued_at=at)
        if written == 2:
            bounce = parse_dsn_bytes(_bounce(mail.message_id, address))
            assert bounce is not None
            record_mail_bounce(bounce=bounce)
        written += 1
        if written == 4:
            break
    return written
