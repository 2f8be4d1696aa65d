"""The post room's print batches: the day's letters on paper in one print-ready PDF, then posted.

`make_print_batch` takes the paper dispatches that wait (queued, in no batch yet, of items the
employee may see), numbers the batch `PB-2026-000012` and marks each dispatch as in it (a line in
its item's history), in one transaction. `print_batch_pdf` makes the PDF (printing.py) from what
the batch holds: the document versions and the address on each envelope, frozen when the dispatch
was queued; so a download tomorrow gives the same letters. `confirm_posted` records that the post
room took the batch to the post: every dispatch in it is sent, and so is its item.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import is_employee
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.numbering import format_register_number, next_number

from .actions import record_dispatch_state
from .actions.base import _event, _lock
from .dispatch import read_version
from .dispatch_queries import waiting_for_print
from .models import Dispatch, DispatchState, EventKind, PostChannel, PostItem
from .models_dispatch import DispatchDocument, Envelope, PrintBatch, PrintBatchState
from .printing import BatchHeader, PrintLetter, render_batch

REGISTER = "PB"
BATCH_FIELDS = ["number", "department", "duplex", "letters", "registered_letters", "sheets", "pages"]


def can_print_post(user: Any) -> bool:
    """Make and post print batches: an employee of a department (the post room for everyone's
    letters; a department for its own confidential ones, which only it may see)."""
    return bool(is_employee(user) and user.department_id is not None)


def _require_printer(by: User) -> Department:
    if not can_print_post(by) or by.department is None:
        raise ValidationError(_("Alleen een medewerker van een dienst maakt printbatches."))
    return by.department


def make_print_batch(*, by: User, limit: int = 500) -> PrintBatch:
    """Put the waiting letters on paper (at most `limit`, oldest first) in a new print batch."""
    department = _require_printer(by)
    waiting = list(waiting_for_print(by).values_list("pk", flat=True)[:limit])
    if not waiting:
        raise ValidationError(_("Er wachten geen brieven op papier om te printen."))
    duplex = bool(settings.BALIE_PRINT_DUPLEX)
    with transaction.atomic():
        items = sorted(set(Dispatch.objects.filter(pk__in=waiting).values_list("item_id", flat=True)))
        for item_id in items:  # in id order: two batches made at once never deadlock
            PostItem.objects.select_for_update().filter(pk=item_id).values_list("pk").get()
        dispatches = list(
            Dispatch.objects.select_for_update(of=("self",))
            .filter(
                pk__in=waiting,
                channel=PostChannel.PAPER,
                state=DispatchState.QUEUED,
                envelope__print_batch__isnull=True,
            )
            .select_related("item")
            .order_by("queued_at", "id")
        )
        if not dispatches:
            raise ValidationError(_("Er wachten geen brieven op papier om te printen."))
        pages = dict(
            DispatchDocument.objects.filter(dispatch__in=dispatches)
            .values_list("dispatch_id")
            .annotate(total=Sum("pages"))
            .values_list("dispatch_id", "total")
        )
        per_sheet = 2 if duplex else 1
        year = timezone.localdate().year
        batch = PrintBatch.objects.create(
            number=format_register_number(
                prefix=REGISTER, year=year, number=next_number(register=REGISTER, year=year)
            ),
            department=department,
            made_by=by,
            duplex=duplex,
            letters=len(dispatches),
            registered_letters=sum(1 for d in dispatches if d.registered_mail),
            sheets=sum(-(-pages[d.pk] // per_sheet) for d in dispatches),
            pages=sum(pages[d.pk] for d in dispatches),
        )
        record_creation(instance=batch, fields=BATCH_FIELDS, by=by)
        for position, dispatch in enumerate(dispatches, start=1):
            Envelope.objects.filter(pk=dispatch.pk).update(print_batch=batch, batch_position=position)
            item = _lock(dispatch.item)
            _event(
                item,
                EventKind.DISPATCH,
                by=by,
                reason=_("In printbatch %(number)s.") % {"number": batch.number},
                data={
                    "dispatch": str(dispatch.uuid),
                    "state": dispatch.state,
                    "channel": dispatch.channel,
                    "print_batch": batch.number,
                },
            )
    return batch


@transaction.atomic
def confirm_posted(*, batch: PrintBatch, by: User) -> PrintBatch:
    """The batch went to the post: each of its dispatches is sent (and its item with it)."""
    _require_printer(by)
    batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.department_id != by.department_id:
        raise ValidationError(_("Alleen de dienst die de printbatch maakte, bevestigt ze."))
    if batch.state != PrintBatchState.MADE:
        raise ValidationError(_("Deze printbatch is al als verstuurd bevestigd."))
    now = timezone.now()
    envelopes = batch.envelopes.select_related("dispatch").order_by("dispatch__item_id", "pk")
    for envelope in envelopes:
        if envelope.dispatch.state == DispatchState.QUEUED:
            record_dispatch_state(
                dispatch=envelope.dispatch,
                state=DispatchState.SENT,
                by=by,
                at=now,
                detail=_("Op de post in printbatch %(number)s.") % {"number": batch.number},
            )
    batch.state, batch.posted_at, batch.posted_by = PrintBatchState.POSTED, now, by
    batch.save(update_fields=["state", "posted_at", "posted_by", "updated_at"])
    record_change(
        instance=batch,
        action=ChangeAction.UPDATE,
        changes={"state": [PrintBatchState.MADE, batch.state]},
        by=by,
    )
    return batch


def print_batch_letters(batch: PrintBatch) -> list[PrintLetter]:
    envelopes = batch.envelopes.select_related("dispatch__item").order_by("batch_position")
    letters = []
    for envelope in envelopes:
        dispatch = envelope.dispatch
        documents = [
            read_version(sent.version)
            for sent in dispatch.sent_documents.select_related("version").order_by("position")
        ]
        letters.append(
            PrintLetter(
                number=dispatch.item.number,
                addressee=envelope.addressee,
                address_lines=envelope.address_lines,
                registered=dispatch.registered_mail,
                documents=documents,
            )
        )
    return letters


def print_batch_pdf(batch: PrintBatch) -> bytes:
    """The batch's print-ready PDF, made from what it holds (the same every time)."""
    made_by = batch.made_by.get_full_name() or batch.made_by.username
    header = BatchHeader(
        number=batch.number,
        made_at=timezone.localtime(batch.created_at),
        made_by=made_by,
        sender=str(settings.BALIE_MUNICIPALITY_NAME),
        duplex=batch.duplex,
    )
    return render_batch(header, print_batch_letters(batch)).pdf
