"""The archivist reviews closed cases whose archive action date has passed, on /archief: approve,
postpone, keep, then destroy; the destroyed cases are listed and exported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.cases.actions import close_case, complete_case_task, register_case, set_status
from balie.cases.models import Case, DestroyedCase, RetentionDecision, RetentionReview, StatusType
from balie.cases.retention import list_cases_due_for_review
from balie.cases.tests.conftest import build_case_type

from .conftest import client_for, html

HOME = reverse("backoffice:retention_home")
APPROVED = reverse("backoffice:retention", args=["goedgekeurd"])
DESTROYED = reverse("backoffice:retention_destroyed")
DESTROYED_CSV = reverse("backoffice:retention_destroyed_csv")


@pytest.fixture
def archivist(burgerzaken):
    return create_employee(
        username="archief",
        first_name="Greet",
        last_name="Hermans",
        email="greet@zonnedaal.be",
        password="Balie-demo-2026",
        department=burgerzaken,
        roles=[Role.ARCHIVIST],
        by=None,
    )


@pytest.fixture
def archive(archivist):
    return client_for(archivist)


def _closed(case_type, handler, result):
    case = register_case(
        case_type=case_type, by=handler, subject=f"Zaak {result}", attributes={"soort": "bouwen"}
    )
    complete_case_task(task=case.tasks.get(), by=handler)
    case = set_status(
        case=case, status_type=StatusType.objects.get(version=case.version, name="In behandeling"), by=handler
    )
    case = close_case(case=case, result_type=case.version.result_types.get(name=result), by=handler)
    Case.objects.filter(pk=case.pk).update(archive_action_date=dt.date(2020, 1, 1))
    return case


@pytest.fixture
def due(functional_admin, omgeving, handler):
    case_type = build_case_type(functional_admin, omgeving).case_type
    destroy = _closed(case_type, handler, "Geweigerd")
    keep = _closed(case_type, handler, "Vergund")
    list_cases_due_for_review()
    return destroy, keep


def _decision(case):
    return RetentionReview.objects.get(case=case).decision


def test_the_archivist_sees_the_due_cases_with_their_nomination(archive, due):
    destroy, keep = due

    response = archive.get(HOME)

    assert response.status_code == 200
    page = html(response)
    assert destroy.number in page and keep.number in page
    assert '<span class="badge badge--danger">vernietigen</span>' in page
    assert '<span class="badge badge--ok">blijvend bewaren</span>' in page
    assert "01/01/2020" in page
    assert 'aria-current="page">Te beoordelen <span class="badge badge--accent">2</span>' in page


def test_approve_then_destroy_with_confirmation(archive, due, archivist):
    destroy, _keep = due

    response = archive.post(HOME, {"zaak": [str(destroy.uuid)], "actie": "goedkeuren", "reden": ""})
    assert response.status_code == 302
    assert _decision(destroy) == RetentionDecision.DESTROY

    # destroying needs the confirmation: refused, nothing changes
    response = archive.post(APPROVED, {"zaak": [str(destroy.uuid)], "actie": "vernietigen"})
    assert response.status_code == 200
    assert "Bevestig de vernietiging" in html(response)
    assert Case.objects.filter(pk=destroy.pk).exists()

    response = archive.post(APPROVED, {"zaak": [str(destroy.uuid)], "actie": "vernietigen", "bevestig": "on"})
    assert response.status_code == 302
    assert not Case.objects.filter(pk=destroy.pk).exists()
    record = DestroyedCase.objects.get()
    assert record.reviewed_by == record.destroyed_by == archivist.audit_label()

    page = html(archive.get(DESTROYED))
    assert destroy.number in page and "Geweigerd" in page
    lines = archive.get(DESTROYED_CSV).getvalue().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("zaaknummer;zaaktype;zaaktypecode;")
    assert lines[1].startswith(f"{destroy.number};Omgevingsvergunning;omgevingsvergunning;")


def test_a_refused_decision_says_why_and_changes_nothing(archive, due):
    destroy, keep = due

    response = archive.post(HOME, {"zaak": [str(destroy.uuid), str(keep.uuid)], "actie": "goedkeuren"})

    assert response.status_code == 200
    assert f"Zaak {keep.number} moet blijvend bewaard worden" in html(response)
    assert _decision(destroy) == _decision(keep) == RetentionDecision.PENDING
    # the selection is kept on the page
    assert f'value="{destroy.uuid}" id="zaak-{destroy.uuid}" checked' in html(response)


def test_postpone_needs_a_date_and_a_reason(archive, due):
    destroy, _keep = due

    response = archive.post(HOME, {"zaak": [str(destroy.uuid)], "actie": "uitstellen", "reden": ""})
    assert response.status_code == 200
    assert _decision(destroy) == RetentionDecision.PENDING

    response = archive.post(
        HOME,
        {"zaak": [str(destroy.uuid)], "actie": "uitstellen", "tot": "2099-01-01", "reden": "procedure loopt"},
    )
    assert response.status_code == 302
    assert _decision(destroy) == RetentionDecision.POSTPONED
    assert destroy.number in html(archive.get(reverse("backoffice:retention", args=["uitgesteld"])))


def test_keep_and_transfer(archive, due):
    _destroy, keep = due

    response = archive.post(HOME, {"zaak": [str(keep.uuid)], "actie": "overbrengen", "reden": "stadsarchief"})

    assert response.status_code == 302
    assert _decision(keep) == RetentionDecision.TRANSFER
    assert "stadsarchief" in html(archive.get(reverse("backoffice:retention", args=["bewaard"])))


def test_filter_per_case_type(archive, due, functional_admin, burgerzaken, handler):
    other = build_case_type(functional_admin, burgerzaken, code="ander").case_type
    destroy, _keep = due

    page = html(archive.get(HOME, {"zaaktype": str(other.uuid)}))

    assert destroy.number not in page and "Er zijn geen zaken te beoordelen." in page


def test_nobody_else_opens_the_archive(due, handler, functional_admin, citizen, client):
    destroy, _keep = due
    for user in (handler, functional_admin):
        assert client_for(user).get(HOME).status_code == 403
        assert client_for(user).get(DESTROYED_CSV).status_code == 403
        response = client_for(user).post(HOME, {"zaak": [str(destroy.uuid)], "actie": "goedkeuren"})
        assert response.status_code == 403
    assert client_for(citizen).get(HOME).status_code == 404
    assert client.get(HOME).status_code == 302
    assert _decision(destroy) == RetentionDecision.PENDING


def test_an_unknown_list_is_not_found(archive):
    assert archive.get(reverse("backoffice:retention", args=["iets"])).status_code == 404
    assert archive.post(reverse("backoffice:retention", args=["bewaard"]), {}).status_code == 404
