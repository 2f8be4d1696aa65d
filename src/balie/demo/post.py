"""Demo post for Gemeente Zonnedaal: two months of incoming letters, e-mails and eBox messages in
the register, routed, worked and answered; outgoing answers and acknowledgements with their
dispatch; a batch scan whose letters the post room still has to complete. Made through the post
register's actions, as the post room and the departments would; the history is then spread over
the past weeks."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from balie.accounts.models import Department, Role, User
from balie.correspondence.actions import (
    answer,
    assign,
    change_status,
    record_dispatch,
    record_dispatch_state,
    register_acknowledgement,
    register_answer,
    register_incoming,
)
from balie.correspondence.models import (
    DispatchState,
    PostChannel,
    PostItem,
    PostItemEvent,
    PostStatus,
    ScanBatch,
    ScanBatchState,
)
from balie.parties.models import Party

# (department code, subject, confidential)
INCOMING: list[tuple[str, str, bool]] = [
    ("omgeving", "Bezwaarschrift tegen de omgevingsvergunning Kerkstraat 14", False),
    ("omgeving", "Vraag naar de stand van zaken van mijn bouwaanvraag", False),
    ("omgeving", "Aanvraag tot het kappen van twee eiken", False),
    ("omgeving", "Klacht over geluidsoverlast van een fuif in de parochiezaal", False),
    ("omgeving", "Melding van een sluikstort aan de Heidebaan", False),
    ("omgeving", "Plannen voor de heraanleg van de Markt: opmerkingen", False),
    ("burgerzaken", "Aanvraag van een uittreksel uit de geboorteakte", False),
    ("burgerzaken", "Adreswijziging na verhuis naar Heikant", False),
    ("burgerzaken", "Vraag over een internationaal rijbewijs", False),
    ("burgerzaken", "Huwelijksaankondiging", False),
    ("financien", "Bezwaar tegen de aanslag belasting op tweede verblijven 2025", False),
    ("financien", "Vraag om een afbetalingsplan", False),
    ("financien", "Factuur voor de herstelling van het dak van de sporthal", False),
    ("vrije-tijd", "Aanvraag werkingssubsidie 2026", False),
    ("vrije-tijd", "Vraag om de polyvalente zaal te huren voor een jubileum", False),
    ("vrije-tijd", "Inschrijving speelpleinwerking zomer", False),
    ("welzijn", "Aanvraag van een leefloon", True),
    ("welzijn", "Medisch attest bij de aanvraag van een tussenkomst", True),
    ("welzijn", "Vraag naar een sociale huurwoning", True),
    ("secretariaat", "Omzendbrief van het Agentschap Binnenlands Bestuur", False),
    ("secretariaat", "Uitnodiging van de provincie voor het burgemeestersoverleg", False),
    ("personeel", "Sollicitatie voor de vacature van administratief medewerker", True),
]
GOVERNMENT_SENDERS = [
    "Agentschap Binnenlands Bestuur",
    "Provincie Antwerpen",
    "FOD Financiën",
    "Vlaamse Milieumaatschappij",
    "Notariskantoor Van Dyck",
]
CHANNELS = [
    (PostChannel.PAPER, 50),
    (PostChannel.EMAIL, 25),
    (PostChannel.EBOX, 10),
    (PostChannel.WEB, 10),
    (PostChannel.COUNTER, 5),
]


def letter_pdf(sender: str, subject: str, municipality: str = "Gemeente Zonnedaal") -> bytes:
    """A short letter, as a scanner's OCR-less PDF would look when printed from a word processor."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setTitle(subject)
    sheet.setFont("Helvetica", 11)
    sheet.drawString(72, 780, sender)
    sheet.drawString(72, 765, "Dorpsstraat 12, 2645 Zonnedaal")
    sheet.drawString(330, 700, f"Aan het college van burgemeester en schepenen, {municipality}")
    sheet.drawString(330, 685, "Markt 1, 2645 Zonnedaal")
    sheet.setFont("Helvetica-Bold", 12)
    sheet.drawString(72, 620, f"Betreft: {subject}")
    sheet.setFont("Helvetica", 11)
    body = [
        "Geachte,",
        "",
        f"Hierbij wend ik mij tot u in verband met: {subject.lower()}.",
        "Ik verneem graag zo snel mogelijk van u hoe ik verder te werk moet gaan.",
        "In bijlage vindt u de stukken die ik daarover heb.",
        "",
        "Met vriendelijke groeten,",
        "",
        sender,
    ]
    for line, text in enumerate(body):
        sheet.drawString(72, 590 - line * 16, text)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def build_post_items(
    rng: random.Random,
    now: dt.datetime,
    departments: dict[str, Department],
    employees: dict[str, User],
    customers: list[Party],
    *,
    count: int = 90,
    days: int = 60,
) -> int:
    """Load the demo post; returns the number of items in the register."""
    post_room = employees["postkamer"]
    staff: dict[int, list[User]] = {}
    for user in employees.values():
        if user.department_id is not None and user.has_role(Role.CASE_HANDLER, Role.TEAM_LEAD):
            staff.setdefault(user.department_id, []).append(user)
    made: list[PostItem] = []
    for _ in range(count):
        code, subject, confidential = rng.choice(INCOMING)
        department = departments[code]
        registered_at = now - dt.timedelta(days=rng.uniform(0, days), hours=rng.uniform(0, 6))
        received_on = timezone.localdate(registered_at) - dt.timedelta(days=rng.choice([0, 0, 0, 1, 2]))
        channel = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
        government = code == "secretariaat"
        party = None if government else rng.choice(customers)
        sender_name = rng.choice(GOVERNMENT_SENDERS) if government else ""
        display = party.display_name if party is not None else sender_name
        scan = None
        if channel == PostChannel.PAPER and rng.random() < 0.6:
            scan = ContentFile(letter_pdf(display, subject), name=f"scan-{registered_at:%Y%m%d-%H%M%S}.pdf")
        item = register_incoming(
            by=post_room,
            channel=channel,
            department=department,
            subject=subject,
            party=party,
            correspondent_name=sender_name,
            reference=f"{rng.choice(['JV', 'MC', 'AD', 'KL'])}/{rng.randint(10, 999)}"
            if rng.random() < 0.3
            else "",
            received_on=received_on,
            confidential=confidential,
            scan=scan,
            registered_at=registered_at,
        )
        _work(rng, item, staff.get(department.pk, []), now, registered_at)
        made.append(item)
    made += _batch(rng, now, post_room, departments["secretariaat"])
    _spread_history(rng, now, made)
    return PostItem.objects.count()


