"""Forwarding reports to the work-order system, and what comes back.

Sending: `actions.forward_report` writes an outbox message (sender `reports.work_order`, one
destination per report) in the report's transaction; `send_work_order` delivers it through the
configured adapter with the message's idempotency key, and records the outcome on the report: sent
(with the external reference) or a failure (count, reason, time; failed for good after the outbox's
last attempt). Stuck work orders are listed for employees (`queries.stuck_work_orders`) and resent
with `actions.resend_work_order`.

Coming back: the work-order system POSTs a signed status update (`signing`) to
`/api/meldingen/werkorders/terugmelding`. `receive_callback` checks signature, age and nonce
before it reads anything, then moves the report (in progress, resolved, not ours) as the work-order
system's account, in one transaction with the nonce. An update the flow does not allow (out of
order, or already there) is kept as a note on the case, never an error.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from balie.accounts.models import AccountKind, User
from balie.cases.actions import add_case_note
from balie.core.models import OutboxMessage
from balie.core.outbox import DeliveryError, PermanentDeliveryError, max_attempts

from .actions import _lock, _move
from .adapters.base import WorkOrder, get_adapter
from .models import CallbackNonce, Report, SendState
from .signing import NONCE, SIGNATURE, TIMESTAMP, callback_secret, signature
from .workflow import RANK, ReportStatus, check_transition

logger = logging.getLogger("balie.reports")

WORK_ORDER_ACCOUNT = "werkorderbeheer"

# What the work-order system may say, in its words or Open311's (mySociety's extended statuses).
EXTERNAL_STATUSES = {
    "in_progress": ReportStatus.IN_PROGRESS,
    "investigating": ReportStatus.IN_PROGRESS,
    "action_scheduled": ReportStatus.IN_PROGRESS,
    "resolved": ReportStatus.RESOLVED,
    "fixed": ReportStatus.RESOLVED,
    "closed": ReportStatus.RESOLVED,
    "not_ours": ReportStatus.NOT_OURS,
    "not_councils_responsibility": ReportStatus.NOT_OURS,
}


def callback_url() -> str:
    base = settings.BALIE_REPORTS_CALLBACK_URL.strip().rstrip("/")
    path = reverse("report_work_order_callback")
    return f"{base}{path}" if base else path


def work_order_for(report: Report) -> WorkOrder:
    return WorkOrder(
        reference=report.case.number,
        report=str(report.uuid),
        service_code=report.category.code,
        category=str(report.category),
        description=report.description,
        lat=report.lat,
        lon=report.lon,
        address=report.address,
        reported_at=report.reported_at.isoformat(),
        callback_url=callback_url(),
    )


def send_work_order(message: OutboxMessage) -> None:
    """The outbox sender for `reports.work_order` (registered in apps.py)."""
    report = Report.objects.select_related("case", "category", "category__parent").get(
        pk=message.payload["report"]
    )
    if report.send_state == SendState.SENT and report.external_ref:
        return  # already there (an earlier attempt's answer was recorded)
    adapter = get_adapter()
    if adapter is None:
        raise PermanentDeliveryError("werkorderbeheer staat uit")
    try:
        reference = adapter.send(work_order_for(report), idempotency_key=str(message.idempotency_key))
    except DeliveryError as error:
        final = isinstance(error, PermanentDeliveryError) or message.attempts >= max_attempts()
        Report.objects.filter(pk=report.pk).update(
            send_fail_count=F("send_fail_count") + 1,
            send_fail_reason=str(error)[:1000],
            send_failed_at=timezone.now(),
            send_state=SendState.FAILED if final else SendState.PENDING,
        )
        raise
    Report.objects.filter(pk=report.pk).update(
        send_state=SendState.SENT, external_ref=reference, sent_at=timezone.now(), send_fail_reason=""
    )
    logger.info("work order sent", extra={"report": report.case.number, "work_order": reference})


def work_order_account() -> User:
    """The system account the work-order system acts as (its status updates), in the report case
    type's department."""
    from .setup import report_case_type

    case_type = report_case_type()
    user = User.objects.filter(username=WORK_ORDER_ACCOUNT, kind=AccountKind.SYSTEM).first()
    if user is None:
        user = User(
            username=WORK_ORDER_ACCOUNT,
            kind=AccountKind.SYSTEM,
            first_name="Werkorderbeheer",
            department_id=case_type.department_id if case_type else None,
        )
        user.set_unusable_password()
        user.save()
    return user


class CallbackRefused(Exception):
    """A callback that is not (or no longer) genuine: nothing was read or changed."""


@dataclass(frozen=True)
class CallbackResult:
    report: Report
    outcome: str  # "moved", "noted", "unchanged"


def verify_callback(headers: Any, body: bytes, *, now: dt.datetime | None = None) -> str:
    """Check signature and age; return the nonce. Raises CallbackRefused."""
    timestamp = headers.get(TIMESTAMP, "")
    nonce = headers.get(NONCE, "")
    given = headers.get(SIGNATURE, "")
    if not (timestamp.isdigit() and 16 <= len(nonce) <= 64 and nonce.isascii() and given):
        raise CallbackRefused("headers")
    expected = signature(callback_secret(), timestamp=timestamp, nonce=nonce, body=body)
    if not hmac.compare_digest(expected, given):
        raise CallbackRefused("signature")
    moment = (now or timezone.now()).timestamp()
    if abs(moment - int(timestamp)) > settings.BALIE_REPORTS_CALLBACK_MAX_AGE:
        raise CallbackRefused("too old")
    return nonce


def receive_callback(headers: Any, body: bytes, *, now: dt.datetime | None = None) -> CallbackResult:
    """Apply one signed status update. Raises CallbackRefused (forged, old, replayed) or
    ValueError (unreadable, unknown report or status)."""
    nonce = verify_callback(headers, body, now=now)
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    status = EXTERNAL_STATUSES.get(str(data.get("status", "")).lower())
    if status is None:
        raise ValueError("unknown status")
    note = str(data.get("note", ""))[:500]
    by = work_order_account()
    with transaction.atomic():
        try:
            with transaction.atomic():
                CallbackNonce.objects.create(nonce=nonce, received_at=now or timezone.now())
        except IntegrityError:
            raise CallbackRefused("replay") from None
        rows = Report.objects.all()
        if data.get("work_order"):
            rows = rows.filter(external_ref=str(data["work_order"])[:100])
        else:
            rows = rows.filter(case__number=str(data.get("reference", ""))[:20])
        found = rows.first()
        if found is None:
            raise ValueError("unknown work order")
        report = _lock(found)
        if report.status == status:
            return CallbackResult(report=report, outcome="unchanged")
        try:
            check_transition(report.status, status)
            if RANK[status] < RANK[report.status]:
                raise ValidationError("backwards")
        except ValidationError:
            if report.case.closed_at is None:
                add_case_note(
                    case=report.case,
                    by=by,
                    text=f"Werkorder {report.external_ref}: {status} ({note})"[:2000],
                )
            return CallbackResult(report=report, outcome="noted")
        reason = f"Werkorder {report.external_ref}: {note}".strip().rstrip(":")
        report = _move(report, status, by=by, reason=reason)
    return CallbackResult(report=report, outcome="moved")


def prune_callback_nonces() -> int:
    """Nonces older than twice the accepted age can no longer be replayed: forget them."""
    cutoff = timezone.now() - dt.timedelta(seconds=2 * settings.BALIE_REPORTS_CALLBACK_MAX_AGE)
    deleted, _rows = CallbackNonce.objects.filter(received_at__lt=cutoff).delete()
    return deleted
