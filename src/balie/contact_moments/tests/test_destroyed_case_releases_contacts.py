"""A case destroyed after the archivist's review: its contact moments stay, without the case link."""

from __future__ import annotations

import datetime as dt

import pytest

from balie.accounts.actions import create_employee
from balie.accounts.models import Role
from balie.audit.models import ChangeRecord
from balie.cases.actions import close_case, complete_case_task, register_case, set_status
from balie.cases.models import Case, RetentionReview, StatusType
from balie.cases.registries import case_destruction_handlers
from balie.cases.retention import approve_destruction, destroy_cases, list_cases_due_for_review
from balie.cases.tests.conftest import build_case_type
from balie.contact_moments.actions import register_contact_moment
from balie.contact_moments.models import ContactMoment


@pytest.fixture
def admin(omgeving):
    return create_employee(
        username="beheer",
        first_name="Bea",
        last_name="Beheer",
        email="bea@zonnedaal.be",
        password="Balie-demo-2026",
        department=omgeving,
        roles=[Role.FUNCTIONAL_ADMIN],
        by=None,
    )


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


def test_contacts_of_a_destroyed_case_stay_without_their_case_link(admin, omgeving, handler, jan, archivist):
    case_type = build_case_type(admin, omgeving).case_type
    case = register_case(case_type=case_type, by=handler, subject="Aanvraag", attributes={"soort": "bouwen"})
    moment = register_contact_moment(
        by=handler, channel="phone", summary="Vraag naar stand", party=jan, case=case
    )
    other = register_contact_moment(by=handler, channel="phone", summary="Iets anders", party=jan)
    complete_case_task(task=case.tasks.get(), by=handler)
    case = set_status(
        case=case, status_type=StatusType.objects.get(version=case.version, name="In behandeling"), by=handler
    )
    case = close_case(case=case, result_type=case.version.result_types.get(name="Geweigerd"), by=handler)
    Case.objects.filter(pk=case.pk).update(archive_action_date=dt.date(2020, 1, 1))
    list_cases_due_for_review()
    approve_destruction(reviews=[RetentionReview.objects.get(case=case)], by=archivist)

    destroy_cases(reviews=[RetentionReview.objects.get(case=case)], by=archivist)

    assert "contact_moments" in dict(case_destruction_handlers)
    moment.refresh_from_db()
    assert moment.case_id is None and moment.summary == "Vraag naar stand"
    assert ContactMoment.objects.filter(pk=other.pk).exists()
    change = ChangeRecord.objects.get(object_uuid=moment.uuid, changes__case=[case.number, None])
    assert change.actor_uuid == archivist.uuid
    assert not Case.objects.filter(pk=case.pk).exists()
