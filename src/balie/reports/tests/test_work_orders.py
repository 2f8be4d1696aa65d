"""Forwarding to the work-order system: the receiver is down for a while; afterwards every work order
arrived, none twice; status updates come back signed and the reporter is told; a forged, stale or
replayed callback changes nothing; a work order that failed for good is visible and resent."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from balie.core.outbox import deliver_due
from balie.reports.actions import forward_report, register_report, resend_work_order
from balie.reports.adapters.demo_work_orders import DemoWorkOrderSystem
from balie.reports.adapters.open311 import Open311Adapter
from balie.reports.models import Report, SendState
from balie.reports.queries import stuck_work_orders
from balie.reports.signing import callback_secret, signed_headers
from balie.reports.work_orders import work_order_for
from balie.reports.workflow import ReportStatus

from .conftest import INSIDE

CALLBACK = "/api/meldingen/werkorders/terugmelding"


@pytest.fixture
def system(settings):
    demo = DemoWorkOrderSystem(secret=callback_secret()).start()
    settings.BALIE_REPORTS_WORK_ORDER_URL = demo.url
    settings.BALIE_REPORTS_WORK_ORDER_ADAPTER = "webhook"
    yield demo
    demo.stop()


def _post(client: Client, body: bytes, headers: dict[str, str]):
    return client.post(CALLBACK, data=body, content_type="application/json", headers=headers, secure=True)


def test_down_for_a_while_then_every_order_arrives_once_and_updates_come_back(
    system, handler, street_light, loose_tile, reporter
):
    # given the work-order system is down
    system.down = True
    reports = [
        register_report(
            category=street_light,
            by=handler,
            description=f"Lamp {n}",
            lat=INSIDE[0],
            lon=INSIDE[1] + n / 10000,
            reporter=reporter,
        )
        for n in range(5)
    ]
    manual = register_report(category=loose_tile, by=handler, description="Tegel", address="Kerkstraat 1")
    reports.append(forward_report(report=manual, by=handler))
    assert all(r.status == ReportStatus.FORWARDED and r.send_state == SendState.PENDING for r in reports)
    t0 = timezone.now()

    # when the outbox tries while it is down, and again before the backoff ends
    first = deliver_due(now=t0)
    early = deliver_due(now=t0 + dt.timedelta(seconds=10))

    # then nothing arrived; each report shows one failure and is listed as stuck
    assert (first.retrying, early.attempted, len(system.orders)) == (6, 0, 0)
    assert {(r.send_state, r.send_fail_count) for r in Report.objects.all()} == {(SendState.PENDING, 1)}
    assert stuck_work_orders(handler).count() == 6

    # when it is back and the retries come
    system.down = False
    later = deliver_due(now=t0 + dt.timedelta(minutes=5))

    # then every work order arrived exactly once, and each report keeps its reference
    assert later.delivered == 6
    assert len(system.orders) == 6
    assert sorted(o.data["reference"] for o in system.orders.values()) == sorted(
        r.case.number for r in reports
    )
    refs = dict(Report.objects.values_list("case__number", "external_ref"))
    assert sorted(refs.values()) == sorted(system.orders)
    assert stuck_work_orders(handler).count() == 0
    # a repeat with the same idempotency key (an answer that got lost) makes no second order
    again = Report.objects.get(pk=reports[0].pk)
    from balie.reports.adapters.webhook import WebhookAdapter

    ref = WebhookAdapter(url=system.url + "/work-orders").send(
        work_order_for(again), idempotency_key=str(again.work_order_message.idempotency_key)
    )
    assert ref == again.external_ref and len(system.orders) == 6
    assert deliver_due(now=t0 + dt.timedelta(hours=2)).attempted == 0

    # when the work-order system reports progress, signed
    mail.outbox.clear()
    client = Client()
    order_id = again.external_ref
    for status in ("in_progress", "resolved"):
        body = system.update_body(order_id, status, "Ploeg ter plaatse")
        answer = _post(client, body, signed_headers(system.secret, body))
        assert answer.status_code == 200, answer.content
    deliver_due(now=timezone.now())

    # then the report moved, with the work-order system as who and its note as why, and the reporter is told
    again.refresh_from_db()
    assert again.status == ReportStatus.RESOLVED
    statuses = list(
        again.case.statuses.order_by("sequence").values_list(
            "status_type__name", "set_by__username", "reason"
        )
    )
    assert statuses[-2:] == [
        ("In behandeling", "werkorderbeheer", f"Werkorder {order_id}: Ploeg ter plaatse"),
        ("Opgelost", "werkorderbeheer", f"Werkorder {order_id}: Ploeg ter plaatse"),
    ]
    assert [m.subject for m in mail.outbox] == [
        f"Uw melding {again.case.number} is in behandeling",
        f"Uw melding {again.case.number} is opgelost",
    ]


def test_a_forged_stale_or_replayed_callback_changes_nothing(system, handler, street_light):
    report = register_report(
        category=street_light, by=handler, description="Lamp", lat=INSIDE[0], lon=INSIDE[1]
    )
    deliver_due()
    report.refresh_from_db()
    client = Client()
    body = system.update_body(report.external_ref, "resolved")
    forged = _post(client, body, signed_headers("not-the-secret", body))
    stale = _post(client, body, signed_headers(system.secret, body, now=time.time() - 3600))
    tampered_headers = signed_headers(system.secret, body)
    tampered = _post(client, body.replace(b"resolved", b"not_ours"), tampered_headers)
    unsigned = _post(client, body, {})
    assert [r.status_code for r in (forged, stale, tampered, unsigned)] == [401, 401, 401, 401]
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED

    genuine_headers = signed_headers(system.secret, body)
    assert _post(client, body, genuine_headers).status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    replay = _post(client, body, genuine_headers)
    assert replay.status_code == 401
    assert report.case.statuses.count() == 3


def test_an_update_out_of_order_is_kept_as_a_note(system, handler, street_light):
    report = register_report(
        category=street_light, by=handler, description="Lamp", lat=INSIDE[0], lon=INSIDE[1]
    )
    deliver_due()
    report.refresh_from_db()
    client = Client()
    for status in ("resolved", "in_progress"):
        body = system.update_body(report.external_ref, status)
        assert _post(client, body, signed_headers(system.secret, body)).json()["outcome"] in (
            "moved",
            "noted",
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert report.case.notes.count() == 1


def test_failed_for_good_then_resent(system, handler, street_light, settings):
    settings.BALIE_OUTBOX_MAX_ATTEMPTS = 2
    system.down = True
    report = register_report(
        category=street_light, by=handler, description="Lamp", lat=INSIDE[0], lon=INSIDE[1]
    )
    t0 = timezone.now()
    deliver_due(now=t0)
    deliver_due(now=t0 + dt.timedelta(minutes=1))
    report.refresh_from_db()
    assert (report.send_state, report.send_fail_count) == (SendState.FAILED, 2)
    assert "HTTP 503" in report.send_fail_reason
    assert list(stuck_work_orders(handler)) == [report]

    system.down = False
    resend_work_order(report=report, by=handler)
    deliver_due(now=t0 + dt.timedelta(minutes=2))
    report.refresh_from_db()
    assert report.send_state == SendState.SENT and report.external_ref == "WO-000001"
    assert len(system.orders) == 1


def test_the_open311_adapter_speaks_to_a_georeport_server(system, handler, street_light, settings):
    settings.BALIE_REPORTS_WORK_ORDER_ADAPTER = "open311"
    report = register_report(
        category=street_light, by=handler, description="Lamp", lat=INSIDE[0], lon=INSIDE[1]
    )
    deliver_due()
    report.refresh_from_db()
    assert report.send_state == SendState.SENT
    order = system.orders[report.external_ref]
    assert (order.data["service_code"], order.data["lat"]) == ("straatlicht", f"{INSIDE[0]:.7f}")
    again = Open311Adapter(base_url=system.url + "/open311/v2").send(
        work_order_for(report), idempotency_key=str(report.work_order_message.idempotency_key)
    )
    assert again == report.external_ref and len(system.orders) == 1
    assert json.loads(system.update_body(report.external_ref, "fixed"))["reference"] == report.case.number
