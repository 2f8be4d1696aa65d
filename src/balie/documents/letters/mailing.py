"""Mass mailings: one template version × a list of parties, made by a background job.

`start_mailing` writes the mailing, one item per party and the job, in one transaction. The job
(`run_mailing`) takes a lease on the mailing (so two runs never work on one mailing at once) and
makes the pending items in order, each letter in a transaction of its own that also marks its
item done: a run that stops (the worker killed, the machine restarted) leaves every item either
done with its letter or pending without one, and the next run continues with the first pending
item. The schedule re-enqueues a mailing whose lease ran out (`resume_mailings`, every minute).
A letter that fails is marked failed with its message and the run goes on; "try again" puts the
failed items back in line. LibreOffice stays running for the whole run (conversion.py).

A mailing may be registered letter by letter by a higher app (post registration gives each
letter an outgoing register number, printed on it and in its QR code): it registers a
`MailingRegistrar` under a name in `mailing_registrars` and starts the mailing with that name.
`reserve` runs in a transaction of its own before the letter is made, and what it returns (the
item's register number, …) is kept on the item, so a retry uses the same number; `attach` runs in
the transaction that stores the letter.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.accounts.models import Department, User
from balie.accounts.permissions import acts_for_municipality
from balie.audit.actions import record_change, record_creation
from balie.audit.models import ChangeAction
from balie.core.registries import Registry
from balie.parties.models import Party

from ..actions import discard_new_files_on_failure
from ..conversion import Converter
from ..models import LetterTemplate, Mailing, MailingItem, MailingItemState, MailingState
from .actions import prepare_letter, store_letter, template_version_for
from .context import CASE_KEYS, LetterContextError, _mapped
from .queries import mailings_for
from .render import Merger

logger = logging.getLogger("balie.documents.mailing")

MAX_PARTIES = 20000
RESUME_QUEUED_AFTER = dt.timedelta(minutes=15)
RETRIED_CODES = ("conversion", "timeout")  # LibreOffice's trouble: once more on a fresh one


class MailingRegistrar(Protocol):
    def reserve(self, *, mailing: Mailing, item: MailingItem, by: User) -> Mapping[str, Any]:
        """Register the letter-to-be (in the caller's transaction); returns the post item's values
        for the letter: register_number, and optionally date and subject."""

    def attach(self, *, mailing: Mailing, item: MailingItem, letter: Any, by: User) -> None:
        """Tie the stored letter to what `reserve` registered (in the letter's transaction)."""


mailing_registrars: Registry[MailingRegistrar] = Registry("documents.mailing_registrars")


def lease_length() -> dt.timedelta:
    """Longer than the slowest letter can take (a conversion times out, then one retry)."""
    return dt.timedelta(seconds=max(180.0, 3 * float(settings.BALIE_LIBREOFFICE_TIMEOUT)))


# -- starting ------------------------------------------------------------------------------------


def start_mailing(
    *,
    template: LetterTemplate,
    parties: Sequence[Party],
    by: User,
    title: str = "",
    case: Mapping[str, Any] | None = None,
    employee: User | None = None,
    pdfa: bool = True,
    confidential: bool = False,
    department: Department | None = None,
    registrar: str = "",
) -> Mailing:
    """A mass mailing of `template` to `parties` (each once, in the order given), made in the
    background. `case` is the same for every letter; `employee` signs them (default: `by`)."""
    if not acts_for_municipality(by):
        raise ValidationError(_("Alleen een medewerker van de gemeente kan brieven maken."))
    version = template_version_for(template, by)
    unique = list({party.pk: party for party in parties}.values())
    if not unique:
        raise ValidationError(_("Kies minstens één geadresseerde."))
    if len(unique) > MAX_PARTIES:
        raise ValidationError(_("Eén reeks telt hoogstens %(max)s brieven.") % {"max": MAX_PARTIES})
    if registrar:
        mailing_registrars.get(registrar)  # KeyError: a programming error
    _mapped(case, CASE_KEYS, "case", version.template.language)  # LetterContextError: a programming error
    department = department or by.department
    if confidential and department is None:
        raise ValidationError(_("Een vertrouwelijke reeks hoort bij een dienst."))
    from .tasks import run_mailing

    with transaction.atomic():
        mailing = Mailing(
            title=(title or version.template.name).strip()[:200],
            template_version=version,
            department=department,
            confidential=confidential,
            pdfa=pdfa,
            case=dict(case) if case else None,
            registrar=registrar,
            employee=employee or by,
            created_by=by,
            total=len(unique),
            enqueued_at=timezone.now(),
        )
        mailing.full_clean(exclude=["template_version", "department", "employee", "created_by"])
        mailing.save()
        MailingItem.objects.bulk_create(
            [
                MailingItem(mailing=mailing, position=index, party=party)
                for index, party in enumerate(unique, 1)
            ],
            batch_size=1000,
        )
        record_creation(
            instance=mailing, fields=["title", "template_version", "total", "confidential"], by=by
        )
        run_mailing.enqueue(mailing_id=mailing.pk)
    return mailing


def retry_failed(*, mailing: Mailing, by: User) -> int:
    """Put a mailing's failed letters back in line and start a run; returns how many."""
    from .tasks import run_mailing

    if not mailings_for(by).filter(pk=mailing.pk).exists():
        raise ValidationError(_("Deze reeks bestaat niet of u mag ze niet zien."))
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        count = MailingItem.objects.filter(mailing=locked, state=MailingItemState.FAILED).update(
            state=MailingItemState.PENDING, error="", finished_at=None
        )
        if not count:
            return 0
        Mailing.objects.filter(pk=locked.pk).update(
            failed_count=F("failed_count") - count,
            state=MailingState.QUEUED if locked.state == MailingState.DONE else locked.state,
            finished_at=None,
            enqueued_at=timezone.now(),
        )
        record_change(instance=locked, action=ChangeAction.UPDATE, changes={"retried": [None, count]}, by=by)
        run_mailing.enqueue(mailing_id=locked.pk)
    mailing.refresh_from_db()
    return count


# -- running -------------------------------------------------------------------------------------


class _Lease:
    def __init__(self, mailing_id: int) -> None:
        self.mailing_id = mailing_id
        self.token = uuid.uuid4().hex
        self.until = timezone.now()

    def claim(self) -> bool:
        now = timezone.now()
        until = now + lease_length()
        with transaction.atomic():
            taken = (
                Mailing.objects.filter(
                    pk=self.mailing_id, state__in=[MailingState.QUEUED, MailingState.RUNNING]
                )
                .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
                .update(
                    state=MailingState.RUNNING,
                    runner=self.token,
                    lease_until=until,
                    runs=F("runs") + 1,
                    started_at=Coalesce("started_at", now),
                    updated_at=now,
                )
            )
        self.until = until
        return taken == 1

    def keep(self) -> bool:
        """Renew the lease when half of it is gone; False when another run has taken over."""
        now = timezone.now()
        if now < self.until - lease_length() / 2:
            return True
        until = now + lease_length()
        kept = Mailing.objects.filter(pk=self.mailing_id, runner=self.token).update(lease_until=until)
        self.until = until
        return kept == 1

    def finish(self) -> None:
        now = timezone.now()
        pending = MailingItem.objects.filter(
            mailing_id=self.mailing_id, state=MailingItemState.PENDING
        ).exists()
        Mailing.objects.filter(pk=self.mailing_id, runner=self.token).update(
            state=MailingState.RUNNING if pending else MailingState.DONE,
            finished_at=None if pending else now,
            runner="",
            lease_until=None,
            updated_at=now,
        )


class _AlreadyMade(Exception):
    """Another run made this item in the meantime."""


def run_mailing_now(mailing_id: int, *, converter: Converter | None = None) -> dict[str, int]:
    """Make a mailing's pending letters in this process (the job's body). Returns what this run
    did; does nothing when another run holds the mailing."""
    lease = _Lease(mailing_id)
    if not lease.claim():
        return {"made": 0, "failed": 0}
    mailing = Mailing.objects.select_related(
        "template_version__template", "created_by", "employee", "department"
    ).get(pk=mailing_id)
    made = failed = 0
    try:
        merger = Merger(mailing.template_version)
    except ValidationError as error:
        failed += _fail_all(mailing, " ".join(error.messages))
        lease.finish()
        return {"made": made, "failed": failed}
    while True:
        batch = list(
            MailingItem.objects.filter(mailing_id=mailing_id, state=MailingItemState.PENDING)
            .order_by("position")
            .values_list("pk", flat=True)[:100]
        )
        if not batch:
            break
        for item_id in batch:
            if not lease.keep():
                logger.warning("mailing %s: lease lost; another run continues", mailing_id)
                return {"made": made, "failed": failed}
            if _make_item(mailing, item_id, merger, converter):
                made += 1
            else:
                failed += 1
    lease.finish()
    logger.info("mailing finished", extra={"mailing": mailing_id, "made": made, "failed": failed})
    return {"made": made, "failed": failed}


def _make_item(mailing: Mailing, item_id: int, merger: Merger, converter: Converter | None) -> bool:
    item = MailingItem.objects.select_related("party").get(pk=item_id)
    if item.state != MailingItemState.PENDING:
        return True
    by = mailing.created_by
    registrar = mailing_registrars.get(mailing.registrar) if mailing.registrar else None
    try:
        reserved = dict(item.reserved)
        if registrar is not None and not reserved:
            with transaction.atomic():
                reserved = dict(registrar.reserve(mailing=mailing, item=item, by=by))
                MailingItem.objects.filter(pk=item.pk).update(reserved=reserved)
            item.reserved = reserved
        for attempt in (1, 2):
            try:
                prepared = prepare_letter(
                    template=mailing.template_version,
                    by=by,
                    party=item.party,
                    case=mailing.case,
                    item=reserved or None,
                    employee=mailing.employee,
                    pdfa=mailing.pdfa,
                    merger=merger,
                    converter=converter,
                )
                break
            except ValidationError as error:
                if attempt == 2 or error.code not in RETRIED_CODES:
                    raise
                logger.warning(
                    "mailing %s item %s: %s; trying once more", mailing.pk, item.pk, error.messages
                )
        with discard_new_files_on_failure(), transaction.atomic():
            letter = store_letter(
                prepared=prepared, by=by, confidential=mailing.confidential, department=mailing.department
            )
            if registrar is not None:
                registrar.attach(mailing=mailing, item=item, letter=letter, by=by)
            now = timezone.now()
            updated = MailingItem.objects.filter(pk=item.pk, state=MailingItemState.PENDING).update(
                state=MailingItemState.DONE,
                letter=letter,
                error="",
                attempts=F("attempts") + 1,
                finished_at=now,
            )
            if not updated:
                raise _AlreadyMade
            Mailing.objects.filter(pk=mailing.pk).update(done_count=F("done_count") + 1, updated_at=now)
        return True
    except _AlreadyMade:
        return True
    except (ValidationError, LetterContextError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        _fail(mailing, item, " ".join(str(message) for message in messages))
        return False
    except Exception as error:
        logger.exception("mailing %s item %s failed", mailing.pk, item.pk)
        _fail(
            mailing,
            item,
            _("Onverwachte fout (%(kind)s); zie het logboek van de server.") % {"kind": type(error).__name__},
        )
        return False


def _fail(mailing: Mailing, item: MailingItem, message: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        updated = MailingItem.objects.filter(pk=item.pk, state=MailingItemState.PENDING).update(
            state=MailingItemState.FAILED, error=message[:2000], attempts=F("attempts") + 1, finished_at=now
        )
        if updated:
            Mailing.objects.filter(pk=mailing.pk).update(failed_count=F("failed_count") + 1, updated_at=now)


def _fail_all(mailing: Mailing, message: str) -> int:
    """The template itself cannot be merged (a block is gone): every pending letter fails."""
    now = timezone.now()
    with transaction.atomic():
        count = MailingItem.objects.filter(mailing=mailing, state=MailingItemState.PENDING).update(
            state=MailingItemState.FAILED, error=message[:2000], attempts=F("attempts") + 1, finished_at=now
        )
        Mailing.objects.filter(pk=mailing.pk).update(failed_count=F("failed_count") + count, updated_at=now)
    return count


def mailings_to_resume(now: dt.datetime | None = None) -> list[int]:
    """Mailings whose run stopped (the lease ran out while items are pending) or whose job seems
    lost (queued for a long time without a run); each is marked as enqueued now, so that a busy
    queue does not get the same mailing every minute."""
    now = now or timezone.now()
    not_lately = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - lease_length())
    stalled = (
        Q(state=MailingState.RUNNING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now)) & not_lately
    )
    lost = Q(state=MailingState.QUEUED, lease_until__isnull=True, enqueued_at__lt=now - RESUME_QUEUED_AFTER)
    with transaction.atomic():
        ids = list(Mailing.objects.filter(stalled | lost).order_by("pk").values_list("pk", flat=True))
        Mailing.objects.filter(pk__in=ids).update(enqueued_at=now)
    return ids