def _work(
    rng: random.Random, item: PostItem, staff: list[User], now: dt.datetime, registered_at: dt.datetime
) -> None:
    """Take the item as far as its age makes likely: assigned, in treatment, answered or filed."""
    if not staff:
        return
    age_days = (now - registered_at).days
    handler = rng.choice(staff)
    if age_days < 1 and rng.random() < 0.7:
        return  # still waiting in the department's queue
    item = assign(item=item, by=handler, handler=handler)
    if rng.random() < 0.35:
        register_acknowledgement(item=item, by=handler)
    if (age_days < 5 and rng.random() < 0.6) or rng.random() < 0.1:
        return  # assigned, not started yet
    item = change_status(item=item, status=PostStatus.IN_TREATMENT, by=handler)
    chance = min(0.9, age_days / 25)
    if rng.random() > chance or (age_days > 30 and rng.random() < 0.25):
        return  # in treatment; the older ones are overdue
    if (item.correspondent_name and rng.random() < 0.7) or rng.random() < 0.1:
        change_status(
            item=item, status=PostStatus.FILED, by=handler, reason="Ter kennisgeving; geen antwoord nodig."
        )
        return
    if rng.random() < 0.25:
        answer(item=item, by=handler, reason="Telefonisch beantwoord.")
        return
    reply = register_answer(
        item=item,
        by=handler,
        channel=PostChannel.EMAIL
        if item.channel in (PostChannel.EMAIL, PostChannel.WEB)
        else PostChannel.PAPER,
        subject=f"Antwoord: {item.subject}"[:200],
    )
    dispatch = record_dispatch(item=reply, channel=reply.channel, by=handler)
    record_dispatch_state(dispatch=dispatch, state=DispatchState.SENT, by=handler)
    if reply.channel == PostChannel.EMAIL and rng.random() < 0.1:
        record_dispatch_state(
            dispatch=dispatch,
            state=DispatchState.BOUNCED,
            by=None,
            detail="Mailbox bestaat niet (550 5.1.1).",
        )


def _batch(rng: random.Random, now: dt.datetime, post_room: User, department: Department) -> list[PostItem]:
    """This morning's batch scan: split, its three letters still to complete in the post room."""
    at = now - dt.timedelta(hours=2)
    batch = ScanBatch.objects.create(
        uploaded_by=post_room,
        department=department,
        received_on=timezone.localdate(now),
        original_filename=f"scan-{at:%Y%m%d}-0830.pdf",
        size=412_356,
        sha256="".join(rng.choice("0123456789abcdef") for _ in range(64)),
        state=ScanBatchState.DONE,
        pages=8,
        pages_read=8,
        separators=3,
        blank_pages=1,
        letters=3,
        items_registered=3,
        runs=1,
        started_at=at,
        finished_at=at + dt.timedelta(seconds=14),
    )
    ScanBatch.objects.filter(pk=batch.pk).update(created_at=at, updated_at=at + dt.timedelta(seconds=14))
    items = []
    for index, sender in enumerate(["Marc Claes", "Bakkerij Verhoeven", "Els Wouters"], start=1):
        scan = ContentFile(
            letter_pdf(sender, "Brief"), name=f"{batch.original_filename[:-4]}-{index:03d}.pdf"
        )
        items.append(
            register_incoming(
                by=post_room,
                channel=PostChannel.PAPER,
                department=department,
                received_on=batch.received_on,
                scan=scan,
                needs_details=True,
                batch=batch,
                batch_index=index,
                registered_at=at + dt.timedelta(seconds=index * 4),
            )
        )
    return items


def _spread_history(rng: random.Random, now: dt.datetime, items: list[PostItem]) -> None:
    """The actions stamped each step 'now': move an item's steps between its registration and now
    (at most three weeks on), an acknowledgement soon after it was assigned, an answer at its end."""
    for item in items:
        span = max(60.0, min((now - item.registered_at).total_seconds(), 21 * 86400.0))
        stamps = _restamp(item, item.registered_at, lambda _i, span=span: rng.uniform(0, span))
        for reply in PostItem.objects.filter(reply_to=item):
            start = stamps[min(2, len(stamps) - 1)] if reply.reply_kind == "acknowledgement" else stamps[-1]
            _restamp(reply, start + dt.timedelta(minutes=1), lambda i: 120.0 * i)


def _restamp(item: PostItem, start: dt.datetime, offset: Any) -> list[dt.datetime]:
    events = list(PostItemEvent.objects.filter(item=item).order_by("sequence"))
    stamps = sorted(start + dt.timedelta(seconds=offset(i)) for i in range(1, len(events)))
    stamps = [start, *stamps]
    for event, at in zip(events, stamps, strict=True):
        PostItemEvent.objects.filter(pk=event.pk).update(at=at)
    last = stamps[-1]
    update: dict[str, Any] = {
        "registered_at": start,
        "status_changed_at": last,
        "created_at": start,
        "updated_at": last,
    }
    if item.sent_on:
        update["sent_on"] = timezone.localdate(last)
    PostItem.objects.filter(pk=item.pk).update(**update)
    item.dispatches.update(queued_at=last)
    item.dispatches.filter(sent_at__isnull=False).update(sent_at=last)
    item.dispatches.filter(bounced_at__isnull=False).update(bounced_at=last)
    return stamps
